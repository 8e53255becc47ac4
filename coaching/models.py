from datetime import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from jobcenters.collation import GERMAN
from jobcenters.permissions import Data
from jobcenters.scoping import TenantModel


class Module(TenantModel):
    """A topic of the jobcenter's module catalogue."""

    name = models.CharField(_("name"), max_length=200, db_collation=GERMAN)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "name"], name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("This module already exists."),
            ),
        ]

    def __str__(self):
        return self.name


# What a session without a start time counts as in the one-per-slot constraint: a time no
# form can enter (forms take hours and minutes), so it collides only with another such one.
NO_START_TIME = time(0, 0, 0, 1)


class GroupSession(TenantModel):
    """A session of a cohort: planned ahead (the cohort's plan), held once its attendance
    is recorded, or cancelled. Only held sessions count in attendance figures."""

    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    tenant_parents = ("cohort", "module")
    reach_kind = Data.ATTENDANCE
    cohort_path = "cohort"

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="sessions",
        verbose_name=_("cohort"),
    )
    # The session's day, planned or held.
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.HELD)
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions",
        verbose_name=_("module"),
    )
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="group_sessions",
        verbose_name=_("coaches"),
    )
    room = models.CharField(_("room"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Incremented on every save: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The one-time token of the form that recorded the session: the same form sent twice
    # (a double click) finds the session instead of recording it again.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["held_on", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            ),
            # One session per cohort, day and start time; sessions without a start time
            # collide with each other too (NULLs are distinct in a plain unique index). A
            # cancelled one leaves its slot free.
            models.UniqueConstraint(
                "cohort", "held_on", Coalesce("starts_at", Value(NO_START_TIME)),
                condition=~Q(status="cancelled"),
                name="%(app_label)s_%(class)s_once_per_slot",
                violation_error_message=_(
                    "A session of this cohort on this day at this time is already recorded."),
            ),
        ]
        indexes = [models.Index(fields=["cohort", "held_on"]),
                   models.Index(fields=["jobcenter", "held_on", "status"])]

    def __str__(self):
        return f"{self.cohort} {self.held_on:%d.%m.%Y}"


class CurriculumItem(TenantModel):
    """One module of a programme's curriculum, in order, with its usual length in
    sessions: the plan of a cohort is generated from these."""

    tenant_parents = ("programme", "module")

    programme = models.ForeignKey(
        "cohorts.Programme", on_delete=models.CASCADE, related_name="curriculum",
        verbose_name=_("programme"),
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="curriculum_items",
                               verbose_name=_("module"))
    position = models.PositiveSmallIntegerField(_("position"))
    sessions = models.PositiveSmallIntegerField(_("sessions"), default=1)

    class Meta:
        verbose_name = _("curriculum module")
        verbose_name_plural = _("curriculum")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="%(app_label)s_%(class)s_unique_position",
                violation_error_message=_("This position of the curriculum is taken."),
            ),
            models.CheckConstraint(
                condition=Q(sessions__gt=0, sessions__lte=100),
                name="%(app_label)s_%(class)s_sessions_range",
                violation_error_message=_("A module lasts between 1 and 100 sessions."),
            ),
        ]

    def __str__(self):
        return f"{self.programme} {self.position}. {self.module}"


