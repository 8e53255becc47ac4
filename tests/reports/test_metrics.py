"""The outcome classes of METRICS.md, one rule a test."""

from datetime import date, timedelta

import pytest
from django_scopes import scope

from participants.models import Enrolment
from reports.engine import daily_counters, population
from reports.metrics import outcome_counts, with_outcome
from reports.rollup import report
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupSessionFactory,
    IntegrationFactory,
)

JOINED = date(2024, 3, 4)
EXIT = date(2024, 4, 12)
AS_OF = date(2025, 12, 31)


@pytest.fixture
def cohort():
    return CohortFactory(planned_start=JOINED, planned_end=EXIT)


def entrant(cohort, *, exit_reason="", exit_on=None, dropout_reason="", joined_on=JOINED):
    if exit_reason and exit_on is None:
        exit_on = EXIT
    if exit_reason == "dropout" and not dropout_reason:
        dropout_reason = "no_show"
    return EnrolmentFactory(cohort=cohort, joined_on=joined_on, exit_on=exit_on,
                            exit_reason=exit_reason, dropout_reason=dropout_reason)


def outcome(enrolment, as_of=AS_OF):
    return with_outcome(Enrolment.objects.filter(pk=enrolment.pk), as_of).get().outcome


@pytest.mark.django_db
def test_the_worked_example(cohort):
    with scope(jobcenter=cohort.jobcenter):
        for _ in range(11):
            IntegrationFactory(enrolment=entrant(cohort, exit_reason="job"),
                               start_on=EXIT + timedelta(days=3))
        for _ in range(11):
            entrant(cohort, exit_reason="dropout")
        for _ in range(3):
            entrant(cohort, exit_reason="completed")
        figures = outcome_counts(Enrolment.objects.filter(cohort=cohort), AS_OF)
        assert figures["entrants"] == 25
        assert figures["integration_rate"] == pytest.approx(0.44)
        assert figures["dropout_rate"] == pytest.approx(0.44)
        assert figures["completed_rate"] == pytest.approx(0.12)


@pytest.mark.django_db
def test_an_integration_after_a_dropout_inside_the_window_counts(cohort):
    with scope(jobcenter=cohort.jobcenter):
        enrolment = entrant(cohort, exit_reason="dropout")
        IntegrationFactory(enrolment=enrolment, start_on=EXIT + timedelta(days=183))
        assert outcome(enrolment) == "integrated"


@pytest.mark.django_db
def test_one_day_outside_the_window_is_a_dropout(cohort):
    with scope(jobcenter=cohort.jobcenter):
        enrolment = entrant(cohort, exit_reason="dropout")
        IntegrationFactory(enrolment=enrolment, start_on=EXIT + timedelta(days=184))
        assert outcome(enrolment) == "dropped_out"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["minijob", "public_employment"])
def test_minijobs_and_public_employment_do_not_count(cohort, kind):
    with scope(jobcenter=cohort.jobcenter):
        enrolment = entrant(cohort, exit_reason="job")
        IntegrationFactory(enrolment=enrolment, kind=kind, start_on=EXIT)
        assert outcome(enrolment) == "completed"


@pytest.mark.django_db
def test_a_job_that_started_before_joining_does_not_count(cohort):
    with scope(jobcenter=cohort.jobcenter):
        enrolment = entrant(cohort, exit_reason="completed")
        IntegrationFactory(enrolment=enrolment, start_on=JOINED - timedelta(days=1))
        assert outcome(enrolment) == "completed"


@pytest.mark.django_db
def test_an_integration_after_the_as_of_date_does_not_count_yet(cohort):
    with scope(jobcenter=cohort.jobcenter):
        enrolment = entrant(cohort)
        IntegrationFactory(enrolment=enrolment, start_on=date(2024, 5, 2))
        assert outcome(enrolment, as_of=date(2024, 5, 1)) == "active"
        assert outcome(enrolment, as_of=date(2024, 5, 2)) == "integrated"


