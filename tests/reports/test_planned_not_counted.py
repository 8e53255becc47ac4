"""METRICS.md, attendance_rate: only attendance records of held sessions count; planned
sessions without attendance count nothing until they are recorded."""

from datetime import date, time, timedelta

import pytest
from django_scopes import scope

from coaching.models import GroupSession
from coaching.services import AttendanceEntry, SessionData, session_update
from reports.engine import daily_counters, population
from reports.rollup import report
from tests.factories import AttendanceFactory, CohortFactory, EnrolmentFactory, GroupSessionFactory

JOINED = date(2024, 3, 4)
AS_OF = JOINED + timedelta(days=20)
HELD = {  # day after joining → each person's status
    1: ("present", "present", "unexcused"),
    2: ("late", "excused", "unexcused"),
    3: ("present", "unexcused", "present"),
}


def totals(jobcenter):
    return report(daily_counters(population(jobcenter), AS_OF))["totals"]


def by_hand(records):
    """The oracle: (present + late) / all and unexcused / all over these statuses."""
    attended = sum(status in ("present", "late") for status in records)
    unexcused = sum(status == "unexcused" for status in records)
    return attended / len(records), unexcused / len(records)


@pytest.mark.django_db
def test_planned_sessions_count_only_once_held():
    cohort = CohortFactory(planned_start=JOINED, planned_end=JOINED + timedelta(days=39))
    people = [EnrolmentFactory(cohort=cohort, joined_on=JOINED) for _ in range(3)]
    for day, statuses in HELD.items():
        session = GroupSessionFactory(cohort=cohort, held_on=JOINED + timedelta(days=day))
        for enrolment, status in zip(people, statuses, strict=True):
            AttendanceFactory(session=session, enrolment=enrolment, status=status)
    past_planned = GroupSessionFactory(cohort=cohort, held_on=JOINED + timedelta(days=8),
                                       status=GroupSession.Status.PLANNED)
    GroupSessionFactory(cohort=cohort, held_on=JOINED + timedelta(days=9),
                        status=GroupSession.Status.PLANNED, starts_at=time(13, 0),
                        ends_at=time(15, 0))
    GroupSessionFactory(cohort=cohort, held_on=AS_OF + timedelta(days=5),
                        status=GroupSession.Status.PLANNED)
    records = [status for statuses in HELD.values() for status in statuses]

    with scope(jobcenter=cohort.jobcenter):
        figures = totals(cohort.jobcenter)
        attendance_rate, unexcused_rate = by_hand(records)
        assert figures["attendance_rate"] == pytest.approx(attendance_rate)  # 5 / 9
        assert figures["unexcused_rate"] == pytest.approx(unexcused_rate)  # 3 / 9

        recorded = ("unexcused", "unexcused", "present")
        session_update(session=past_planned, version=past_planned.version,
                       data=SessionData(held_on=past_planned.held_on,
                                        starts_at=past_planned.starts_at,
                                        ends_at=past_planned.ends_at),
                       attendance={e.pk: AttendanceEntry(s)
                                   for e, s in zip(people, recorded, strict=True)})

        figures = totals(cohort.jobcenter)
        attendance_rate, unexcused_rate = by_hand(records + list(recorded))
        assert figures["attendance_rate"] == pytest.approx(attendance_rate)  # 6 / 12
        assert figures["unexcused_rate"] == pytest.approx(unexcused_rate)  # 5 / 12
