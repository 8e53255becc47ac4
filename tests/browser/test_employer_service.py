"""The employer service adds an employer (past a near-duplicate), a vacancy, proposes a
participant for it and follows the card through the placement pipeline to the hire."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from employers.models import Application, Employer, Integration, Vacancy
from tests.factories import CohortFactory, EmployerFactory, EnrolmentFactory

MAIN_NAV = re.compile(r"^(Hauptnavigation|Main navigation)$")
EMPLOYERS = re.compile(r"^(Arbeitgeber|Employers)$")
NEW_EMPLOYER = re.compile(r"^(Neuer Arbeitgeber|New employer)$")
NEW_VACANCY = re.compile(r"^(Neue Stelle|New vacancy)$")
# "Sichern" is Django's own German for "Save", used while the project has no entry for it.
SAVE = re.compile(r"^(Speichern|Sichern|Save)$")
APPLICATIONS_TAB = re.compile(r"^(Bewerbungen|Applications)$")
PARTICIPANTS_TAB = re.compile(r"^(Teilnehmende|Participants)$")
RECORD_APPLICATION = re.compile(r"^(Bewerbung erfassen|Record application)$")
MOVE = re.compile(r"^(Verschieben|Move)\b")
RECORD_HIRE = re.compile(r"(Einstellung|Arbeitsaufnahme|Record hire|start of work)", re.I)
PROPOSAL = re.compile(r"^(Vermittlungsvorschlag|placement proposal)", re.I)
INTEGRATED = re.compile(r"^\s*(✓\s*)?(integriert|integrated)\s*$")


def stage(german, english):
    """A board column's name: the stage and its card count."""
    return re.compile(rf"^({german}|{english})\s+\d+$", re.IGNORECASE)


PROPOSED = stage("vorgeschlagen", "proposed")
APPLIED = stage("beworben", "applied")
HIRED = stage("eingestellt", "hired")

FIRST = ("Arslan", "Berna")
SECOND = ("Becker", "Jonas")
NEW_NAME = "Pflegedienst Sonnenschein"


def tt_mm_jjjj(day):
    return day.strftime("%d.%m.%Y")


def column(page, name):
    return page.get_by_role("region", name=name)


def card(page, name, person):
    return column(page, name).get_by_role("article", name=f"{person} – {NEW_NAME}")


def move(page, person, to, label):
    """On the board: choose the card's next stage and press its Move button."""
    the_card = page.get_by_role("article", name=f"{person} – {NEW_NAME}")
    select = the_card.locator("select[name=stage]")
    select.select_option(value=to)
    expect(select.locator("option:checked")).to_have_text(label)
    the_card.get_by_role("button", name=MOVE).click()


