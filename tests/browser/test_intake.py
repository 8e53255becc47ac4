"""A team lead sets up a cohort and enrols people: one known, one new."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from cohorts.models import Cohort
from participants.models import Enrolment, Participant
from tests.factories import ParticipantFactory, ProgrammeFactory, SiteFactory

COHORTS = re.compile(r"^(Gruppen|Cohorts)$")
NEW_COHORT = re.compile(r"^(Neue Gruppe|New cohort)$")
# "Sichern" is Django's own German for "Save", used while the project has no entry for it.
SAVE = re.compile(r"^(Speichern|Sichern|Save)$")
ACTIVE = re.compile(r"^\s*(aktiv|active)\s*$")
NEW_PARTICIPANT = re.compile("Neue.? Teilnehmende.? anlegen|Create a new participant", re.I)


def tt_mm_jjjj(day):
    return day.strftime("%d.%m.%Y")


def participant_row(page, person):
    return page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=person))


def enrol_chosen_person(page, joined_on):
    """On the enrol page with a person chosen: fill the joining date and enrol."""
    page.locator("[name=joined_on]").fill(tt_mm_jjjj(joined_on))
    page.locator("main form[method=post] button[type=submit]").click()


@pytest.mark.django_db(transaction=True)
def test_a_team_lead_creates_a_cohort_and_enrols_two_people(
    page, live_server, log_in, axe_check, team_lead, coach, jobcenter_a
):
    with scope(jobcenter=jobcenter_a):
        ProgrammeFactory(jobcenter=jobcenter_a, name="Werkakademie", default_length_days=42,
                         default_capacity=16)
        SiteFactory(jobcenter=jobcenter_a, name="Standort Mitte")
        known = ParticipantFactory(jobcenter=jobcenter_a, customer_number="123D000456",
                                   first_name="Katarzyna", last_name="Nowak")
        start = timezone.localdate() + timedelta(days=7)
        end = start + timedelta(days=41)

        log_in(team_lead.user.email)
        page.get_by_role("link", name=COHORTS).click()
        expect(page).to_have_url(f"{live_server.url}/jc-a/cohorts/")
        page.get_by_role("link", name=NEW_COHORT).click()
        expect(page).to_have_url(f"{live_server.url}/jc-a/cohorts/new/")
        axe_check(page)

        page.locator("[name=programme]").select_option(label="Werkakademie")
        page.locator("[name=site]").select_option(label="Standort Mitte")
        page.locator("[name=code]").fill("WA-MI-NEU")
        page.locator("[name=planned_start]").fill(tt_mm_jjjj(start))
        expect(page.locator("[name=planned_end]")).to_have_value("")
        page.get_by_role("checkbox", name=str(coach.user)).check()
        page.get_by_role("button", name=SAVE).click()

        expect(page).to_have_url(re.compile(r"/jc-a/cohorts/\d+/$"))
        cohort = Cohort.objects.get(code="WA-MI-NEU")
        cohort_url = f"{live_server.url}/jc-a/cohorts/{cohort.pk}/"
        expect(page).to_have_url(cohort_url)
        expect(page.get_by_role("status")).to_contain_text("WA-MI-NEU")
        header = page.locator(".page-header")
        expect(header.get_by_role("heading", level=1)).to_contain_text("WA-MI-NEU")
        expect(header).to_contain_text(f"{tt_mm_jjjj(start)} – {tt_mm_jjjj(end)}")
        expect(header).to_contain_text("Werkakademie · Standort Mitte")
        expect(header).to_contain_text(str(coach.user))
        expect(header).to_contain_text("0 / 16")
        axe_check(page)
        assert (cohort.planned_end, cohort.capacity) == (end, 16)
        assert list(cohort.cohort_coaches.values_list("user", flat=True)) == [coach.user.pk]

        # A known person, found by customer number.
        enrol_link = page.locator(f"a[href='/jc-a/cohorts/{cohort.pk}/enrol/']").first
        enrol_link.click()
        expect(page).to_have_url(f"{cohort_url}enrol/")
        axe_check(page)
        page.locator("[name=q]").fill("123D000456")
        page.locator("[name=q]").press("Enter")
        results = page.locator("main ul.list-group > li")
        expect(results).to_have_count(1)
        expect(results).to_contain_text("Nowak, Katarzyna")
        results.get_by_role("link").click()
        expect(page).to_have_url(re.compile(rf"{re.escape(cohort_url)}enrol/\?participant={known.pk}:"))
        expect(page.locator("main")).to_contain_text("Katarzyna Nowak")
        axe_check(page)
        enrol_chosen_person(page, start)

        expect(page).to_have_url(cohort_url)
        expect(page.get_by_role("status")).to_contain_text("Nowak, Katarzyna")
        nowak = participant_row(page, "Nowak, Katarzyna")
        expect(nowak).to_contain_text("123D000456")
        expect(nowak).to_contain_text(tt_mm_jjjj(start))
        expect(nowak.locator(".status-badge")).to_have_text(ACTIVE)
        expect(header).to_contain_text("1 / 16")

        # Nobody with this number yet: create the person, then back to enrolling them.
        enrol_link.click()
        page.locator("[name=q]").fill("123D000999")
        page.locator("[name=q]").press("Enter")
        expect(page.locator("main ul.list-group > li")).to_have_count(0)
        expect(page.locator("main")).to_contain_text("123D000999")
        axe_check(page)
        page.get_by_role("link", name=NEW_PARTICIPANT).click()
        expect(page).to_have_url(re.compile(r"/jc-a/participants/new/\?"))
        expect(page.locator("[name=customer_number]")).to_have_value("123D000999")
        page.locator("[name=first_name]").fill("Emre")
        page.locator("[name=last_name]").fill("Aydın")
        axe_check(page)
        page.get_by_role("button", name=SAVE).click()

        expect(page).to_have_url(re.compile(r"/enrol/\?participant=\d+:"))
        new = Participant.objects.get(customer_number="123D000999")
        expect(page).to_have_url(re.compile(rf"{re.escape(cohort_url)}enrol/\?participant={new.pk}:"))
        expect(page.get_by_role("status")).to_contain_text("Aydın, Emre")
        expect(page.locator("main")).to_contain_text("Emre Aydın")
        enrol_chosen_person(page, start)

        expect(page).to_have_url(cohort_url)
        for person in ("Nowak, Katarzyna", "Aydın, Emre"):
            expect(participant_row(page, person).locator(".status-badge")).to_have_text(ACTIVE)
        expect(header).to_contain_text("2 / 16")
        axe_check(page)

        enrolled = Enrolment.objects.filter(cohort=cohort).order_by("participant__last_name")
        assert [(e.participant.customer_number, e.joined_on) for e in enrolled] == [
            ("123D000999", start), ("123D000456", start)]
