"""The absence rule of a programme and the follow-up of its cases ("Fehlzeiten klären").

DESIGN.md, "Absence follow-up": after N unexcused absences in a row or M in total (per
programme, never for voluntary participation) a case opens; the coaches record what they
did about it, step by step, until it is closed. The decision on consequences for benefits
is made outside this application: it documents.
"""

from collections.abc import Iterable
from datetime import date

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jobcenters.audit import audit_bulk
from jobcenters.models import Membership
from jobcenters.permissions import Perm
from participants.models import Enrolment

from .models import AbsenceCase, AbsenceStep, Attendance, GroupSession
from .selectors import longest_unexcused_streak

# "closed" alone is a vacancy's "geschlossen"; a case is "abgeschlossen".
STEP_LABELS = {**dict(AbsenceStep.Kind.choices),
               AbsenceStep.Kind.CLOSED: pgettext_lazy("absence case", "closed")}
STEP_CHOICES = list(STEP_LABELS.items())

TRIGGER_TEXTS = {
    AbsenceCase.Trigger.IN_ROW: gettext_lazy("%(count)s× unexcused in a row"),
    AbsenceCase.Trigger.TOTAL: gettext_lazy("%(count)s× unexcused in total"),
}


def trigger_text(case: AbsenceCase) -> str:
    """"3× unentschuldigt in Folge": why the case was opened."""
    return TRIGGER_TEXTS[case.trigger] % {"count": case.absences}


def counted_after(cases: Iterable[AbsenceCase]) -> date | None:
    """The day up to which earlier cases of an enrolment counted its absences.

    A case counts the unexcused absences of sessions dated up to the day it was opened; the
    next case counts only those dated after the latest opening day of the closed cases
    before it (an absence dated earlier but recorded later stays with the earlier case).
    """
    return max((c.opened_on for c in cases if c.closed_on is not None), default=None)


@transaction.atomic
def absence_rule_check(*, enrolments) -> list[AbsenceCase]:
    """Open a case for each of these enrolments whose programme's rule fires; returns them.

    Counted are the unexcused absences of held sessions dated on or after the person's
    joining, and after the days earlier cases counted (`counted_after`). The rule fires at
    the programme's `absences_in_row` unexcused absences in a row (a session the person has
    a record for and attended, came late to or was excused from breaks the row) or at
    `absences_total` in total; in a row wins when both fire. Never for voluntary
    participation, an exited person or a programme without a rule, and never while the
    enrolment has an open case. Five queries, however many enrolments.
    """
    ids = sorted({e.pk for e in enrolments})
    # Locked in order of id, so that two saves of one group's sessions check one at a time.
    candidates = {
        e.pk: e for e in Enrolment.objects.filter(pk__in=ids, is_voluntary=False,
                                                  exit_on__isnull=True, joined_on__isnull=False)
        .filter(Q(cohort__programme__absences_in_row__isnull=False)
                | Q(cohort__programme__absences_total__isnull=False))
        .select_related("cohort__programme").select_for_update(of=("self",)).order_by("pk")
    }
    if not candidates:
        return []
    earlier: dict[int, list[AbsenceCase]] = {}
    for case in AbsenceCase.objects.filter(enrolment__in=list(candidates)):
        earlier.setdefault(case.enrolment_id, []).append(case)
    statuses: dict[int, list[tuple[date, str]]] = {}
    for row in (Attendance.objects
                .filter(enrolment__in=[pk for pk in candidates
                                       if not any(c.closed_on is None
                                                  for c in earlier.get(pk, ()))],
                        session__status=GroupSession.Status.HELD,
                        session__held_on__gte=F("enrolment__joined_on"))
                .order_by("enrolment_id", "session__held_on", "session__starts_at", "session_id")
                .values_list("enrolment_id", "session__held_on", "status")):
        statuses.setdefault(row[0], []).append(row[1:])
    opened = []
    today = timezone.localdate()
    for pk, rows in statuses.items():
        enrolment = candidates[pk]
        after = counted_after(earlier.get(pk, ()))
        counted = [status for day, status in rows if after is None or day > after]
        fired = _fires(enrolment.cohort.programme, counted)
        if fired is not None:
            trigger, absences = fired
            opened.append(AbsenceCase(jobcenter_id=enrolment.jobcenter_id, enrolment=enrolment,
                                      trigger=trigger, absences=absences, opened_on=today))
    AbsenceCase.objects.bulk_create(opened)
    audit_bulk(opened, LogEntry.Action.CREATE, lambda c: {
        "enrolment": [None, c.enrolment_id], "trigger": [None, c.trigger],
        "absences": [None, c.absences], "opened_on": [None, c.opened_on]})
    return opened


