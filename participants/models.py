from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jobcenters.collation import GERMAN
from jobcenters.permissions import Data
from jobcenters.scoping import TenantModel

from .fields import CustomerNumberField


class JobStartKind(models.TextChoices):
    """The kinds of job start (employers.Integration.kind), in the reports' vocabulary."""

    EMPLOYMENT = "employment", _("employment subject to social insurance")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship")
    SELF_EMPLOYMENT = "self_employment", _("self-employment")
    MINIJOB = "minijob", _("minijob (marginal employment)")
    PUBLIC_EMPLOYMENT = "public_employment", _("publicly funded employment (§ 16i SGB II)")


# Kinds that count as an integration, as in the official SGB II figure.
COUNTING_KINDS = (JobStartKind.EMPLOYMENT, JobStartKind.APPRENTICESHIP,
                  JobStartKind.SELF_EMPLOYMENT)


class Participant(TenantModel):
    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)
    participant_path = ""
    reach_kind = Data.IDENTITY
    field_kinds = dict.fromkeys(
        ("long_term_unemployed", "topping_up", "refugee", "single_parent", "health_limitations",
         "notes"), Data.CHARACTERISTICS)
    cohort_path = "enrolments__cohort"
    enrolment_path = "enrolments"

    class Gender(models.TextChoices):
        FEMALE = "f", _("female")
        MALE = "m", _("male")
        DIVERSE = "d", _("diverse")
        UNKNOWN = "", _("not stated")

    class LanguageLevel(models.TextChoices):
        UNKNOWN = "", _("not assessed")
        A1 = "A1", "A1"
        A2 = "A2", "A2"
        B1 = "B1", "B1"
        B2 = "B2", "B2"
        C1 = "C1", "C1"
        C2 = "C2", "C2"
        NATIVE = "native", _("native speaker")

    customer_number = CustomerNumberField(_("customer number"), max_length=30)
    first_name = models.CharField(_("first name"), max_length=100, db_collation=GERMAN)
    last_name = models.CharField(_("last name"), max_length=100, db_collation=GERMAN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, blank=True, default=""
    )
    long_term_unemployed = models.BooleanField(_("long-term unemployed"), default=False)
    topping_up = models.BooleanField(
        _("working, topping up benefits (Ergänzer)"), default=False
    )
    refugee = models.BooleanField(_("refugee"), default=False)
    single_parent = models.BooleanField(_("single parent"), default=False)
    health_limitations = models.BooleanField(_("health limitations"), default=False)
    language_level = models.CharField(
        _("German language level"), max_length=6, choices=LanguageLevel.choices,
        blank=True, default="",
    )
    notes = models.TextField(_("notes"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "customer_number"],
                name="%(app_label)s_%(class)s_unique_customer_number",
                violation_error_message=_(
                    "A participant with this customer number already exists."
                ),
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="%(app_label)s_%(class)s_birth_year_plausible",
                violation_error_message=_("The year of birth is not plausible."),
            ),
        ]
        indexes = [models.Index(fields=["jobcenter", "last_name", "first_name"])]

    def __str__(self):
        return f"{self.last_name}, {self.first_name}"


class Enrolment(TenantModel):
    """One participant's place in one cohort, from assignment to exit."""

    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)

    class ExitReason(models.TextChoices):
        COMPLETED = "completed", _("regular end")
        DROPOUT = "dropout", _("dropout")
        JOB = "job", _("left for work or training")
        TRANSFER = "transfer", _("transfer to another measure")
        OTHER = "other", _("other reason")

    class DropoutReason(models.TextChoices):
        NO_SHOW = "no_show", _("no show / motivation")
        HEALTH = "health", _("health")
        FAMILY = "family", _("childcare or family")
        MOVED = "moved", _("moved away")
        EXCLUDED = "excluded", _("excluded")
        OTHER = "other", _("other")

    tenant_parents = ("participant", "cohort")
    participant_path = "participant_id"
    # The employer service sees which group a person of the pipeline is in, and when they
    # joined; the course of the enrolment is not theirs.
    reach_kind = Data.PLACEMENT
    field_kinds = dict.fromkeys(
        ("assigned_on", "info_event_on", "cooperation_plan_on", "cooperation_plan_review_on",
         "is_voluntary", "exit_on", "exit_reason", "dropout_reason", "notes"), Data.COURSE)
    cohort_path = "cohort"
    enrolment_path = ""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="enrolments",
        verbose_name=_("participant"),
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.PROTECT, related_name="enrolments",
        verbose_name=_("cohort"),
    )
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    info_event_on = models.DateField(_("information event attended on"), null=True, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    # § 15 SGB II: the Kooperationsplan, reviewed regularly (by default after six months).
    cooperation_plan_on = models.DateField(_("Kooperationsplan on"), null=True, blank=True)
    cooperation_plan_review_on = models.DateField(
        _("next review of the Kooperationsplan"), null=True, blank=True)
    is_voluntary = models.BooleanField(_("voluntary participation"), default=False)
    exit_on = models.DateField(_("exit on"), null=True, blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=10, choices=ExitReason.choices, blank=True, default=""
    )
    dropout_reason = models.CharField(
        _("dropout reason"), max_length=10, choices=DropoutReason.choices, blank=True, default=""
    )
    notes = models.TextField(_("notes"), blank=True)
    # Kept when the participant is anonymised (the year of birth goes), so that the age
    # groups of the reports stay the same.
    age_at_entry = models.PositiveSmallIntegerField(_("age at joining"), null=True,
                                                    blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["participant__last_name", "participant__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "cohort"], name="%(app_label)s_%(class)s_once_per_cohort",
                violation_error_message=_("This person is already enrolled in this cohort."),
            ),
            models.CheckConstraint(
                condition=Q(exit_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(exit_on__gte=F("joined_on")),
                name="%(app_label)s_%(class)s_exit_after_joining",
                violation_error_message=_("The exit date must not be before the joining date."),
            ),
            models.CheckConstraint(
                condition=Q(exit_on__isnull=True, exit_reason="")
                | (Q(exit_on__isnull=False) & ~Q(exit_reason="")),
                name="%(app_label)s_%(class)s_exit_reason_with_exit",
                violation_error_message=_("An exit needs both a date and a reason."),
            ),
            models.CheckConstraint(
                condition=Q(dropout_reason="") | Q(exit_reason="dropout"),
                name="%(app_label)s_%(class)s_dropout_reason_only_for_dropout",
                violation_error_message=_("A dropout reason is only possible for a dropout."),
            ),
        ]
        indexes = [
            models.Index(fields=["jobcenter", "joined_on"]),
            models.Index(fields=["jobcenter", "assigned_on"]),
            models.Index(fields=["jobcenter", "cooperation_plan_review_on"]),
        ]

    def __str__(self):
        return f"{self.participant} – {self.cohort}"

    @property
    def has_exited(self) -> bool:
        return self.exit_on is not None

    def is_enrolled_on(self, day) -> bool:
        """Joined on or before `day` and not exited before it."""
        return (
            self.joined_on is not None
            and self.joined_on <= day
            and (self.exit_on is None or self.exit_on >= day)
        )