class WeeklySlot(TenantModel):
    """A weekly time of a cohort (e.g. Mondays 09:00–12:00 in room 2.07)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    tenant_parents = ("cohort",)
    reach_kind = Data.COHORTS
    cohort_path = "cohort"

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="weekly_slots",
        verbose_name=_("cohort"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    room = models.CharField(_("room"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("weekly slot")
        verbose_name_plural = _("weekly slots")
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["cohort", "weekday", "starts_at"],
                name="%(app_label)s_%(class)s_once_per_time",
                violation_error_message=_("This cohort already has a slot at this time."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Attendance(TenantModel):
    report_relevant = True  # a report reads these rows (jobcenters/data_version.py)

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        LATE = "late", _("late")
        EXCUSED = "excused", _("excused")
        UNEXCUSED = "unexcused", _("unexcused")

    tenant_parents = ("session", "enrolment")
    participant_path = "enrolment.participant_id"
    reach_kind = Data.ATTENDANCE
    cohort_path = "enrolment__cohort"
    enrolment_path = "enrolment"

    session = models.ForeignKey(
        GroupSession, on_delete=models.CASCADE, related_name="attendances",
        verbose_name=_("session"),
    )
    enrolment = models.ForeignKey(
        "participants.Enrolment", on_delete=models.CASCADE, related_name="attendances",
        verbose_name=_("enrolment"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="%(app_label)s_%(class)s_once_per_session",
                violation_error_message=_("Attendance for this person is already recorded."),
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "status"])]

    def __str__(self):
        return f"{self.enrolment.participant}: {self.get_status_display()}"

    def check_same_jobcenter(self):
        super().check_same_jobcenter()
        if self.session.cohort_id != self.enrolment.cohort_id:
            raise ValidationError(
                _("The person is not enrolled in this session's cohort."), code="wrong_cohort"
            )


class IndividualSession(TenantModel):
    """One-to-one coaching, with a confidential note."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        PHONE = "phone", _("phone")
        VIDEO = "video", _("video")

    tenant_parents = ("enrolment",)
    tenant_staff = ("coach",)
    participant_path = "enrolment.participant_id"
    reach_kind = Data.COACHING_NOTES
    cohort_path = "enrolment__cohort"
    enrolment_path = "enrolment"
    audit_redacted = ("confidential_note",)

    enrolment = models.ForeignKey(
        "participants.Enrolment", on_delete=models.CASCADE, related_name="individual_sessions",
        verbose_name=_("enrolment"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="individual_sessions",
        verbose_name=_("coach"),
    )
    held_on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.IN_PERSON
    )
    confidential_note = models.TextField(_("confidential note"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("individual session")
        verbose_name_plural = _("individual sessions")
        ordering = ["-held_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0, minutes__lte=600),
                name="%(app_label)s_%(class)s_minutes_range",
                violation_error_message=_("The duration must lie between 1 and 600 minutes."),
            ),
        ]

    def __str__(self):
        return f"{self.enrolment.participant} {self.held_on:%d.%m.%Y}"


class AbsenceCase(TenantModel):
    """Unexcused absences that the programme's rule says must be followed up
    ("Fehlzeiten klären"), and what the coaches did about them (`steps`)."""

    class Trigger(models.TextChoices):
        IN_ROW = "in_row", _("unexcused in a row")
        TOTAL = "total", _("unexcused in total")

    tenant_parents = ("enrolment",)
    participant_path = "enrolment.participant_id"
    reach_kind = Data.ATTENDANCE
    cohort_path = "enrolment__cohort"
    enrolment_path = "enrolment"

    enrolment = models.ForeignKey(
        "participants.Enrolment", on_delete=models.CASCADE, related_name="absence_cases",
        verbose_name=_("enrolment"),
    )
    trigger = models.CharField(_("reason"), max_length=10, choices=Trigger.choices)
    # The unexcused absences counted when the rule fired.
    absences = models.PositiveSmallIntegerField(_("unexcused absences"))
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("absence case")
        verbose_name_plural = _("absence cases")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            # At most one open case per enrolment: the rule opens a new one only after
            # the last is closed.
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(closed_on__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_enrolment",
                violation_error_message=_("This person already has an open absence case."),
            ),
        ]
        indexes = [models.Index(fields=["jobcenter", "closed_on"])]

    def __str__(self):
        return f"{self.enrolment.participant} {self.opened_on:%d.%m.%Y}"


class AbsenceStep(TenantModel):
    """One thing done about an absence case, with its date."""

    class Kind(models.TextChoices):
        CONTACTED = "contacted", _("contacted")
        GOOD_REASON = "good_reason", _("good reason given")
        HEARING_LETTER = "hearing", _("hearing letter sent (§ 24 SGB X)")
        HANDED_OVER = "handed_over", _("handed to the Integrationsfachkraft")
        CLOSED = "closed", _("closed")

    tenant_parents = ("case",)
    tenant_staff = ("recorded_by",)
    participant_path = "case.enrolment.participant_id"
    reach_kind = Data.ATTENDANCE
    cohort_path = "case__enrolment__cohort"
    enrolment_path = "case__enrolment"

    case = models.ForeignKey(AbsenceCase, on_delete=models.CASCADE, related_name="steps",
                             verbose_name=_("absence case"))
    kind = models.CharField(_("step"), max_length=12, choices=Kind.choices)
    done_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    # A good reason: the absences it covers became excused with this reason.
    reason = models.CharField(_("good reason"), max_length=300, blank=True)
    covered = models.ManyToManyField(Attendance, blank=True, related_name="excused_by",
                                     verbose_name=_("absences covered"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("absence step")
        verbose_name_plural = _("absence steps")
        ordering = ["done_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="good_reason") | ~Q(reason=""),
                name="%(app_label)s_%(class)s_good_reason_named",
                violation_error_message=_("Please name the good reason."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.done_on:%d.%m.%Y}"


@receiver(m2m_changed, sender=GroupSession.coaches.through)
def _session_coaches_are_staff(sender, instance, action, pk_set, reverse, **kwargs):
    if action == "pre_add" and not reverse and not get_user_model().objects.may_lead_sessions(
            instance.jobcenter_id, pk_set):
        raise ValidationError(_("Only staff of this jobcenter can lead a session."),
                              code="foreign_staff")