def _fires(programme, statuses: list[str]) -> tuple[str, int] | None:
    """(trigger, absences counted) when the programme's rule fires for these statuses."""
    in_row = longest_unexcused_streak(statuses)
    if programme.absences_in_row is not None and in_row >= programme.absences_in_row:
        return AbsenceCase.Trigger.IN_ROW, in_row
    total = statuses.count(Attendance.Status.UNEXCUSED)
    if programme.absences_total is not None and total >= programme.absences_total:
        return AbsenceCase.Trigger.TOTAL, total
    return None


def good_reason_note(reason: str) -> str:
    """The note an absence excused by a good reason keeps: in German, as all stored text."""
    with translation.override("de"):
        note = _("Good reason: %(reason)s") % {"reason": reason}
    max_length = Attendance._meta.get_field("note").max_length
    return note if len(note) <= max_length else note[:max_length - 1] + "…"


@transaction.atomic
def absence_step_record(*, case: AbsenceCase, by: Membership, kind: str, done_on: date,
                        note: str = "", reason: str = "",
                        covered: Iterable[Attendance] = ()) -> AbsenceStep:
    """Record what was done about an absence case, on `done_on`.

    A good reason names the reason and the unexcused absences of the case's person it
    covers: they become excused, noting the reason. "Closed" closes the case; nothing is
    recorded after that. Refused (nothing saved): a date in the future or before the case
    was opened, a good reason without a reason or without absences, absences of anyone else.
    """
    if not (by.can(Perm.RECORD_SESSIONS)
            and AbsenceCase.objects.visible_to(by).filter(pk=case.pk).exists()):
        raise PermissionDenied
    # Locked: two steps sent at once both see whether the case is still open.
    case = AbsenceCase.objects.select_for_update().get(pk=case.pk)
    if case.closed_on is not None:
        raise ValidationError(_("This case was closed on %(date)s; no further step can be "
                                "recorded.") % {"date": _german(case.closed_on)})
    covered_ids = {a.pk for a in covered}
    _check_step(case, kind, done_on, reason, covered_ids)
    step = AbsenceStep(jobcenter_id=case.jobcenter_id, case=case, kind=kind, done_on=done_on,
                       note=note, recorded_by_id=by.user_id,
                       reason=reason if kind == AbsenceStep.Kind.GOOD_REASON else "")
    step.full_clean(exclude=["case", "jobcenter", "recorded_by"])
    step.save()
    if kind == AbsenceStep.Kind.GOOD_REASON:
        step.covered.set(_excuse(case, covered_ids, reason))
    if kind == AbsenceStep.Kind.CLOSED:
        case.closed_on = done_on
        case.save(update_fields=["closed_on"])
    return step


def _check_step(case, kind, done_on, reason, covered_ids):
    errors = {}
    if kind not in AbsenceStep.Kind.values:
        errors["kind"] = _("Please choose a step.")
    if done_on > timezone.localdate():
        errors["done_on"] = _("The date lies in the future. Please enter the day it was done.")
    elif done_on < case.opened_on:
        errors["done_on"] = _("The date lies before the case was opened (%(date)s).") % {
            "date": _german(case.opened_on)}
    if kind == AbsenceStep.Kind.GOOD_REASON:
        if not reason.strip():
            errors["reason"] = _("Please name the good reason.")
        if not covered_ids:
            errors["covered"] = _("Please choose the absences the good reason covers.")
        elif Attendance.objects.filter(pk__in=covered_ids, enrolment_id=case.enrolment_id,
                                       status=Attendance.Status.UNEXCUSED,
                                       session__status=GroupSession.Status.HELD
                                       ).count() != len(covered_ids):
            errors["covered"] = _("Only unexcused absences of this person can be covered.")
    elif covered_ids:
        errors["covered"] = _("Only a good reason covers absences.")
    if errors:
        raise ValidationError(errors)


def _excuse(case, covered_ids, reason) -> list[Attendance]:
    """The covered absences become excused, each change in the audit trail; the sessions'
    versions move on, so that a session form opened before does not undo it unseen."""
    rows = list(Attendance.objects.filter(pk__in=covered_ids, enrolment_id=case.enrolment_id)
                .select_related("enrolment"))
    before = {a.pk: (a.status, a.note) for a in rows}
    note = good_reason_note(reason)
    for row in rows:
        row.status, row.note = Attendance.Status.EXCUSED, note
    Attendance.objects.bulk_update(rows, ["status", "note"])
    audit_bulk(rows, LogEntry.Action.UPDATE,
               lambda a: {"status": [before[a.pk][0], a.status],
                          "note": [before[a.pk][1], a.note]})
    GroupSession.objects.filter(pk__in={a.session_id for a in rows}).update(
        version=F("version") + 1)
    return rows


def _german(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")
