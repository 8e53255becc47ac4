from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from privacy.models import ExportRecord
from reports.models import ReportJob
from reports.services import snapshot_compute
from tests.factories import (
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    IntegrationFactory,
)
from tests.queries import queries_for

TODAY = timezone.localdate()
START = TODAY - timedelta(days=90)


def grow(jobcenter, cohorts, people, coach=None):
    for _ in range(cohorts):
        cohort = CohortFactory(programme__jobcenter=jobcenter, planned_start=START,
                               planned_end=START + timedelta(days=41))
        if coach is not None:
            CohortCoachFactory(cohort=cohort, user=coach)
        for i in range(people):
            enrolment = EnrolmentFactory(cohort=cohort, joined_on=START)
            if i % 3 == 0:
                IntegrationFactory(enrolment=enrolment, start_on=START + timedelta(days=20))
            elif i % 3 == 1:
                enrolment.exit_on, enrolment.exit_reason = START + timedelta(days=9), "dropout"
                enrolment.dropout_reason = "health"
                enrolment.save()


def refresh(jobcenter):
    with scope(jobcenter=jobcenter):
        snapshot_compute(jobcenter=jobcenter, as_of=TODAY)


def url(name, jobcenter="jc-a"):
    return reverse(name, kwargs={"jc": jobcenter})


