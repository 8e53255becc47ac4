"""The absence rule and the steps of a case ("Fehlzeiten klären")."""

from datetime import time, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from coaching.absence import absence_rule_check, absence_step_record
from coaching.models import AbsenceCase, AbsenceStep, Attendance, GroupSession
from coaching.services import AttendanceEntry, SessionData, session_record, session_update
from reports.engine import daily_counters, population
from reports.rollup import report
from tests.factories import (
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupSessionFactory,
)

P, L, E, U = "present", "late", "excused", "unexcused"


def group(coach, *, in_row=None, total=None, people=1, **enrolment):
    """A running group of the coach, whose programme has this absence rule, with `people`
    participants who joined at its start."""
    today = timezone.localdate()
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter,
                           programme__absences_in_row=in_row, programme__absences_total=total,
                           planned_start=today - timedelta(days=40), planned_end=today)
    CohortCoachFactory(cohort=cohort, user=coach.user)
    enrolments = [EnrolmentFactory(cohort=cohort, **enrolment) for _ in range(people)]
    return cohort, enrolments


def record(cohort, day_number, statuses):
    """The session of the group's day `day_number`, one status per enrolment (by pk)."""
    day = cohort.planned_start + timedelta(days=day_number)
    return session_record(cohort=cohort, data=SessionData(held_on=day, starts_at=time(9)),
                          attendance={pk: AttendanceEntry(s) for pk, s in statuses.items()})


def record_series(cohort, enrolment, statuses, first_day=0):
    for number, status in enumerate(statuses, start=first_day):
        record(cohort, number, {enrolment.pk: status})


def cases_of(enrolment):
    return list(AbsenceCase.objects.filter(enrolment=enrolment).order_by("pk"))


@pytest.mark.django_db
def test_the_rule_fires_at_n_unexcused_in_a_row(coach):
    with scope(jobcenter=coach.jobcenter):
        cohort, (person,) = group(coach, in_row=3)
        record_series(cohort, person, [U, U])
        assert cases_of(person) == []
        record(cohort, 2, {person.pk: U})
        (case,) = cases_of(person)
        assert (case.trigger, case.absences, case.opened_on, case.closed_on) == (
            AbsenceCase.Trigger.IN_ROW, 3, timezone.localdate(), None)


@pytest.mark.django_db
@pytest.mark.parametrize("breaker", [P, L, E])
def test_attending_coming_late_or_an_excuse_breaks_the_row(coach, breaker):
    with scope(jobcenter=coach.jobcenter):
        cohort, (person,) = group(coach, in_row=3)
        record_series(cohort, person, [U, U, breaker, U, U])
        assert cases_of(person) == []


@pytest.mark.django_db
def test_the_rule_fires_at_m_unexcused_in_total(coach):
    with scope(jobcenter=coach.jobcenter):
        cohort, (person,) = group(coach, in_row=3, total=4)
        record_series(cohort, person, [U, P, U, U, E, U])
        (case,) = cases_of(person)
        assert (case.trigger, case.absences) == (AbsenceCase.Trigger.TOTAL, 4)


@pytest.mark.django_db
def test_in_a_row_wins_when_both_fire(coach):
    with scope(jobcenter=coach.jobcenter):
        cohort, (person,) = group(coach, in_row=2, total=2)
        record_series(cohort, person, [U, U])
        (case,) = cases_of(person)
        assert (case.trigger, case.absences) == (AbsenceCase.Trigger.IN_ROW, 2)


@pytest.mark.django_db
def test_never_for_voluntary_participation_an_exit_or_a_programme_without_rule(coach):
    with scope(jobcenter=coach.jobcenter):
        cohort, (voluntary,) = group(coach, in_row=2, is_voluntary=True)
        record_series(cohort, voluntary, [U, U, U])
        assert cases_of(voluntary) == []

        cohort, (person,) = group(coach)
        record_series(cohort, person, [U] * 6)
        assert cases_of(person) == []

        cohort, (leaver,) = group(coach, in_row=2)
        for day in range(2):
            AttendanceFactory(session=GroupSessionFactory(
                cohort=cohort, held_on=cohort.planned_start + timedelta(days=day)),
                enrolment=leaver, status=U)
        leaver.exit_on, leaver.exit_reason = cohort.planned_start + timedelta(days=3), "other"
        leaver.save()
        assert absence_rule_check(enrolments=[leaver]) == []