@pytest.mark.django_db
def test_an_exit_after_the_as_of_date_is_still_active(cohort):
    with scope(jobcenter=cohort.jobcenter):
        enrolment = entrant(cohort, exit_reason="dropout")
        assert outcome(enrolment, as_of=EXIT - timedelta(days=1)) == "active"


@pytest.mark.django_db
def test_assigned_but_never_joined_is_no_entrant(cohort):
    with scope(jobcenter=cohort.jobcenter):
        entrant(cohort, joined_on=None)
        figures = outcome_counts(Enrolment.objects.filter(cohort=cohort), AS_OF)
        assert figures["entrants"] == 0
        assert figures["integration_rate"] is None and figures["active_rate"] is None


@pytest.mark.django_db
def test_a_re_entry_counts_once_per_enrolment(cohort):
    with scope(jobcenter=cohort.jobcenter):
        first = entrant(cohort, exit_reason="dropout")
        second_cohort = CohortFactory(programme__jobcenter=cohort.jobcenter,
                                      planned_start=date(2024, 9, 2),
                                      planned_end=date(2024, 10, 11))
        EnrolmentFactory(cohort=second_cohort, participant=first.participant,
                         joined_on=date(2024, 9, 2))
        figures = outcome_counts(Enrolment.objects.filter(participant=first.participant), AS_OF)
        assert (figures["entrants"], figures["dropped_out"], figures["active"]) == (2, 1, 1)


@pytest.mark.django_db
def test_the_class_rates_add_up_to_one(cohort):
    with scope(jobcenter=cohort.jobcenter):
        entrant(cohort)
        entrant(cohort, exit_reason="transfer")
        entrant(cohort, exit_reason="other")
        IntegrationFactory(enrolment=entrant(cohort, exit_reason="job"), start_on=EXIT)
        figures = outcome_counts(Enrolment.objects.filter(cohort=cohort), AS_OF)
        rates = ["integration_rate", "dropout_rate", "transfer_rate", "completed_rate",
                 "other_exit_rate", "active_rate"]
        assert sum(figures[r] for r in rates) == pytest.approx(1)
        assert figures["positive_rate"] == pytest.approx(0.5)


def followup_figures(cohort, as_of):
    from reports.engine import daily_counters, population
    from reports.rollup import report

    totals = report(daily_counters(population(cohort.jobcenter), as_of))["totals"]
    return totals["sustainability_rate_12m"], totals["followups_unknown"]


@pytest.mark.django_db
def test_a_follow_up_answered_after_the_as_of_date_is_still_unknown(cohort):
    with scope(jobcenter=cohort.jobcenter):
        from employers.models import FollowUp

        integration = IntegrationFactory(enrolment=entrant(cohort, exit_reason="job"),
                                         start_on=EXIT + timedelta(days=5))
        FollowUp.objects.create(integration=integration, due_month=12,
                                due_on=FollowUp.due_date(integration.start_on, 12),
                                still_employed="yes", checked_on=date(2025, 6, 1))
        assert followup_figures(cohort, date(2025, 5, 1)) == (None, 1)
        assert followup_figures(cohort, date(2025, 6, 1)) == (1.0, 0)


@pytest.mark.django_db
def test_follow_ups_of_integrations_that_do_not_count_are_left_out(cohort):
    with scope(jobcenter=cohort.jobcenter):
        from employers.models import FollowUp

        outside = IntegrationFactory(enrolment=entrant(cohort, exit_reason="dropout"),
                                     start_on=EXIT + timedelta(days=200))
        before = IntegrationFactory(enrolment=entrant(cohort, exit_reason="completed"),
                                    start_on=JOINED - timedelta(days=3))
        for integration, answer in ((outside, "no"), (before, "")):
            FollowUp.objects.create(integration=integration, due_month=12,
                                    due_on=FollowUp.due_date(integration.start_on, 12),
                                    still_employed=answer,
                                    checked_on=date(2025, 5, 1) if answer else None)
        assert followup_figures(cohort, AS_OF) == (None, 0)