@pytest.mark.django_db(transaction=True)
def test_the_employer_service_places_a_participant_with_a_new_employer(
    page, live_server, log_in, axe_check, employer_service, jobcenter_a
):
    with scope(jobcenter=jobcenter_a):
        existing = EmployerFactory(jobcenter=jobcenter_a, name="Müller GmbH", town="Dortmund")
        today = timezone.localdate()
        cohort = CohortFactory(programme__jobcenter=jobcenter_a, code="WA-DO-AGS",
                               planned_start=today - timedelta(days=14),
                               planned_end=today + timedelta(days=27))
        first = EnrolmentFactory(cohort=cohort, participant__last_name=FIRST[0],
                                 participant__first_name=FIRST[1])
        EnrolmentFactory(cohort=cohort, participant__last_name=SECOND[0],
                         participant__first_name=SECOND[1])
        person = f"{FIRST[0]}, {FIRST[1]}"
        base = f"{live_server.url}/jc-a"

        log_in(employer_service.user.email)
        page.get_by_role("navigation", name=MAIN_NAV).get_by_role("link", name=EMPLOYERS).click()
        expect(page).to_have_url(f"{base}/employers/")
        expect(page.locator("tbody")).to_contain_text("Müller GmbH")
        axe_check(page)

        # A near-duplicate of a known employer: the form warns and links to it.
        page.get_by_role("link", name=NEW_EMPLOYER).click()
        expect(page).to_have_url(f"{base}/employers/new/")
        page.locator("[name=name]").fill("Mueller Gmbh.")
        page.locator("[name=town]").fill("Dortmund")
        page.get_by_role("button", name=SAVE).click()
        warning = page.locator("main .alert-warning[role=alert]")
        expect(warning).to_contain_text("Müller GmbH")
        expect(warning.get_by_role("link", name=re.compile(r"^Müller GmbH"))).to_have_attribute(
            "href", f"/jc-a/employers/{existing.pk}/")
        expect(page.locator("[name=accept_duplicate]")).to_be_visible()
        axe_check(page)
        assert Employer.objects.filter(jobcenter=jobcenter_a).count() == 1

        # A genuinely new one.
        page.locator("[name=name]").fill(NEW_NAME)
        page.locator("[name=town]").fill("Dortmund")
        page.get_by_role("button", name=SAVE).click()
        expect(page).to_have_url(re.compile(r"/jc-a/employers/\d+/$"))
        employer = Employer.objects.get(jobcenter=jobcenter_a, name=NEW_NAME)
        expect(page).to_have_url(f"{base}/employers/{employer.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(NEW_NAME)
        expect(page.get_by_role("status")).to_contain_text(NEW_NAME)
        axe_check(page)
        assert employer.town == "Dortmund"

        # A vacancy with one place.
        page.get_by_role("link", name=NEW_VACANCY).click()
        expect(page).to_have_url(f"{base}/employers/{employer.pk}/vacancies/new/")
        page.locator("[name=title]").fill("Pflegehilfskraft")
        page.locator("[name=places]").fill("1")
        page.get_by_role("button", name=SAVE).click()
        expect(page).to_have_url(f"{base}/employers/{employer.pk}/")
        vacancies = page.locator("section[aria-labelledby=vacancies-h]")
        expect(vacancies.get_by_role("link", name="Pflegehilfskraft")).to_be_visible()
        vacancy = Vacancy.objects.get(employer=employer)
        assert (vacancy.title, vacancy.places, vacancy.status) == ("Pflegehilfskraft", 1, "open")

        # The cohort's pipeline: propose the first participant for the vacancy.
        board_url = f"{base}/cohorts/{cohort.pk}/applications/"
        page.goto(f"{base}/cohorts/{cohort.pk}/")
        page.locator(".nav-tabs").get_by_role("link", name=APPLICATIONS_TAB).click()
        expect(page).to_have_url(board_url)
        page.get_by_role("link", name=RECORD_APPLICATION).click()
        expect(page).to_have_url(f"{board_url}new/")
        participant = page.locator("[name=enrolment]")
        expect(participant.locator("option", has_text=person)).to_have_count(1)
        participant.select_option(label=person)
        page.locator("[name=employer]").select_option(label=f"{NEW_NAME} (Dortmund)")
        page.locator("[name=vacancy]").select_option(label=f"Pflegehilfskraft – {NEW_NAME}")
        source = page.locator("[name=source]")
        source.select_option(value=Application.Source.PROPOSAL)
        expect(source.locator("option:checked")).to_have_text(PROPOSAL)
        page.get_by_role("button", name=SAVE).click()

        expect(page).to_have_url(board_url)
        expect(card(page, PROPOSED, person)).to_be_visible()
        expect(card(page, PROPOSED, person)).to_contain_text("Pflegehilfskraft")
        axe_check(page)

        # Proposed → applied → hired (the hire asks for the start of work).
        move(page, person, Application.Stage.APPLIED, re.compile(r"^(beworben|applied)$"))
        expect(page).to_have_url(board_url)
        expect(card(page, APPLIED, person)).to_be_visible()
        expect(column(page, PROPOSED).get_by_role("article")).to_have_count(0)

        move(page, person, Application.Stage.HIRED, re.compile(r"^(eingestellt|hired)$"))
        application = Application.objects.get(enrolment=first, employer=employer)
        expect(page).to_have_url(f"{base}/applications/{application.pk}/hire/")
        axe_check(page)
        start_on = today + timedelta(days=4)
        page.locator("[name=start_on]").fill(tt_mm_jjjj(start_on))
        page.locator("[name=kind]").select_option(value=Integration.Kind.EMPLOYMENT)
        page.get_by_role("button", name=RECORD_HIRE).click()

        expect(page).to_have_url(board_url)
        expect(card(page, HIRED, person)).to_be_visible()
        expect(column(page, APPLIED).get_by_role("article")).to_have_count(0)

        # The participant counts as integrated; one integration, the vacancy is filled.
        page.locator(".nav-tabs").get_by_role("link", name=PARTICIPANTS_TAB).click()
        expect(page).to_have_url(f"{base}/cohorts/{cohort.pk}/")
        row = page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=person))
        expect(row.locator(".status-badge")).to_have_text(INTEGRATED)
        axe_check(page)

        integrations = Integration.objects.filter(enrolment=first)
        assert [(i.employer_id, i.kind, i.start_on) for i in integrations] == [
            (employer.pk, Integration.Kind.EMPLOYMENT, start_on)]
        vacancy.refresh_from_db()
        assert vacancy.status == Vacancy.Status.FILLED
