from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobcenters.collation import GERMAN
from jobcenters.permissions import Data
from jobcenters.scoping import TenantModel
from participants.models import COUNTING_KINDS, Enrolment, JobStartKind

from .matching import name_key


class Employer(TenantModel):
    reach_kind = Data.EMPLOYERS
    class Size(models.TextChoices):
        UNKNOWN = "", _("unknown")
        MICRO = "micro", _("fewer than 10 employees")
        SMALL = "small", _("10 to 49 employees")
        MEDIUM = "medium", _("50 to 249 employees")
        LARGE = "large", _("250 employees or more")

    name = models.CharField(_("name"), max_length=200, db_collation=GERMAN)
    # The name as compared for duplicates (see matching.py), kept up to date on save.
    name_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    sector = models.CharField(_("sector"), max_length=100, blank=True, db_collation=GERMAN)
    town = models.CharField(_("town"), max_length=100, blank=True, db_collation=GERMAN)
    size = models.CharField(_("size"), max_length=6, choices=Size.choices, blank=True, default="")
    consent_to_contact = models.BooleanField(_("consents to be contacted"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        indexes = [models.Index(fields=["jobcenter", "name"])]

    def __str__(self):
        return f"{self.name} ({self.town})" if self.town else self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)


class ContactPerson(TenantModel):
    tenant_parents = ("employer",)
    reach_kind = Data.EMPLOYERS

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("employer")
    )
    name = models.CharField(_("name"), max_length=200, db_collation=GERMAN)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Vacancy(TenantModel):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        FILLED = "filled", _("filled")
        CLOSED = "closed", _("closed")

    tenant_parents = ("employer",)
    reach_kind = Data.EMPLOYERS

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="vacancies", verbose_name=_("employer")
    )
    title = models.CharField(_("title"), max_length=200, db_collation=GERMAN)
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    weekly_hours = models.DecimalField(
        _("weekly hours"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    location = models.CharField(_("location"), max_length=100, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(places__gt=0), name="%(app_label)s_%(class)s_places_positive",
                violation_error_message=_("A vacancy has at least one place."),
            ),
        ]
        indexes = [models.Index(fields=["jobcenter", "status"])]

    def __str__(self):
        return f"{self.title} – {self.employer.name}"


class EmployerActivity(TenantModel):
    """The employer service's log of contacts and events."""

    class Kind(models.TextChoices):
        CALL = "call", _("call")
        VISIT = "visit", _("visit")
        JOB_FAIR = "job_fair", _("job fair")
        SPEED_DATING = "speed_dating", _("speed dating")
        RECRUITING = "recruiting", _("recruiting event in the group")
        # An employer answered on a participant's application card page (no staff member).
        CARD_REPLY = "card_reply", _("answer to an application card")

    tenant_parents = ("employer", "cohort")
    tenant_staff = ("by", "next_step_done_by")
    reach_kind = Data.EMPLOYERS

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, null=True, blank=True, related_name="activities",
        verbose_name=_("employer"),
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="employer_activities", verbose_name=_("cohort"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    # Empty for an employer's answer through an application card: nobody on staff wrote it.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
        related_name="employer_activities", verbose_name=_("by"),
    )
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due_on = models.DateField(_("next step due on"), null=True, blank=True)
    # Marked done on the due list; a later contact with the employer closes it as well.
    next_step_done_on = models.DateField(_("next step done on"), null=True, blank=True)
    next_step_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("next step done by"),
    )

    class Meta:
        verbose_name = _("employer activity")
        verbose_name_plural = _("employer activities")
        ordering = ["-happened_on"]
        indexes = [models.Index(fields=["jobcenter", "next_step_due_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.happened_on:%d.%m.%Y}"


class Integration(TenantModel):
    """A job start after (or during) an enrolment."""

    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)

    # The kinds are the reports' vocabulary, defined where the participants app reads them.
    Kind = JobStartKind
    COUNTING_KINDS = COUNTING_KINDS

    class Subsidy(models.TextChoices):
        NONE = "", _("none")
        EGZ = "egz", _("integration subsidy (EGZ)")
        OTHER = "other", _("other subsidy")

    tenant_parents = ("enrolment", "employer")
    participant_path = "enrolment.participant_id"
    reach_kind = Data.PLACEMENT
    cohort_path = "enrolment__cohort"
    enrolment_path = "enrolment"

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="integrations",
        verbose_name=_("enrolment"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_on = models.DateField(_("start of work"))
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="integrations",
        verbose_name=_("employer"),
    )
    weekly_hours = models.DecimalField(
        _("weekly hours"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    subsidy = models.CharField(
        _("subsidy"), max_length=5, choices=Subsidy.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("job start")
        verbose_name_plural = _("job starts")
        ordering = ["start_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind", "start_on"],
                name="%(app_label)s_%(class)s_unique_job_start",
                violation_error_message=_("This job start is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True)
                | Q(weekly_hours__gt=0, weekly_hours__lte=60),
                name="%(app_label)s_%(class)s_weekly_hours_range",
                violation_error_message=_("Weekly hours must lie between 0 and 60."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_on:%d.%m.%Y}"

    @property
    def counts(self) -> bool:
        return self.kind in self.COUNTING_KINDS


class FollowUp(TenantModel):
    """Is the person still employed 6 or 12 months after the job start?"""

    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)

    class DueMonth(models.IntegerChoices):
        SIX = 6, _("after 6 months")
        TWELVE = 12, _("after 12 months")

    class Answer(models.TextChoices):
        OPEN = "", _("not yet checked")
        YES = "yes", _("still employed")
        NO = "no", _("no longer employed")
        UNKNOWN = "unknown", _("unknown")

    # Days after the job start when each follow-up is due (METRICS.md: 12 months = 365 days).
    DUE_DAYS = {DueMonth.SIX: 183, DueMonth.TWELVE: 365}

    tenant_parents = ("integration",)
    participant_path = "integration.enrolment.participant_id"
    reach_kind = Data.COURSE
    cohort_path = "integration__enrolment__cohort"
    enrolment_path = "integration__enrolment"

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="followups",
        verbose_name=_("integration"),
    )
    due_month = models.PositiveSmallIntegerField(_("due"), choices=DueMonth.choices)
    due_on = models.DateField(_("due on"))
    still_employed = models.CharField(
        _("still employed"), max_length=7, choices=Answer.choices, blank=True, default=""
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "due_month"], name="%(app_label)s_%(class)s_once_per_due",
                violation_error_message=_("This follow-up already exists."),
            ),
            models.CheckConstraint(
                condition=Q(still_employed="") | Q(checked_on__isnull=False),
                name="%(app_label)s_%(class)s_answer_has_date",
                violation_error_message=_("A recorded follow-up needs the date it was checked."),
            ),
        ]
        indexes = [models.Index(fields=["jobcenter", "due_on"])]

    def __str__(self):
        return f"{self.get_due_month_display()} ({self.due_on:%d.%m.%Y})"

    @classmethod
    def due_date(cls, start_on, due_month):
        return start_on + timedelta(days=cls.DUE_DAYS[due_month])


class Application(TenantModel):
    """An enrolment's application to an employer: the placement pipeline."""

    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)

    class Source(models.TextChoices):
        OWN_INITIATIVE = "own", _("own initiative")
        PROPOSAL = "proposal", _("placement proposal (employer service)")

    class Stage(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPLIED = "applied", _("applied")
        INTERVIEW = "interview", _("interview")
        TRIAL_WORK = "trial_work", _("trial work")
        OFFER = "offer", _("offer")
        HIRED = "hired", _("hired")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Subsidy(models.TextChoices):
        NONE = "", _("none")
        EGZ = "egz", _("integration subsidy (EGZ)")
        OTHER = "other", _("other subsidy")

    tenant_parents = ("enrolment", "employer", "vacancy")
    participant_path = "enrolment.participant_id"
    reach_kind = Data.APPLICATIONS
    cohort_path = "enrolment__cohort"
    enrolment_path = "enrolment"

    enrolment = models.ForeignKey(
        "participants.Enrolment", on_delete=models.CASCADE, related_name="applications",
        verbose_name=_("enrolment"),
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("employer"),
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.SET_NULL, null=True, blank=True, related_name="applications",
        verbose_name=_("vacancy"),
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.APPLIED
    )
    stage_changed_on = models.DateField(_("stage changed on"))
    subsidy_offered = models.CharField(
        _("subsidy offered"), max_length=5, choices=Subsidy.choices, blank=True, default=""
    )
    # The job start a hire became: one per application, so a double click hires once.
    integration = models.OneToOneField(
        Integration, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="application", verbose_name=_("integration"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-stage_changed_on"]
        indexes = [models.Index(fields=["jobcenter", "stage"])]

    def __str__(self):
        return f"{self.enrolment.participant} → {self.employer.name}"

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES

    def check_same_jobcenter(self):
        super().check_same_jobcenter()
        if self.vacancy is not None and self.vacancy.employer_id != self.employer_id:
            raise ValidationError(
                _("The vacancy belongs to another employer."), code="wrong_employer"
            )


S = Application.Stage
# The pipeline's order (for "stage ≥ applied") and its allowed moves.
STAGE_ORDER = (S.PROPOSED, S.APPLIED, S.INTERVIEW, S.TRIAL_WORK, S.OFFER, S.HIRED)
CLOSED_STAGES = (S.HIRED, S.REJECTED, S.WITHDRAWN)
ALLOWED_MOVES = {
    S.PROPOSED: (S.APPLIED, S.REJECTED, S.WITHDRAWN),
    S.APPLIED: (S.INTERVIEW, S.TRIAL_WORK, S.OFFER, S.HIRED, S.REJECTED, S.WITHDRAWN),
    S.INTERVIEW: (S.TRIAL_WORK, S.OFFER, S.HIRED, S.REJECTED, S.WITHDRAWN),
    S.TRIAL_WORK: (S.OFFER, S.HIRED, S.REJECTED, S.WITHDRAWN),
    S.OFFER: (S.HIRED, S.REJECTED, S.WITHDRAWN),
    S.HIRED: (),
    S.REJECTED: (),
    S.WITHDRAWN: (),
}


class ApplicationStep(TenantModel):
    """One dated move of an application through the pipeline."""

    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)
    tenant_parents = ("application",)
    tenant_staff = ("by",)
    reach_kind = Data.APPLICATIONS
    cohort_path = "application__enrolment__cohort"
    enrolment_path = "application__enrolment"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps",
                                    verbose_name=_("application"))
    stage = models.CharField(_("stage"), max_length=10, choices=Application.Stage.choices)
    moved_on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["moved_on", "created_at"]

    def __str__(self):
        return f"{self.get_stage_display()} {self.moved_on:%d.%m.%Y}"