@pytest.mark.django_db
def test_applications_per_entrant_and_hires_from_proposals(cohort):
    with scope(jobcenter=cohort.jobcenter):
        from reports.engine import daily_counters, population
        from reports.rollup import report
        from tests.factories import ApplicationFactory

        first, second = entrant(cohort), entrant(cohort)
        ApplicationFactory(enrolment=first, source="own", stage="rejected")
        ApplicationFactory(enrolment=first, source="proposal", stage="proposed")
        ApplicationFactory(enrolment=second, source="proposal", stage="hired")
        ApplicationFactory(enrolment=second, source="proposal", stage="interview")
        totals = report(daily_counters(population(cohort.jobcenter), AS_OF))["totals"]
        # own (rejected after applying), hired and interview count; the bare proposal not
        assert totals["applications_per_entrant"] == pytest.approx(3 / 2)
        assert totals["hires_from_proposals"] == pytest.approx(1 / 3)


def totals(cohort, start=None, end=None, as_of=AS_OF):
    jobcenter = cohort.jobcenter
    return report(daily_counters(population(jobcenter), as_of), start, end)["totals"]


@pytest.mark.django_db
def test_attendance_counts_sessions_dated_in_the_period_and_by_the_as_of_date(cohort):
    with scope(jobcenter=cohort.jobcenter):
        enrolment = entrant(cohort)
        statuses = {1: "present", 2: "late", 3: "excused", 4: "unexcused"}
        for day, status in statuses.items():
            session = GroupSessionFactory(cohort=cohort, held_on=JOINED + timedelta(days=day))
            AttendanceFactory(session=session, enrolment=enrolment, status=status)
        later = GroupSessionFactory(cohort=cohort, held_on=JOINED + timedelta(days=10))
        AttendanceFactory(session=later, enrolment=enrolment, status="unexcused")

        as_of = JOINED + timedelta(days=5)  # the session on day 10 lies after D
        figures = totals(cohort, as_of=as_of)
        assert figures["attendance_rate"] == pytest.approx(2 / 4)  # present + late
        assert figures["unexcused_rate"] == pytest.approx(1 / 4)
        # Only sessions dated in the period: days 1 and 2.
        in_period = report(daily_counters(population(cohort.jobcenter), as_of),
                           JOINED, JOINED + timedelta(days=2))["totals"]
        assert in_period["attendance_rate"] == 1.0 and in_period["unexcused_rate"] == 0.0


@pytest.mark.django_db
def test_the_median_takes_the_first_counting_job_and_rounds_half_up(cohort):
    with scope(jobcenter=cohort.jobcenter):
        first = entrant(cohort)
        IntegrationFactory(enrolment=first, start_on=JOINED + timedelta(days=10))
        IntegrationFactory(enrolment=first, start_on=JOINED + timedelta(days=50))  # a second job
        second = entrant(cohort)
        IntegrationFactory(enrolment=second, start_on=JOINED + timedelta(days=11))
        IntegrationFactory(enrolment=second, start_on=JOINED + timedelta(days=2), kind="minijob")
        # Median of 10 and 11 days: 10.5, shown as 11 (half-up, not to the even 10).
        assert totals(cohort)["median_days_to_integration"] == 11


@pytest.mark.django_db
def test_assignment_counts_on_its_own_day_and_entry_on_the_day_of_joining(cohort):
    with scope(jobcenter=cohort.jobcenter):
        EnrolmentFactory(cohort=cohort, assigned_on=date(2023, 12, 18), joined_on=JOINED)
        year_2023 = totals(cohort, date(2023, 1, 1), date(2023, 12, 31))
        year_2024 = totals(cohort, date(2024, 1, 1), date(2024, 12, 31))
        assert (year_2023["assigned"], year_2023["entrants"]) == (1, 0)
        assert (year_2024["assigned"], year_2024["entrants"]) == (0, 1)
