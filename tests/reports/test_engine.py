from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from employers.models import Integration
from participants.models import Enrolment, Participant
from reports.engine import daily_counters, population
from reports.metrics import outcome_counts
from reports.rollup import report
from tests.factories import CohortFactory

AS_OF = date(2025, 12, 31)


def bulk_enrolments(jobcenter, count):
    """`count` entrants across a few cohorts, every third integrated: fast, for sizes."""
    cohorts = [CohortFactory(programme__jobcenter=jobcenter,
                             planned_start=date(2024, 1, 1) + timedelta(days=40 * i))
               for i in range(5)]
    start = Participant.objects.count()
    people = Participant.objects.bulk_create(
        Participant(jobcenter=jobcenter, customer_number=f"B{start + i:08d}", first_name="T",
                    last_name=f"N{i}", birth_year=1970 + i % 40) for i in range(count))
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(jobcenter=jobcenter, participant=p, cohort=cohorts[i % 5],
                  assigned_on=cohorts[i % 5].planned_start,
                  joined_on=cohorts[i % 5].planned_start)
        for i, p in enumerate(people))
    Integration.objects.bulk_create(
        Integration(jobcenter=jobcenter, enrolment=e, kind="employment",
                    start_on=e.joined_on + timedelta(days=30))
        for e in enrolments[::3])


def engine_queries(jobcenter):
    with CaptureQueriesContext(connection) as ctx, scope(jobcenter=jobcenter):
        counters = daily_counters(population(jobcenter), AS_OF)
    return [query["sql"].split()[0] for query in ctx.captured_queries], counters


@pytest.mark.django_db
def test_the_engine_needs_the_same_queries_for_50_and_for_5000_enrolments(jobcenter_a,
                                                                          jobcenter_b):
    with scope(jobcenter=jobcenter_a):
        bulk_enrolments(jobcenter_a, 50)
    with scope(jobcenter=jobcenter_b):
        bulk_enrolments(jobcenter_b, 5000)
    small, _ = engine_queries(jobcenter_a)
    large, counters = engine_queries(jobcenter_b)
    assert small == large
    # One grouped query per source of rows (entrants with their days to integration,
    # assignments, follow-ups; attendance and applications counted per enrolment first, in
    # a WITH), one for the cohorts' names and, in a savepoint, the settings for the
    # engine's statements.
    assert (large.count("SELECT"), large.count("WITH")) == (4, 2)
    assert set(large) - {"SELECT", "WITH"} <= {"SAVEPOINT", "SET", "RELEASE"}
    totals = report(counters)["totals"]
    assert (totals["entrants"], totals["integrated"]) == (5000, 1667)


@pytest.mark.django_db
def test_the_rolled_up_totals_equal_the_direct_count_for_any_period(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        bulk_enrolments(jobcenter_a, 200)
        counters = daily_counters(population(jobcenter_a), AS_OF)
        for start, end in ((None, None), (date(2024, 1, 1), date(2024, 3, 31)),
                           (date(2024, 2, 10), date(2024, 5, 20))):
            enrolments = population(jobcenter_a)
            if start:
                enrolments = enrolments.filter(joined_on__gte=start, joined_on__lte=end)
            direct = outcome_counts(enrolments, AS_OF)
            rolled = report(counters, start, end)["totals"]
            for field in ("entrants", "integrated", "active", "integration_rate"):
                assert rolled[field] == direct[field], (start, field)


@pytest.mark.django_db
def test_a_snapshot_gives_every_offered_period_what_the_daily_counters_give(jobcenter_a):
    """Entries, sessions and job starts on the days where quarters and the last twelve
    months (and the twelve before them) begin and end."""
    from reports.engine import period_counters
    from reports.periods import period_for, periods_with_data
    from tests.factories import (
        ApplicationFactory,
        AttendanceFactory,
        EnrolmentFactory,
        GroupSessionFactory,
        IntegrationFactory,
    )

    as_of = date(2026, 5, 20)
    last12 = period_for("last12", as_of)
    edges = [last12.start, last12.start - timedelta(days=1), last12.previous().start,
             last12.previous().start - timedelta(days=1), date(2026, 3, 31),
             date(2026, 4, 1), date(2025, 12, 31), date(2024, 1, 1), as_of]
    with scope(jobcenter=jobcenter_a):
        for number, day in enumerate(edges):
            cohort = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=day)
            enrolment = EnrolmentFactory(cohort=cohort, participant__birth_year=1960 + 9 * number)
            if number % 2:
                IntegrationFactory(enrolment=enrolment, start_on=day + timedelta(days=number))
            ApplicationFactory(enrolment=enrolment)
            for offset in (0, 1) if day < as_of else (0,):
                session = GroupSessionFactory(cohort=cohort, status="held",
                                              held_on=day + timedelta(days=offset))
                AttendanceFactory(session=session, enrolment=enrolment,
                                  status="unexcused" if offset else "present")
        daily = daily_counters(population(jobcenter_a), as_of)
        snapshot = period_counters(population(jobcenter_a), as_of)
    periods = periods_with_data(snapshot["total"][""], as_of)
    assert {p.key for p in periods} >= {"last12", "all", "2026", "2026-Q2", "2025-Q4",
                                        "2024-Q1"}
    for period in [*periods, last12.previous()]:
        assert report(snapshot, period.start, period.end) == report(
            daily, period.start, period.end), period.key
    assert report(snapshot, last12.start, as_of)["totals"]["entrants"] == 5
    # A period the snapshot is not cut for is refused, not summed wrongly.
    with pytest.raises(ValueError, match="cut by the period"):
        report(snapshot, date(2026, 2, 15), as_of)


def test_packed_counters_unpack_to_the_same():
    from reports.packing import pack, unpack

    counters = {"total": {"": {"2025-01-01/2025-03-31": {"entrants": 3, "integrated": 1,
                                                          "days": {"12": 1}},
                               "2025-04-01/2025-06-30": {"attendance_records": 40}}},
                "cohort": {"WA-1": {"2025-01-01/2025-03-31": {"entrants": 3,
                                                              "exit:dropout": 2}}}}
    packed = pack(counters)
    assert unpack(packed) == counters
    assert unpack(packed, ("total",)) == {"total": counters["total"]}
    assert unpack(b"") == {}
