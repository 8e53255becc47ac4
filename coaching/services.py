"""Group sessions with their attendance, and individual coaching."""

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, time

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from cohorts.models import Cohort
from jobcenters.audit import audit_bulk
from jobcenters.models import Jobcenter, Membership, User
from jobcenters.permissions import Data, Perm, Reach, reach_of
from jobcenters.services import catalogue_row_save
from participants.models import Enrolment
from participants.selectors import cohort_enrolments_on

from .absence import absence_rule_check
from .models import Attendance, GroupSession, IndividualSession, Module
from .selectors import planned_in_slot

logger = logging.getLogger(__name__)


class StaleSessionError(Exception):
    """Someone else saved the session since this form was opened."""


class AlreadyRecordedError(Exception):
    """This form was sent before (a double click, say): `session` is what it recorded then."""

    def __init__(self, session: GroupSession):
        super().__init__(session.pk)
        self.session = session


@dataclass(frozen=True)
class AttendanceEntry:
    status: str
    note: str = ""


@dataclass(frozen=True)
class SessionData:
    held_on: date
    starts_at: time | None = None
    ends_at: time | None = None
    module: object = None
    coaches: tuple = ()
    room: str = ""
    notes: str = ""


def _check(cohort, data: SessionData, attendance: dict[int, AttendanceEntry], session=None):
    """Refuse a date outside the cohort's period and attendance of anyone not enrolled then."""
    if not cohort.planned_start <= data.held_on <= cohort.planned_end:
        raise ValidationError({"held_on": _(
            "The date lies outside the cohort's period (%(start)s – %(end)s)."
        ) % {"start": date_format(cohort.planned_start, "SHORT_DATE_FORMAT"),
             "end": date_format(cohort.planned_end, "SHORT_DATE_FORMAT")}})
    expected = {e.pk: e for e in cohort_enrolments_on(cohort, data.held_on)}
    if set(attendance) != set(expected):
        raise ValidationError(_(
            "The list of participants does not match the date %(date)s. "
            "Please check the attendance again."
        ) % {"date": date_format(data.held_on, "SHORT_DATE_FORMAT")}, code="roster_changed")
    valid = set(Attendance.Status.values)
    if any(entry.status not in valid for entry in attendance.values()):
        raise ValidationError(_("Please choose an attendance status for every participant."))
    twin = _twin(cohort, data, session)
    if twin is not None:
        raise _duplicate(twin)
    if not User.objects.may_lead_sessions(cohort.jobcenter_id,
                                          [coach.pk for coach in data.coaches]):
        raise ValidationError({"coaches": _("Only staff of this jobcenter can lead a session.")})
    return expected


def _twin(cohort, data: SessionData, session=None) -> GroupSession | None:
    """The session of the cohort at the same day and start time, if any (a cancelled one
    leaves its slot free)."""
    twins = GroupSession.objects.filter(cohort=cohort, held_on=data.held_on,
                                        starts_at=data.starts_at).exclude(
        status=GroupSession.Status.CANCELLED)
    if session is not None:
        twins = twins.exclude(pk=session.pk)
    return twins.first()


def _duplicate(twin: GroupSession) -> ValidationError:
    """The refusal of a second session in the twin's slot (the view links to the twin)."""
    params = {"date": date_format(twin.held_on, "SHORT_DATE_FORMAT"), "session": twin.pk}
    if twin.starts_at is None:
        message = _("A session of this cohort on %(date)s without a start time is already "
                    "recorded.")
    else:
        message = _("A session of this cohort on %(date)s at %(time)s is already recorded.")
        params["time"] = time_format(twin.starts_at, "H:i")
    return ValidationError({"held_on": ValidationError(message, code="duplicate_session",
                                                       params=params)})