@pytest.mark.django_db
def test_the_dashboard_reads_the_snapshot_with_the_same_queries_at_any_size(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        client.force_login(team_lead.user)
        grow(team_lead.jobcenter, 1, 5)
        refresh(team_lead.jobcenter)
        small = queries_for(lambda: client.get(url("reports:dashboard")))
        grow(team_lead.jobcenter, 6, 20)
        refresh(team_lead.jobcenter)
        assert queries_for(lambda: client.get(url("reports:dashboard"))) == small


@pytest.mark.django_db
def test_a_coach_sees_their_cohorts_computed_live_with_bounded_queries(client, coach):
    with scope(jobcenter=coach.jobcenter):
        client.force_login(coach.user)
        grow(coach.jobcenter, 1, 5, coach=coach.user)
        grow(coach.jobcenter, 2, 10)  # cohorts of others: not in the coach's figures
        small = queries_for(lambda: client.get(url("reports:dashboard")))
        response = client.get(url("reports:dashboard"))
        assert response.context["report"]["totals"]["entrants"] == 5
        grow(coach.jobcenter, 3, 20, coach=coach.user)
        assert queries_for(lambda: client.get(url("reports:dashboard"))) == small


@pytest.mark.django_db
def test_each_count_lists_exactly_the_enrolments_it_counts(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        grow(team_lead.jobcenter, 2, 9)
        refresh(team_lead.jobcenter)
        client.force_login(team_lead.user)
        dashboard = client.get(url("reports:dashboard"), {"period": "all"}).context
        totals = dashboard["report"]["totals"]
        for metric in ("entrants", "integrated", "dropped_out", "active", "completed"):
            listed = client.get(url("reports:drilldown"), {"metric": metric, "period": "all"})
            assert listed.context["paginator"].count == totals[metric], metric
        cohort_row = dashboard["report"]["groups"]["cohort"][0]
        listed = client.get(url("reports:drilldown"), {"metric": "dropped_out", "period": "all",
                                                       "dimension": "cohort",
                                                       "key": cohort_row["key"]})
        assert listed.context["paginator"].count == cohort_row["dropped_out"] == 3


@pytest.mark.django_db
def test_another_jobcenters_team_lead_gets_404(client, outsider, team_lead):
    client.force_login(outsider.user)
    for name in ("reports:dashboard", "reports:drilldown", "reports:export", "reports:status"):
        assert client.get(url(name)).status_code == 404


@pytest.mark.django_db
def test_an_unknown_list_is_404_and_the_admin_gets_403(client, team_lead, jc_admin):
    client.force_login(team_lead.user)
    assert client.get(url("reports:drilldown"), {"metric": "secret"}).status_code == 404
    client.force_login(jc_admin.user)
    assert client.get(url("reports:dashboard")).status_code == 403


@pytest.mark.django_db
def test_exports_are_recorded(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        grow(team_lead.jobcenter, 1, 3)
        refresh(team_lead.jobcenter)
        client.force_login(team_lead.user)
        csv = client.get(url("reports:export"), {"format": "csv", "period": "all"})
        assert csv.content.decode("utf-8-sig").startswith("Jobcenter;Jobcenter A-Stadt")
        xlsx = client.get(url("reports:drilldown"), {"metric": "entrants", "format": "xlsx"})
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        kinds = sorted(ExportRecord.objects.values_list("kind", flat=True))
        assert kinds == ["drilldown_xlsx", "report_csv"]
        assert set(ExportRecord.objects.values_list("user", flat=True)) == {team_lead.user.pk}


@pytest.mark.django_db
def test_coaches_cannot_export_or_recalculate(client, coach):
    client.force_login(coach.user)
    assert client.get(url("reports:export"), {"format": "csv"}).status_code == 403
    assert client.post(url("reports:refresh")).status_code == 403


@pytest.mark.django_db
def test_recalculate_queues_a_job_and_the_status_shows_it(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        client.force_login(team_lead.user)
        response = client.post(url("reports:refresh"))
        assert response.status_code == 302
        job = ReportJob.objects.get()
        assert job.status == "queued" and job.requested_by == team_lead.user
        status = client.get(url("reports:status")).content.decode()
        assert 'hx-trigger="every 2s"' in status


@pytest.mark.django_db
def test_the_list_names_the_reports_stand_and_says_when_data_changed_since(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        grow(team_lead.jobcenter, 1, 3)
        refresh(team_lead.jobcenter)
        ReportJob.objects.all().delete()
        client.force_login(team_lead.user)
        listed = client.get(url("reports:drilldown"), {"metric": "entrants", "period": "all"})
        stand = timezone.localtime(listed.context["snapshot"].computed_at)
        assert f"Stand der Berichtszahlen: {stand:%d.%m.%Y %H:%M}" in listed.content.decode()
        assert (listed.context["reported"], listed.context["differs"]) == (3, False)
        assert not ReportJob.objects.exists()
        grow(team_lead.jobcenter, 1, 1)  # saved, not yet in the report
        listed = client.get(url("reports:drilldown"), {"metric": "entrants", "period": "all"})
        assert (listed.context["paginator"].count, listed.context["reported"]) == (4, 3)
        assert "Seit dem Stand des Berichts" in listed.content.decode()
        assert ReportJob.objects.get().status == "queued"  # the report follows


@pytest.mark.django_db
def test_looking_at_an_outdated_snapshot_asks_for_a_refresh_once(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        grow(team_lead.jobcenter, 1, 3)
        refresh(team_lead.jobcenter)
        ReportJob.objects.all().delete()
        CohortFactory(programme__jobcenter=team_lead.jobcenter)  # a write after the refresh
        client.force_login(team_lead.user)
        assert client.get(url("reports:dashboard")).context["outdated"] is True
        client.get(url("reports:dashboard"))
        job = ReportJob.objects.get()  # one job, joined by the second look
        assert job.status == "queued" and job.requested_by is None
        assert 'hx-trigger="every 2s"' in client.get(url("reports:status")).content.decode()


@pytest.mark.django_db
def test_after_a_failed_refresh_looking_waits_for_someone_to_try_again(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        grow(team_lead.jobcenter, 1, 3)
        refresh(team_lead.jobcenter)
        ReportJob.objects.create(jobcenter=team_lead.jobcenter, status=ReportJob.Status.FAILED)
        CohortFactory(programme__jobcenter=team_lead.jobcenter)
        client.force_login(team_lead.user)
        html = client.get(url("reports:dashboard")).content.decode()
        assert not ReportJob.objects.filter(status__in=ReportJob.PENDING).exists()
        assert "Berechnung fehlgeschlagen" in html and "Erneut versuchen" in html


@pytest.mark.django_db
def test_the_status_of_a_finished_refresh_tells_the_page_to_show_the_new_figures(
        client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        grow(team_lead.jobcenter, 1, 3)
        refresh(team_lead.jobcenter)
        ReportJob.objects.create(jobcenter=team_lead.jobcenter, status=ReportJob.Status.DONE)
        client.force_login(team_lead.user)
        response = client.get(url("reports:status"))
        assert response["HX-Trigger"] == "figures-ready"
        assert "Neue Zahlen angezeigt" in response.content.decode()


def test_periods_and_their_predecessors():
    from reports.periods import period_for

    q1 = period_for("2025-Q1", date(2025, 6, 30))
    assert (q1.start, q1.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert period_for("2025-Q1", date(2025, 6, 30)).previous().key == "2024-Q4"
    assert period_for("2024", date(2025, 6, 30)).previous().start == date(2023, 1, 1)
    last12 = period_for("last12", date(2025, 6, 30))
    assert last12.previous().end == last12.start - timedelta(days=1)
    assert period_for("nonsense", date(2025, 6, 30)) is None


def test_every_rate_card_is_shown_as_a_percentage():
    from reports.dashboard import CARDS, cards

    totals = {card.field: 0.5 for card in CARDS} | {"integrated": 1, "transferred": 0,
                                                     "entrants": 2, "dropped_out": 1}
    shown = {c["card"].field: c["is_rate"] for c in cards(totals, None)}
    assert shown["sustainability_rate_12m"] and shown["integration_rate"]
    assert not shown["entrants"] and not shown["median_days_to_integration"]


@pytest.mark.django_db
def test_the_dashboard_shows_no_shows_and_the_reasons_of_exits(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        client.force_login(team_lead.user)
        grow(team_lead.jobcenter, 1, 3)  # one integrated, one dropout (health), one active
        cohort = CohortFactory(programme__jobcenter=team_lead.jobcenter, planned_start=START)
        EnrolmentFactory(cohort=cohort, assigned_on=START - timedelta(days=7), joined_on=None)
        refresh(team_lead.jobcenter)
        response = client.get(url("reports:dashboard"), {"period": "all"})
        by_quarter = response.content.decode().split('id="table-quarter"')[1].split("</section>")[0]
        assert "Quartal" in by_quarter  # "3. Quartal 2026", not the key "2026-Q3"
        section = response.content.decode().split('id="table-exits"')[1]
        assert "Nicht angetreten" in section
        totals = response.context["report"]["totals"]
        assert (totals["assigned"], totals["entrants"], totals["no_show"]) == (4, 3, 1)
        dropout_reasons = dict(response.context["reason_tables"][1][1])
        assert list(dropout_reasons.values()) == [1]
        assert str(list(dropout_reasons)[0]) in section