@pytest.mark.django_db
def test_a_late_joiners_sessions_before_joining_do_not_count(coach):
    with scope(jobcenter=coach.jobcenter):
        cohort, (person,) = group(coach, in_row=2)
        joined = cohort.planned_start + timedelta(days=10)
        person.joined_on = joined
        person.save()
        # Records of the days before joining (a session's date corrected, an import): ignored.
        for day in (7, 8, 9):
            AttendanceFactory(session=GroupSessionFactory(
                cohort=cohort, held_on=cohort.planned_start + timedelta(days=day)),
                enrolment=person, status=U)
        record(cohort, 10, {person.pk: U})
        assert cases_of(person) == []
        record(cohort, 11, {person.pk: U})
        (case,) = cases_of(person)
        assert case.absences == 2


@pytest.mark.django_db
def test_planned_sessions_do_not_count(coach):
    with scope(jobcenter=coach.jobcenter):
        cohort, (person,) = group(coach, in_row=2)
        for day, status in ((0, GroupSession.Status.PLANNED), (1, GroupSession.Status.HELD)):
            AttendanceFactory(session=GroupSessionFactory(
                cohort=cohort, held_on=cohort.planned_start + timedelta(days=day),
                status=status), enrolment=person, status=U)
        assert absence_rule_check(enrolments=[person]) == []


@pytest.mark.django_db
def test_not_twice_while_a_case_is_open_and_afresh_after_it_closed(coach):
    with scope(jobcenter=coach.jobcenter):
        cohort, (person,) = group(coach, in_row=2)
        record_series(cohort, person, [U, U, U, U])
        (case,) = cases_of(person)
        assert absence_rule_check(enrolments=[person]) == []
        absence_step_record(case=case, by=coach, kind=AbsenceStep.Kind.CLOSED,
                            done_on=timezone.localdate())
        # The absences up to the day the case opened stay with it.
        assert absence_rule_check(enrolments=[person]) == []
        assert len(cases_of(person)) == 1


@pytest.mark.django_db
def test_a_correction_of_attendance_opens_the_case(coach):
    with scope(jobcenter=coach.jobcenter):
        cohort, (person,) = group(coach, in_row=2)
        record(cohort, 0, {person.pk: U})
        session = record(cohort, 1, {person.pk: P})
        assert cases_of(person) == []
        session_update(session=session, version=session.version,
                       data=SessionData(held_on=session.held_on, starts_at=time(9)),
                       attendance={person.pk: AttendanceEntry(U)})
        assert len(cases_of(person)) == 1


def _check_queries(enrolments) -> int:
    with CaptureQueriesContext(connection) as ctx:
        opened = absence_rule_check(enrolments=enrolments)
    assert len(opened) == len(enrolments)
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_check_makes_the_same_queries_for_2_and_12_people(coach):
    with scope(jobcenter=coach.jobcenter):
        counts = []
        for people in (2, 12):
            cohort, enrolments = group(coach, in_row=2, people=people)
            for day in range(3):
                session = GroupSessionFactory(cohort=cohort,
                                              held_on=cohort.planned_start + timedelta(days=day))
                Attendance.objects.bulk_create(
                    Attendance(jobcenter=cohort.jobcenter, session=session, enrolment=e,
                               status=U) for e in enrolments)
            counts.append(_check_queries(enrolments))
        assert counts[0] == counts[1]


# Steps ---------------------------------------------------------------------------------

def opened_case(coach, statuses=(U, U), **rule):
    cohort, (person,) = group(coach, **(rule or {"in_row": 2}))
    record_series(cohort, person, statuses)
    (case,) = cases_of(person)
    return case


def totals(jobcenter):
    return report(daily_counters(population(jobcenter), timezone.localdate()), None,
                  None)["totals"]


@pytest.mark.django_db
def test_a_good_reason_excuses_the_covered_absences_and_the_figures_follow(coach):
    with scope(jobcenter=coach.jobcenter):
        case = opened_case(coach, statuses=(P, U, U))
        absences = list(Attendance.objects.filter(enrolment=case.enrolment, status=U))
        before = totals(coach.jobcenter)
        assert before["unexcused_rate"] == pytest.approx(2 / 3)
        assert before["attendance_rate"] == pytest.approx(1 / 3)
        version = coach.jobcenter.data_version

        step = absence_step_record(case=case, by=coach, kind=AbsenceStep.Kind.GOOD_REASON,
                                   done_on=timezone.localdate(), reason="Arzttermin",
                                   covered=absences)

        assert set(step.covered.all()) == set(absences)
        assert {(a.status, a.note) for a in Attendance.objects.filter(
            pk__in=[a.pk for a in absences])} == {(E, "Wichtiger Grund: Arzttermin")}
        coach.jobcenter.refresh_from_db()
        assert coach.jobcenter.data_version > version  # the reports notice the change
        after = totals(coach.jobcenter)
        assert after["unexcused_rate"] == 0
        assert after["attendance_rate"] == pytest.approx(1 / 3)
        case.refresh_from_db()
        assert case.closed_on is None  # a good reason alone does not close the case