def _write_attendance(session: GroupSession, expected, attendance):
    """Create, change and remove attendance rows in a few queries, each logged for audit."""
    existing = {a.enrolment_id: a for a in session.attendances.select_related("enrolment")}
    new, changed, before = [], [], {}
    for enrolment_id, entry in attendance.items():
        row = existing.pop(enrolment_id, None)
        if row is None:
            new.append(Attendance(jobcenter=session.jobcenter, session=session,
                                  enrolment=expected[enrolment_id], status=entry.status,
                                  note=entry.note))
        elif (row.status, row.note) != (entry.status, entry.note):
            before[row.pk] = (row.status, row.note)
            row.status, row.note = entry.status, entry.note
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status", "note"])
    gone = list(existing.values())  # people no longer enrolled on a changed date
    if gone:
        Attendance.objects.filter(pk__in=[a.pk for a in gone]).delete()
    audit_bulk(new, LogEntry.Action.CREATE,
               lambda a: {"status": [None, a.status], "note": [None, a.note]})
    audit_bulk(changed, LogEntry.Action.UPDATE,
               lambda a: {"status": [before[a.pk][0], a.status],
                          "note": [before[a.pk][1], a.note]})
    audit_bulk(gone, LogEntry.Action.DELETE, lambda a: {"status": [a.status, None]})
    absence_rule_check(enrolments=expected.values())  # a case opens where the rule fires


def _apply(session: GroupSession, data: SessionData):
    session.held_on = data.held_on
    session.starts_at = data.starts_at
    session.ends_at = data.ends_at
    session.module = data.module
    session.room = data.room
    session.notes = data.notes
    session.full_clean(exclude=["cohort", "jobcenter"])


def session_record(
    *, cohort, data: SessionData, attendance: dict[int, AttendanceEntry],
    token: uuid.UUID | None = None,
) -> GroupSession:
    """A new group session with the attendance of everyone enrolled on its date.

    `token` is the form's one-time token: the same form sent again raises
    AlreadyRecordedError with the session it recorded, instead of recording a second one. The
    database refuses a second session in the same slot (cohort, day, start time) also when
    two requests race; the loser gets the ValidationError of a sequential duplicate.

    A planned session of the cohort in the same slot becomes this held one: recording the
    day's session from "Sitzung erfassen" completes the plan instead of colliding with it.
    """
    _raise_if_recorded(cohort, token)
    planned = planned_in_slot(cohort=cohort, held_on=data.held_on, starts_at=data.starts_at)
    if planned is not None:
        try:
            return session_update(session=planned, version=planned.version, data=data,
                                  attendance=attendance, token=token)
        except StaleSessionError:  # recorded by someone else a moment ago
            _raise_if_recorded(cohort, token)
            raise _duplicate(planned) from None
    try:
        return _session_insert(cohort=cohort, data=data, attendance=attendance, token=token)
    except (IntegrityError, ValidationError) as error:
        _raise_if_recorded(cohort, token)  # the first of two concurrent sends has won
        if isinstance(error, IntegrityError):
            twin = _twin(cohort, data)
            if twin is not None:
                raise _duplicate(twin) from error
        raise


def _raise_if_recorded(cohort, token):
    if token is None:
        return
    earlier = GroupSession.objects.filter(cohort=cohort, submission_token=token).first()
    if earlier is not None:
        raise AlreadyRecordedError(earlier)


@transaction.atomic
def _session_insert(*, cohort, data, attendance, token) -> GroupSession:
    expected = _check(cohort, data, attendance)
    session = GroupSession(jobcenter=cohort.jobcenter, cohort=cohort, submission_token=token,
                           status=GroupSession.Status.HELD)
    _apply(session, data)
    session.save()
    session.coaches.set(data.coaches)
    _write_attendance(session, expected, attendance)
    return session


def session_update(
    *, session: GroupSession, version: int, data: SessionData,
    attendance: dict[int, AttendanceEntry], token: uuid.UUID | None = None,
) -> GroupSession:
    """Change a session, unless someone else saved it since `version` was read. A planned
    session becomes held with its attendance; a cancelled one is not recorded."""
    if session.status == GroupSession.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled; its attendance cannot be "
                                "recorded."), code="cancelled")
    try:
        return _session_change(session=session, version=version, data=data,
                               attendance=attendance, token=token)
    except IntegrityError as error:  # moved into a slot that a concurrent save has taken
        twin = _twin(session.cohort, data, session)
        if twin is None:
            raise
        raise _duplicate(twin) from error


