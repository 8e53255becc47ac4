"""Documents for participants: what they share with employers through the Digitale
Bewerberkarte (short profile, CV, photo), their consent to it, and the card's public links
with every opening of them. Certificates are made from the course data and not stored."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import F, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from jobcenters.permissions import Data
from jobcenters.scoping import TenantModel, TenantQuerySet, tenant_manager


class DocumentStorage(LazyObject):
    """STORAGES["documents"]: private (no URL), resolved when first used and again after
    the setting changes (as Django's default storage is)."""

    def _setup(self):
        self._wrapped = storages["documents"]


_storage = DocumentStorage()


def document_storage():
    """The fields' storage; a callable, so that migrations name it instead of a path."""
    return _storage


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _storage._wrapped = empty

# Card links live this long unless given another end (days).
LINK_DAYS = 90


class PersonDocument(TenantModel):
    """A row about one participant, managed by the group's coaches and team leads."""

    tenant_parents = ("participant",)
    participant_path = "participant_id"
    reach_kind = Data.COURSE
    cohort_path = "participant__enrolments__cohort"
    enrolment_path = "participant__enrolments"

    class Meta:
        abstract = True


def cv_path(profile, filename):
    return f"{profile.jobcenter_id}/{profile.participant_id}/cv-{secrets.token_hex(8)}.pdf"


def photo_path(profile, filename):
    """Always a JPEG: `uploads.check_photo` re-encodes every picture."""
    return f"{profile.jobcenter_id}/{profile.participant_id}/photo-{secrets.token_hex(8)}.jpg"


class ApplicantProfile(PersonDocument):
    """What the card and its page show employers, as the participant agreed: the short
    profile, the contact to share, the CV and a photo."""

    tenant_staff = ("cv_uploaded_by",)

    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.CASCADE, related_name="applicant_profile",
        verbose_name=_("participant"))
    wished_occupation = models.CharField(_("wished occupation"), max_length=120, blank=True)
    strengths = models.TextField(_("strengths"), max_length=600, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    contact_phone = models.CharField(_("telephone to share"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail to share"), blank=True)
    cv = models.FileField(_("CV"), storage=document_storage, upload_to=cv_path, blank=True)
    cv_name = models.CharField(_("file name of the CV"), max_length=200, blank=True)
    cv_uploaded_at = models.DateTimeField(_("CV uploaded at"), null=True, blank=True)
    cv_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("CV uploaded by"))
    photo = models.FileField(_("photo"), storage=document_storage, upload_to=photo_path,
                             blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")

    def __str__(self):
        return str(self.participant)


class ConsentQuerySet(TenantQuerySet):
    def in_force(self, day=None):
        """Given on or before `day`, valid on it and not withdrawn."""
        day = day or timezone.localdate()
        return self.filter(given_on__lte=day, valid_until__gte=day, withdrawn_on__isnull=True)


class Consent(PersonDocument):
    """The participant's consent to share card, profile and CV with employers (Art. 6 (1) a
    and Art. 7 GDPR): when given, for how long, who recorded it, when withdrawn."""

    tenant_staff = ("recorded_by", "withdrawn_by")

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="consents",
        verbose_name=_("participant"))
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("withdrawal recorded by"))

    objects = tenant_manager(ConsentQuerySet)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("given_on")),
                name="%(app_label)s_%(class)s_valid_after_given",
                violation_error_message=_("The consent must not end before it was given.")),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="%(app_label)s_%(class)s_withdrawn_after_given",
                violation_error_message=_(
                    "The consent cannot be withdrawn before it was given.")),
        ]

    def __str__(self):
        return f"{self.participant}: {self.given_on:%d.%m.%Y}–{self.valid_until:%d.%m.%Y}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def default_expiry():
    return timezone.localdate() + timedelta(days=LINK_DAYS)


class CardLinkQuerySet(TenantQuerySet):
    def live(self, day=None):
        """Links an employer may open today: not revoked, not expired, under a consent in
        force, of a person not anonymised."""
        day = day or timezone.localdate()
        return self.filter(
            revoked_at__isnull=True, expires_on__gte=day, consent__withdrawn_on__isnull=True,
            consent__given_on__lte=day, consent__valid_until__gte=day,
            participant__anonymised_at__isnull=True)


class CardLink(PersonDocument):
    """A public address of one participant's card page, printed as the card's QR code.
    The random token is the only key; it dies when revoked, expired or when the consent it
    was made under ends."""

    tenant_parents = ("participant", "consent")
    tenant_staff = ("created_by", "revoked_by")
    # The token opens the page: the audit trail says that a link was made, never its key.
    audit_redacted = ("token",)

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="card_links",
        verbose_name=_("participant"))
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="links",
                                verbose_name=_("consent"))
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token,
                             editable=False)
    # Left out of a subject access answer: a lost printout would open the page.
    subject_access_hidden = ("token",)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"))
    expires_on = models.DateField(_("valid until"), default=default_expiry)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("revoked by"))

    objects = tenant_manager(CardLinkQuerySet)

    class Meta:
        verbose_name = _("card link")
        verbose_name_plural = _("card links")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.participant}: {self.expires_on:%d.%m.%Y}"


class CardLinkOpening(PersonDocument):
    """One opening of a card link: when, and what (the page, the CV, an answer) — never
    who or from which address."""

    class What(models.TextChoices):
        PAGE = "page", _("page opened")
        CV = "cv", _("CV downloaded")
        REPLY = "reply", _("answer sent")

    tenant_parents = ("link",)
    participant_path = "link.participant_id"
    cohort_path = "link__participant__enrolments__cohort"
    enrolment_path = "link__participant__enrolments"

    link = models.ForeignKey(CardLink, on_delete=models.CASCADE, related_name="openings",
                             verbose_name=_("card link"))
    opened_at = models.DateTimeField(_("at"), auto_now_add=True)
    what = models.CharField(_("what"), max_length=5, choices=What.choices, default=What.PAGE)
    # An answer's activity for the employer service: its text names the person, so it is
    # found and blanked when the person is anonymised.
    activity = models.ForeignKey("employers.EmployerActivity", on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+",
                                 verbose_name=_("employer activity"))

    class Meta:
        verbose_name = _("opening of a card link")
        verbose_name_plural = _("openings of card links")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["link", "opened_at"])]

    def __str__(self):
        return f"{self.get_what_display()} {timezone.localtime(self.opened_at):%d.%m.%Y %H:%M}"
