from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .permissions import Perm, Role, role_can
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


class User(AbstractUser):
    """Staff member; logs in with the e-mail address."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

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


class Jobcenter(models.Model):
    class Kind(models.TextChoices):
        JOINT = "joint", _("joint institution (gE)")
        MUNICIPAL = "municipal", _("approved municipal provider (zkT)")
        EMPLOYMENT_AGENCY = "agency", _("employment agency (SGB III)")
        PROVIDER = "provider", _("provider (Träger)")

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    land = models.CharField(_("federal state"), max_length=2, choices=Land.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JOINT)
    retention_months = models.PositiveSmallIntegerField(
        _("retention period (months)"), default=36,
        help_text=_("Participants are anonymised this long after their last enrolment ended."),
    )
    # Bumped in the transaction of every write of social data; reports compare it.
    data_version = models.PositiveBigIntegerField(_("data version"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("jobcenter")
        verbose_name_plural = _("jobcenters")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def touch(self):
        """Mark the jobcenter's data as changed (call inside the writing transaction)."""
        Jobcenter.objects.filter(pk=self.pk).update(data_version=F("data_version") + 1)


class Site(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
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


@receiver(m2m_changed, sender=Membership.sites.through)
def _membership_sites_of_its_jobcenter(sender, instance, action, pk_set, reverse, **kwargs):
    if action != "pre_add" or reverse:
        return
    foreign = Site.objects.with_scopes_disabled().filter(pk__in=pk_set).exclude(
        jobcenter_id=instance.jobcenter_id)
    if foreign.exists():
        raise ValidationError(_("%(field)s belongs to another jobcenter.") % {
            "field": _("sites")}, code="foreign_jobcenter")