@transaction.atomic
def _session_change(*, session, version, data, attendance, token) -> GroupSession:
    claimed = GroupSession.objects.filter(pk=session.pk, version=version).exclude(
        status=GroupSession.Status.CANCELLED).update(version=F("version") + 1)
    if not claimed:
        raise StaleSessionError
    expected = _check(session.cohort, data, attendance, session)
    session.version = version + 1
    session.status = GroupSession.Status.HELD
    if token is not None:  # the form sent again finds the session it recorded
        session.submission_token = token
    _apply(session, data)
    session.save()
    session.coaches.set(data.coaches)
    _write_attendance(session, expected, attendance)
    return session


def check_may_record_for(by: Membership, cohort) -> None:
    """Who records a cohort's sessions may correct them: its coaches and team leads."""
    if not (by.can(Perm.RECORD_SESSIONS)
            and Cohort.objects.visible_to(by).filter(pk=cohort.pk).exists()):
        raise PermissionDenied


@transaction.atomic
def session_delete(*, session: GroupSession, by: Membership) -> int:
    """Delete a session recorded by mistake, with its attendance; returns how many
    attendance records went with it. Each one's deletion is in the audit trail (auditlog's
    signals, naming the person) and bumps the data version, so the reports follow."""
    check_may_record_for(by, session.cohort)
    count = session.attendances.count()
    session.delete()
    return count


@transaction.atomic
def individual_session_record(*, enrolment: Enrolment, coach: User, held_on: date,
                              minutes: int, channel: str, confidential_note: str = "",
                              next_steps: str = "") -> IndividualSession:
    if not Membership.objects.filter(jobcenter=enrolment.jobcenter, user=coach).exists():
        raise ValidationError(_("Only staff of this jobcenter can record coaching."))
    record = IndividualSession(
        jobcenter=enrolment.jobcenter, enrolment=enrolment, coach=coach, held_on=held_on,
        minutes=minutes, channel=channel, confidential_note=confidential_note,
        next_steps=next_steps)
    record.full_clean()
    record.save()
    return record


def individual_session_may_correct(record: IndividualSession, by: Membership) -> bool:
    """A coaching entry is corrected by its author, or by whom the reach table lets read
    every coaching note of the jobcenter (the team lead)."""
    if not by.can(Perm.RECORD_SESSIONS) or by.jobcenter_id != record.jobcenter_id:
        return False
    return (record.coach_id == by.user_id
            or reach_of(by.role, Data.COACHING_NOTES) == Reach.JOBCENTER)


def _may_correct(record: IndividualSession, by: Membership) -> None:
    if not individual_session_may_correct(record, by):
        raise PermissionDenied


@transaction.atomic
def individual_session_update(*, record: IndividualSession, by: Membership, held_on: date,
                              minutes: int, channel: str, confidential_note: str = "",
                              next_steps: str = "") -> IndividualSession:
    """Correct a coaching entry; its author stays who recorded it."""
    _may_correct(record, by)
    record.held_on, record.minutes, record.channel = held_on, minutes, channel
    record.confidential_note, record.next_steps = confidential_note, next_steps
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def individual_session_remove(*, record: IndividualSession, by: Membership) -> None:
    """Remove a coaching entry recorded by mistake (its note's text stays out of the trail)."""
    _may_correct(record, by)
    record.delete()


@transaction.atomic
def module_save(*, jobcenter: Jobcenter, module: Module | None = None, name: str,
                description: str = "", is_active: bool = True) -> Module:
    return catalogue_row_save(module or Module(jobcenter=jobcenter), name=name,
                              description=description, is_active=is_active)


def calendar_token_renew(*, membership: Membership) -> str:
    """A new private address of the member's calendar feed; the old one stops working."""
    if not membership.can(Perm.LEAD_SESSIONS):
        raise PermissionDenied
    membership.calendar_token = secrets.token_urlsafe(32)
    membership.save(update_fields=["calendar_token"])
    logger.info("calendar address renewed for membership %s", membership.pk)
    return membership.calendar_token


def calendar_token_revoke(*, membership: Membership) -> None:
    """No calendar feed for the member any more."""
    membership.calendar_token = None
    membership.save(update_fields=["calendar_token"])
    logger.info("calendar address deleted for membership %s", membership.pk)
