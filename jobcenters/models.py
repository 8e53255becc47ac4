from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .collation import GERMAN
from .permissions import Perm, Role, role_can, roles_with
from .scoping import TenantModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        """The login ignores the case of the address: `Coach@JC.example` is
        `coach@jc.example` (addresses are stored in lower case, see User.clean)."""
        users = list(self.filter(email__iexact=str(username).strip())[:2])
        if len(users) != 1:
            raise self.model.DoesNotExist
        return users[0]

    def session_leaders(self, jobcenter):
        """Who may lead a group's session or coach a cohort of the jobcenter: its active
        staff in a role with Perm.LEAD_SESSIONS. The one definition of it."""
        return self.filter(
            is_active=True, memberships__jobcenter=jobcenter, memberships__is_active=True,
            memberships__role__in=roles_with(Perm.LEAD_SESSIONS),
        ).order_by("last_name", "first_name")

    def may_lead_sessions(self, jobcenter, user_ids) -> bool:
        user_ids = set(user_ids)
        return self.session_leaders(jobcenter).filter(pk__in=user_ids).count() == len(user_ids)


class User(AbstractUser):
    """Staff member; logs in with the e-mail address."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True,
                                  db_collation=GERMAN)
    last_name = models.CharField(_("last name"), max_length=150, blank=True,
                                 db_collation=GERMAN)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def clean(self):
        """The address in lower case, whichever way it was typed (also in the admin)."""
        super().clean()
        self.email = (self.email or "").strip().lower()

    def __str__(self):
        return self.get_full_name() or self.email


class Land(models.TextChoices):
    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


# The deletion period a jobcenter may set: at least half a year (a shorter one would delete
# people still being followed up), at most ten years.
RETENTION_MIN_MONTHS, RETENTION_MAX_MONTHS = 6, 120
RETENTION_RANGE_MESSAGE = _("Please choose a retention period from 6 to 120 months.")


class Jobcenter(models.Model):
    class Kind(models.TextChoices):
        JOINT = "joint", _("joint institution (gE)")
        MUNICIPAL = "municipal", _("approved municipal provider (zkT)")
        EMPLOYMENT_AGENCY = "agency", _("employment agency (SGB III)")
        PROVIDER = "provider", _("provider (Träger)")

    name = models.CharField(_("name"), max_length=200, db_collation=GERMAN)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    land = models.CharField(_("federal state"), max_length=2, choices=Land.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JOINT)
    retention_months = models.PositiveSmallIntegerField(
        _("retention period (months)"), default=36,
        validators=[MinValueValidator(RETENTION_MIN_MONTHS, RETENTION_RANGE_MESSAGE),
                    MaxValueValidator(RETENTION_MAX_MONTHS, RETENTION_RANGE_MESSAGE)],
        help_text=_("Participants are anonymised this long after their last enrolment ended "
                    "(6 to 120 months)."),
    )
    # Bumped in the transaction of every write of social data; reports compare it.
    data_version = models.PositiveBigIntegerField(_("data version"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("jobcenter")
        verbose_name_plural = _("jobcenters")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_months__gte=RETENTION_MIN_MONTHS)
                & Q(retention_months__lte=RETENTION_MAX_MONTHS),
                name="%(app_label)s_%(class)s_retention_range",
                violation_error_message=RETENTION_RANGE_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.name

    def get_additional_data(self) -> dict:
        """Stored with the audit entry of a retention change (django-auditlog calls this)."""
        return {"jobcenter": self.pk}


class Site(TenantModel):
    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)
    name = models.CharField(_("name"), max_length=200, db_collation=GERMAN)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True, db_collation=GERMAN)
    is_outreach = models.BooleanField(
        _("outreach location"), default=False,
        help_text=_("e.g. a town hall or community centre used for outreach groups"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "name"], name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("This jobcenter already has a site with this name."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def address(self):
        place = " ".join(p for p in (self.postal_code, self.town) if p)
        return ", ".join(p for p in (self.street, place) if p)


class Membership(models.Model):
    """A user's role in one jobcenter. Not scoped: it is what resolves the scope."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    jobcenter = models.ForeignKey(
        Jobcenter, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("jobcenter"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    sites = models.ManyToManyField(Site, blank=True, verbose_name=_("sites"))
    # Deactivated: no access to this jobcenter any more; what the person recorded stays.
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The invitation e-mail: when the latest one was asked for, delivered, finally failed.
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True, editable=False)
    invitation_sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True,
                                              editable=False)
    invitation_failed_at = models.DateTimeField(_("invitation failed at"), null=True,
                                                blank=True, editable=False)
    # The secret of the member's calendar feed address (empty: no feed).
    calendar_token = models.CharField(max_length=64, null=True, blank=True, unique=True,
                                      editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["jobcenter__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "jobcenter"], name="%(app_label)s_%(class)s_one_per_jobcenter",
                violation_error_message=_("This person already has a role in this jobcenter."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.jobcenter.code})"

    def can(self, permission: Perm) -> bool:
        return role_can(self.role, permission)

    def get_additional_data(self) -> dict:
        """Stored with every audit entry of this membership (django-auditlog calls this)."""
        return {"jobcenter": self.jobcenter_id}

    @property
    def invitation_state(self) -> str:
        """The latest invitation's fate: "" (none asked for), "pending", "sent" or "failed"."""
        asked = self.invited_at
        if asked is None:
            return ""
        if self.invitation_sent_at is not None and self.invitation_sent_at >= asked:
            return "sent"
        if self.invitation_failed_at is not None and self.invitation_failed_at >= asked:
            return "failed"
        return "pending"


@receiver(m2m_changed, sender=Membership.sites.through)
def _membership_sites_of_its_jobcenter(sender, instance, action, pk_set, reverse, **kwargs):
    if action != "pre_add" or reverse:
        return
    foreign = Site.objects.with_scopes_disabled().filter(pk__in=pk_set).exclude(
        jobcenter_id=instance.jobcenter_id)
    if foreign.exists():
        raise ValidationError(_("%(field)s belongs to another jobcenter.") % {
            "field": _("sites")}, code="foreign_jobcenter")
