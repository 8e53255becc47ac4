"""Smoke test of bench/ (the benchmark itself runs with `make bench`, not in CI)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django_scopes import scope

from bench.floor import BREAKDOWNS, FIELDS, engine_groups, engine_totals, sql_totals
from bench.load import form_body, parse_wrk
from reports.engine import daily_counters, population
from tests.conftest import require
from tests.factories import CohortFactory, EnrolmentFactory, IntegrationFactory

AS_OF = date(2025, 12, 31)
START = date(2025, 1, 6)


def enrolment(cohort, **fields):
    return EnrolmentFactory(cohort=cohort, **fields)


@pytest.mark.django_db
def test_the_sql_floor_counts_what_the_engine_counts(jobcenter_a, jobcenter_b):
    require(connection.vendor == "postgresql", "the SQL floor is PostgreSQL SQL")
    cohort = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=START,
                           planned_end=START + timedelta(days=120))
    exit_on = START + timedelta(days=60)
    IntegrationFactory(enrolment=enrolment(cohort))  # integrated while active
    IntegrationFactory(enrolment=enrolment(cohort, exit_on=exit_on, exit_reason="dropout"),
                       start_on=exit_on + timedelta(days=183))  # within W: integrated
    IntegrationFactory(enrolment=enrolment(cohort, exit_on=exit_on, exit_reason="dropout"),
                       start_on=exit_on + timedelta(days=184))  # after W: dropped out
    IntegrationFactory(enrolment=enrolment(cohort, exit_on=exit_on, exit_reason="job"),
                       kind="minijob")  # never counts: completed
    IntegrationFactory(enrolment=enrolment(cohort), start_on=AS_OF + timedelta(days=1))
    enrolment(cohort, exit_on=exit_on, exit_reason="transfer")
    enrolment(cohort, exit_on=exit_on, exit_reason="completed")
    enrolment(cohort, exit_on=exit_on, exit_reason="other")
    enrolment(cohort, exit_on=AS_OF + timedelta(days=1), exit_reason="dropout")  # active
    enrolment(cohort, joined_on=None)  # assigned, never joined
    enrolment(cohort, joined_on=AS_OF + timedelta(days=1))  # joins after D
    other = CohortFactory(programme__jobcenter=jobcenter_b, planned_start=START)
    enrolment(other)

    floor = sql_totals(AS_OF)
    with scope(jobcenter=jobcenter_a):
        engine = engine_totals(daily_counters(population(jobcenter_a), AS_OF))
    assert floor[jobcenter_a.pk] == engine
    assert engine == {"assigned": 11, "entrants": 9, "integrated": 2, "dropped_out": 1,
                      "transferred": 1, "completed": 2, "other_exit": 1, "active": 2}
    with scope(jobcenter=jobcenter_b):
        engine_b = engine_totals(daily_counters(population(jobcenter_b), AS_OF))
    assert sql_totals(AS_OF, [jobcenter_b.pk]) == {jobcenter_b.pk: engine_b}
    assert set(FIELDS) == set(engine)


@pytest.mark.django_db
def test_the_sql_floor_counts_what_the_engine_counts_in_every_breakdown(jobcenter_a,
                                                                         jobcenter_b):
    require(connection.vendor == "postgresql", "the SQL floor is PostgreSQL SQL")
    first = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=START)
    second = CohortFactory(programme__jobcenter=jobcenter_a,  # another site and programme
                           planned_start=START + timedelta(days=100))
    third = CohortFactory(programme=first.programme, site=second.site,
                          planned_start=START + timedelta(days=200))
    exit_on = START + timedelta(days=60)
    for cohort, people in ((first, 3), (second, 2), (third, 4)):
        for number in range(people):
            reason = ("dropout", "transfer", "completed", "")[number % 4]
            row = enrolment(cohort, exit_on=exit_on + timedelta(days=200 * (cohort != first))
                            if reason else None, exit_reason=reason)
            if number == 0:
                IntegrationFactory(enrolment=row)
        enrolment(cohort, joined_on=None)  # assigned, never joined
    enrolment(CohortFactory(programme__jobcenter=jobcenter_b, planned_start=START))

    with scope(jobcenter=jobcenter_a):
        counters = daily_counters(population(jobcenter_a), AS_OF)
    for by in BREAKDOWNS:
        floor = {key: fields for (jobcenter, key), fields in sql_totals(AS_OF, by=by).items()
                 if jobcenter == jobcenter_a.pk}
        assert engine_groups(counters, by) == floor, by
    assert len(engine_groups(counters, "cohort")) == 3
    assert {len(engine_groups(counters, by)) for by in ("site", "programme")} == {2}


WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:40123/jc-a/ping/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.12ms    2.31ms  30.00ms   80.00%
    Req/Sec   193.50     20.10   250.00     70.00%
  Latency Distribution
     50%    9.70ms
     75%   11.00ms
     90%   13.00ms
     99%   17.70ms
  1929 requests in 5.00s, 1.00MB read
Requests/sec:    385.70
Transfer/sec:    200.00KB
BENCH p50=9700 p95=14900 p99=17700 requests=1929 duration=5001234 status_errors=3 \
socket_errors=0
"""


def test_the_wrk_output_is_parsed():
    result = parse_wrk(WRK_OUTPUT)
    assert (result.rps, result.p50_ms, result.p95_ms, result.p99_ms) == (385.7, 9.7, 14.9, 17.7)
    assert (result.requests, result.bad_status, result.socket_errors) == (1929, 3, 0)
    with pytest.raises(ValueError):
        parse_wrk("Requests/sec: 1.0")


def test_the_form_is_submitted_as_a_browser_would():
    html = """<form action="/logout/"><input name="csrfmiddlewaretoken" value="x"></form>
    <form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">
    <input name="held_on" value="25.11.2026"><input type="checkbox" name="coaches" value="1"
    checked><input type="checkbox" name="coaches" value="2"><select name="status_7">
    <option value="present">p</option><option value="late" selected>l</option></select>
    <select name="module"><option value="">-</option></select>
    <textarea name="notes">
hi</textarea><button type="submit" name="reload">reload</button></form>"""
    assert form_body(html, "held_on") == (
        "csrfmiddlewaretoken=t&held_on=25.11.2026&coaches=1&status_7=late&module=&notes=hi")
