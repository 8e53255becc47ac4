"""A coach plans a cohort: weekly slots, the plan previewed with the public holiday it skips,
written, one session cancelled; on a tablet every row's action is in reach. The admin's
curriculum page passes axe too."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from django_scopes import scope
from playwright.sync_api import expect

from coaching.models import GroupSession
from coaching.planning import curriculum_save
from tests.browser.test_tablet import actions_in_reach, has
from tests.coaching.test_plan_views import next_holiday
from tests.factories import CohortCoachFactory, CohortFactory, ModuleFactory, ProgrammeFactory


def german_weekday(day) -> str:
    with override("de"):
        return date_format(day, "l")


@pytest.mark.django_db(transaction=True)
def test_a_coach_sets_slots_creates_the_plan_and_cancels_a_session(
    page, live_server, log_in, axe_check, coach
):
    holiday, name = next_holiday(coach.jobcenter.land)
    today = timezone.localdate()
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-PLAN",
                           planned_start=max(today, holiday - timedelta(days=14)),
                           planned_end=holiday + timedelta(days=14))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    with scope(jobcenter=coach.jobcenter):
        curriculum_save(programme=cohort.programme, items=[
            (ModuleFactory(jobcenter=coach.jobcenter, name="Kompetenzprofil"), 2),
            (ModuleFactory(jobcenter=coach.jobcenter, name="Bewerbungsunterlagen"), 2)])
    base = f"{live_server.url}/jc-a/cohorts/{cohort.pk}"

    log_in(coach.user.email)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page).to_have_url(f"{base}/plan/")
    expect(page.get_by_text("Noch keine Sitzung geplant")).to_be_visible()

    slot = page.get_by_role("group", name="Wochenzeit 1")
    slot.get_by_label("Wochentag").select_option(label=german_weekday(holiday))
    slot.get_by_label("Von").fill("09:00")
    slot.get_by_label("Bis").fill("12:00")
    slot.get_by_label("Raum").fill("Raum 2.07")
    page.get_by_role("button", name="Wochenzeiten speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Wochenzeiten gespeichert")

    page.get_by_role("link", name="Plan erstellen").click()
    expect(page).to_have_url(f"{base}/plan/generate/")
    skipped = page.get_by_role("heading", name="Übersprungene Feiertage")
    expect(skipped).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=name)).to_contain_text(
        holiday.strftime("%d.%m.%Y"))
    expect(page.get_by_role("cell", name="Kompetenzprofil").first).to_be_visible()
    axe_check(page)
    with scope(jobcenter=coach.jobcenter):
        assert not GroupSession.objects.filter(cohort=cohort).exists()  # only shown so far
    page.get_by_role("button", name="Plan erstellen").click()

    expect(page).to_have_url(f"{base}/plan/")
    expect(page.get_by_role("status")).to_contain_text("Plan erstellt")
    rows = page.locator("main tbody tr")
    with scope(jobcenter=coach.jobcenter):
        planned = list(GroupSession.objects.filter(cohort=cohort).order_by("held_on"))
    assert planned and holiday not in [s.held_on for s in planned]
    expect(rows).to_have_count(len(planned))
    expect(page.get_by_role("link", name="Plan neu erstellen")).to_be_visible()
    axe_check(page)

    first = rows.first
    expect(first).to_contain_text("geplant")
    first.get_by_role("link", name=re.compile("^Absagen")).click()
    expect(page.get_by_role("heading", name=re.compile("absagen"))).to_be_visible()
    page.get_by_role("button", name="Absagen").click()
    expect(page).to_have_url(f"{base}/plan/")
    expect(page.get_by_role("status")).to_contain_text("abgesagt")
    expect(rows.first).to_contain_text("abgesagt")
    with scope(jobcenter=coach.jobcenter):
        planned[0].refresh_from_db()
    assert planned[0].status == GroupSession.Status.CANCELLED

    page.set_viewport_size({"width": 768, "height": 1024})
    page.emulate_media(reduced_motion="reduce")  # axe would catch a menu button mid-fade
    page.reload()
    found = actions_in_reach(page, "main tbody tr")
    names = list(found.values())
    assert names[0] == []  # the cancelled one: nothing left to do
    assert all(has(n, "Verschieben", "Absagen") for n in names[1:])
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_the_curriculum_page_passes_axe(page, live_server, log_in, axe_check, jc_admin):
    programme = ProgrammeFactory(jobcenter=jc_admin.jobcenter, name="Werkakademie Nord")
    module = ModuleFactory(jobcenter=jc_admin.jobcenter, name="Vorstellungsgespräch")
    log_in(jc_admin.user.email)
    page.goto(f"{live_server.url}/jc-a/manage/programmes/")
    page.get_by_role("link", name=re.compile("^Curriculum")).click()
    expect(page).to_have_url(
        f"{live_server.url}/jc-a/manage/programmes/{programme.pk}/curriculum/")
    expect(page.get_by_role("heading", name=re.compile("Werkakademie Nord"))).to_be_visible()
    row = page.get_by_role("group", name="Zeile 1")
    row.get_by_label("Modul").select_option(label=module.name)
    row.get_by_label("Sitzungen").fill("vier")
    page.get_by_role("button", name="Speichern").click()
    expect(row.get_by_text("Bitte eine ganze Zahl eingeben")).to_be_visible()
    axe_check(page)
    row.get_by_label("Sitzungen").fill("4")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("insgesamt 4 Sitzungen")
    axe_check(page)