@pytest.mark.django_db
def test_every_step_and_its_consequences_are_audited(coach):
    with scope(jobcenter=coach.jobcenter):
        case = opened_case(coach)
        absences = list(Attendance.objects.filter(enrolment=case.enrolment, status=U))
        today = timezone.localdate()
        for kind, extra in ((AbsenceStep.Kind.CONTACTED, {}),
                            (AbsenceStep.Kind.GOOD_REASON,
                             {"reason": "Vorstellungsgespräch", "covered": absences}),
                            (AbsenceStep.Kind.CLOSED, {})):
            absence_step_record(case=case, by=coach, kind=kind, done_on=today, **extra)
    steps = LogEntry.objects.filter(content_type__model="absencestep",
                                    action=LogEntry.Action.CREATE)
    assert sorted(entry.changes["kind"][1] for entry in steps) == [
        "closed", "contacted", "good_reason"]
    assert all(entry.additional_data["participant"] == case.enrolment.participant_id
               for entry in steps)
    excused = LogEntry.objects.filter(content_type__model="attendance",
                                      action=LogEntry.Action.UPDATE,
                                      object_id__in=[a.pk for a in absences])
    assert {tuple(entry.changes["status"]) for entry in excused} == {(U, E)}
    assert LogEntry.objects.filter(content_type__model="absencecase",
                                   action=LogEntry.Action.CREATE, object_id=case.pk).exists()
    assert LogEntry.objects.filter(content_type__model="absencecase",
                                   action=LogEntry.Action.UPDATE, object_id=case.pk,
                                   changes__closed_on__1=str(today)).exists()


def refused(case, coach, field, **step):
    """The step is refused with a German message on `field`; nothing is saved."""
    statuses = dict(Attendance.objects.filter(enrolment=case.enrolment)
                    .values_list("pk", "status"))
    with pytest.raises(ValidationError) as refusal:
        absence_step_record(case=case, by=coach, **{"done_on": timezone.localdate(), **step})
    assert not AbsenceStep.objects.filter(case=case).exists()
    assert dict(Attendance.objects.filter(enrolment=case.enrolment)
                .values_list("pk", "status")) == statuses
    case.refresh_from_db()
    assert case.closed_on is None
    return refusal.value.message_dict[field]


@pytest.mark.django_db
def test_bad_steps_are_refused_in_german_and_nothing_is_saved(coach):
    today = timezone.localdate()
    with scope(jobcenter=coach.jobcenter):
        case = opened_case(coach)
        mine = list(Attendance.objects.filter(enrolment=case.enrolment, status=U))
        other_cohort, (someone_else,) = group(coach, in_row=5)
        record(other_cohort, 0, {someone_else.pk: U})
        theirs = list(Attendance.objects.filter(enrolment=someone_else))

        assert refused(case, coach, "done_on", kind="contacted",
                       done_on=today + timedelta(days=1)) == [
            "Das Datum liegt in der Zukunft. Bitte geben Sie den Tag an, an dem es erledigt "
            "wurde."]
        assert refused(case, coach, "done_on", kind="closed",
                       done_on=today - timedelta(days=1))[0].startswith(
            "Das Datum liegt vor der Eröffnung des Falls")
        assert refused(case, coach, "reason", kind="good_reason", reason=" ",
                       covered=mine) == ["Bitte nennen Sie den wichtigen Grund."]
        assert refused(case, coach, "covered", kind="good_reason", reason="krank",
                       covered=[]) == [
            "Bitte wählen Sie die Fehlzeiten, die der wichtige Grund entschuldigt."]
        assert refused(case, coach, "covered", kind="good_reason", reason="krank",
                       covered=[*mine, *theirs]) == [
            "Nur unentschuldigte Fehlzeiten dieser Person können entschuldigt werden."]


@pytest.mark.django_db
def test_nothing_is_recorded_after_the_case_was_closed(coach):
    today = timezone.localdate()
    with scope(jobcenter=coach.jobcenter):
        case = opened_case(coach)
        absence_step_record(case=case, by=coach, kind="closed", done_on=today)
        with pytest.raises(ValidationError) as refusal:
            absence_step_record(case=case, by=coach, kind="contacted", done_on=today)
        assert "abgeschlossen" in refusal.value.messages[0]
        assert AbsenceStep.objects.filter(case=case).count() == 1
