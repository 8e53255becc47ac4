"""A team lead calculates the figures for the first time and follows counts to their lists."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from coaching.models import Attendance
from cohorts.models import Cohort
from reports import services
from reports.models import ReportJob, ReportSnapshot
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupSessionFactory,
    IntegrationFactory,
)

# German where the project has it, English while its translation is still missing.
REPORTS = re.compile(r"^(Auswertung|Reports)$")
BEING_CALCULATED = re.compile(r"(werden berechnet|are being calculated)", re.IGNORECASE)
RECALCULATE = re.compile(r"^(Neu berechnen|Recalculate)$")
WAITING = re.compile(r"(Wartet auf Berechnung|Waiting for calculation)")
SHOWN = re.compile(r"(Neue Zahlen angezeigt|New figures shown)")
AS_OF = re.compile(r"(Stand|As of):?\s+\d{2}\.\d{2}\.\d{4},?\s+\d{2}:\d{2}")
INTEGRATION_RATE = re.compile(r"^(Integrationsquote|Integration rate)$")
BY_COHORT = re.compile(r"^(Nach Gruppe|By cohort)$")
WAIT = 15_000  # ms: the status box polls every 2 s; give a slow machine time

COHORT = "WA-DO-FERTIG"
INTEGRATED = (("Albers", "Nina"), ("Brandt", "Yusuf"))
DROPPED_OUT = (("Claßen", "Olga"), ("Demir", "Ali"))
COMPLETED = (("Esser", "Paul"), ("Fischer", "Lena"))


def name(person):
    last, first = person
    return f"{last}, {first}"


def finished_cohort(jobcenter):
    """Five months ago, six weeks long: two went to work, two dropped out, two completed."""
    start = timezone.localdate() - timedelta(days=150)
    end = start + timedelta(days=41)
    cohort = CohortFactory(programme__jobcenter=jobcenter, code=COHORT, planned_start=start,
                           planned_end=end, status=Cohort.Status.FINISHED)
    enrolments = {}
    for last, first in INTEGRATED:
        enrolment = EnrolmentFactory(
            cohort=cohort, participant__last_name=last, participant__first_name=first,
            joined_on=start, exit_on=start + timedelta(days=29), exit_reason="job")
        IntegrationFactory(enrolment=enrolment, start_on=start + timedelta(days=30))
        enrolments[(last, first)] = enrolment
    for last, first in DROPPED_OUT:
        enrolments[(last, first)] = EnrolmentFactory(
            cohort=cohort, participant__last_name=last, participant__first_name=first,
            joined_on=start, exit_on=start + timedelta(days=10), exit_reason="dropout",
            dropout_reason="health")
    for last, first in COMPLETED:
        enrolments[(last, first)] = EnrolmentFactory(
            cohort=cohort, participant__last_name=last, participant__first_name=first,
            joined_on=start, exit_on=end, exit_reason="completed")
    # Two sessions everyone attended, except one unexcused absence and one late arrival.
    for day, exceptions in ((1, {DROPPED_OUT[0]: Attendance.Status.UNEXCUSED}),
                            (8, {COMPLETED[1]: Attendance.Status.LATE})):
        session = GroupSessionFactory(cohort=cohort, held_on=start + timedelta(days=day))
        for person, enrolment in enrolments.items():
            AttendanceFactory(session=session, enrolment=enrolment,
                              status=exceptions.get(person, Attendance.Status.PRESENT))
    return cohort


def listed_names(page):
    """The people on a drill-down list (their names head the rows)."""
    return page.locator("tbody th[scope=row]")


@pytest.mark.django_db(transaction=True)
def test_a_team_lead_calculates_the_figures_and_follows_them_to_the_people(
    page, live_server, log_in, axe_check, team_lead, jobcenter_a, monkeypatch
):
    with scope(jobcenter=jobcenter_a):
        finished_cohort(jobcenter_a)
        assert not ReportSnapshot.objects.filter(jobcenter=jobcenter_a).exists()

        # Nothing calculated yet, and the worker busy: the job waits until this test runs it.
        monkeypatch.setattr(services, "_enqueue", lambda job, countdown=0: None)
        log_in(team_lead.user.email)
        expect(page).to_have_url(f"{live_server.url}/jc-a/")
        top_bar = page.get_by_role("navigation", name=re.compile("Hauptnavigation|Main navigation"))
        top_bar.get_by_role("link", name=REPORTS).click()
        expect(page).to_have_url(f"{live_server.url}/jc-a/reports/")

        # Looking at the figures asks for them: one waiting job, no figures yet.
        status = page.locator("#refresh-status")
        expect(status).to_contain_text(WAITING)
        expect(page.locator(".empty-state")).to_contain_text(BEING_CALCULATED)
        expect(page.locator(".figure-card")).to_have_count(0)
        axe_check(page)
        page.evaluate("window.notReloaded = true")
        job = ReportJob.objects.get(jobcenter=jobcenter_a)
        with scope(jobcenter=jobcenter_a):
            assert services.job_run(job_id=job.pk)

        # The status box polls; when the job is done the figures take the empty state's
        # place and the status says so, without reloading the page and without a click.
        cards = page.locator(".figure-card")
        expect(cards.first).to_be_visible(timeout=WAIT)
        expect(status).to_contain_text(SHOWN)
        expect(status).to_contain_text(AS_OF)
        expect(page.get_by_role("button", name=RECALCULATE)).to_be_visible()
        assert page.evaluate("window.notReloaded === true")
        assert ReportJob.objects.get(jobcenter=jobcenter_a).status == ReportJob.Status.DONE

        integration = cards.filter(has=page.get_by_role("heading", name=INTEGRATION_RATE))
        expect(integration).to_have_count(1)
        expect(integration.locator(".value")).to_have_text(re.compile(r"^\s*33\s%\s*$"))
        expect(integration).to_contain_text(re.compile(r"\b2\s+(von|of)\s+6\b"))
        axe_check(page)

        # The integrated count leads to exactly the two people who found work.
        integration.locator("a[href*='metric=integrated']").click()
        expect(page).to_have_url(re.compile(r"/jc-a/reports/list/\?.*metric=integrated"))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(listed_names(page)).to_have_text([name(p) for p in INTEGRATED])
        for person in DROPPED_OUT + COMPLETED:
            expect(page.get_by_role("link", name=name(person))).to_have_count(0)
        axe_check(page)

        # Back on the dashboard, the cohort table's dropout count lists the two dropouts.
        page.go_back()
        by_cohort = page.get_by_role("region", name=BY_COHORT)
        row = by_cohort.locator("tbody tr").filter(
            has=page.get_by_role("rowheader", name=COHORT, exact=True))
        expect(row).to_have_count(1)
        dropouts = row.locator("a[href*='metric=dropped_out']")
        expect(dropouts).to_have_text("2")
        expect(dropouts).to_have_attribute("href", re.compile(rf"dimension=cohort&key={COHORT}"))
        dropouts.click()
        expect(page).to_have_url(re.compile(r"/jc-a/reports/list/\?.*metric=dropped_out"))
        expect(page.get_by_role("heading", level=1)).to_contain_text(COHORT)
        expect(listed_names(page)).to_have_text([name(p) for p in DROPPED_OUT])
        for person in INTEGRATED + COMPLETED:
            expect(page.get_by_role("link", name=name(person))).to_have_count(0)
        axe_check(page)

        # A new entrant makes the figures outdated; with tasks in process (the embedded
        # default) the next look at the dashboard shows them current, nobody pressing a button.
        monkeypatch.undo()
        cohort = Cohort.objects.get(code=COHORT)
        EnrolmentFactory(cohort=cohort, joined_on=cohort.planned_start)
        page.goto(f"{live_server.url}/jc-a/reports/")
        integration = cards.filter(has=page.get_by_role("heading", name=INTEGRATION_RATE))
        expect(integration).to_contain_text(re.compile(r"\b2\s+(von|of)\s+7\b"))
        expect(status).not_to_contain_text(WAITING)
