from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jobcenters.collation import GERMAN
from jobcenters.permissions import Data
from jobcenters.scoping import TenantModel


class Programme(TenantModel):
    """A jobcenter's format: Werkakademie, Jobclub, Jobakademie u25, EOplus, …"""

    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)

    class LegalBasis(models.TextChoices):
        SGB_II = "sgb2", _("SGB II")
        SGB_III = "sgb3", _("SGB III")

    name = models.CharField(_("name"), max_length=200, db_collation=GERMAN)
    default_length_days = models.PositiveSmallIntegerField(_("default length (days)"), default=42)
    default_capacity = models.PositiveSmallIntegerField(_("default capacity"), default=16)
    participants_per_coach = models.PositiveSmallIntegerField(
        _("participants per coach"), default=16,
        help_text=_("Coach ratio, e.g. 3 for 1 coach : 3 participants."),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=4, choices=LegalBasis.choices, default=LegalBasis.SGB_II
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The absence rule: a case "Fehlzeiten klären" opens after this many unexcused absences
    # in a row or in total (empty: not counted); never for voluntary participation.
    absences_in_row = models.PositiveSmallIntegerField(
        _("unexcused absences in a row"), null=True, blank=True,
        help_text=_("After this many unexcused absences in a row the absences must be "
                    "followed up. Empty: no rule."),
    )
    absences_total = models.PositiveSmallIntegerField(
        _("unexcused absences in total"), null=True, blank=True,
        help_text=_("After this many unexcused absences in total. Empty: no rule."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "name"], name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("This jobcenter already has a programme with this name."),
            ),
            models.CheckConstraint(
                condition=(Q(absences_in_row__isnull=True) | Q(absences_in_row__gt=0))
                & (Q(absences_total__isnull=True) | Q(absences_total__gt=0)),
                name="%(app_label)s_%(class)s_absence_rule_positive",
                violation_error_message=_("The absence rule counts at least one absence."),
            ),
            models.CheckConstraint(
                condition=Q(default_length_days__gt=0) & Q(default_capacity__gt=0)
                & Q(participants_per_coach__gt=0),
                name="%(app_label)s_%(class)s_positive_defaults",
                violation_error_message=_("Length, capacity and coach ratio must be positive."),
            ),
        ]

    def __str__(self):
        return self.name


class Cohort(TenantModel):
    """A group ("Gruppe", "Durchgang") of one programme at one site."""

    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        CANCELLED = "cancelled", _("cancelled")

    class Focus(models.TextChoices):
        NONE = "", _("none")
        UNDER_25 = "u25", _("under 25")
        OVER_50 = "50plus", _("50 and over")
        REFUGEES = "refugees", _("refugees")
        SINGLE_PARENTS = "single_parents", _("single parents")
        LONG_TERM = "long_term", _("long-term unemployed")
        TOPPING_UP = "topping_up", _("working benefit recipients (Ergänzer)")

    tenant_parents = ("programme", "site")
    reach_kind = Data.COHORTS
    cohort_path = ""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    site = models.ForeignKey(
        "jobcenters.Site", on_delete=models.PROTECT, related_name="cohorts",
        verbose_name=_("site"),
    )
    code = models.CharField(_("code"), max_length=40)
    planned_start = models.DateField(_("start"))
    planned_end = models.DateField(_("end"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=16)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    focus = models.CharField(
        _("target-group focus"), max_length=20, choices=Focus.choices, blank=True, default=""
    )
    is_homogeneous = models.BooleanField(
        _("homogeneous group"), default=False,
        help_text=_("All participants share the target-group focus (otherwise mixed)."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-planned_start", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "code"], name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("This jobcenter already has a cohort with this code."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("The end must not be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="%(app_label)s_%(class)s_capacity_positive",
                violation_error_message=_("The capacity must be at least 1."),
            ),
        ]
        indexes = [models.Index(fields=["jobcenter", "status", "planned_start"])]

    def __str__(self):
        return self.code


class CohortCoach(TenantModel):
    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)
    tenant_parents = ("cohort",)
    reach_kind = Data.COHORTS
    cohort_path = "cohort"
    tenant_staff = ("user",)

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="cohort_coaches", verbose_name=_("cohort")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coached_cohorts",
        verbose_name=_("coach"),
    )
    is_lead = models.BooleanField(_("lead coach"), default=False)

    class Meta:
        verbose_name = _("cohort coach")
        verbose_name_plural = _("cohort coaches")
        ordering = ["-is_lead", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], name="%(app_label)s_%(class)s_unique_coach",
                violation_error_message=_("This person already coaches this cohort."),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.cohort})"
