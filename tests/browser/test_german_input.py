"""In Chromium, "38,5" typed as a German writes it is 38.5 hours (a type="number" field sent
385), and the lists show names in German order."""

from decimal import Decimal
from pathlib import Path

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from employers.models import Integration
from jobcenters.permissions import Role
from tests.factories import (
    CohortCoachFactory,
    EmployerFactory,
    EnrolmentFactory,
    MembershipFactory,
    ParticipantFactory,
)

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
SURNAMES = ["Dück", "Dumitru", "Jacobs", "Jäger", "Jovanović", "Jung", "Ott", "Öztürk", "Paul"]
EMPLOYERS = ["Apotheke am Markt", "Bäckerei Schulte", "Baustoffhandel Krause", "Zimmerei Ulm"]


def shoot(page, name):
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"german-input-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_a_coach_types_38_comma_5_hours_and_sees_38_comma_5_again(page, live_server, log_in,
                                                                  axe_check):
    coach = MembershipFactory(role=Role.COACH)
    enrolment = EnrolmentFactory(cohort__programme__jobcenter=coach.jobcenter,
                                 participant__last_name="Öztürk")
    CohortCoachFactory(cohort=enrolment.cohort, user=coach.user)
    log_in(coach.user.email)
    page.goto(f"{live_server.url}/{coach.jobcenter.code}/enrolments/{enrolment.pk}/integration/")
    page.get_by_label("Arbeitsaufnahme").fill(enrolment.joined_on.strftime("%d.%m.%Y"))
    page.get_by_label("Neuer Arbeitgeber").fill("Bäckerei Schulte")
    hours = page.get_by_label("Wochenstunden")
    hours.fill("38,5,5")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Bitte eine Zahl eingeben, z. B. 38,5.")).to_be_visible()
    shoot(page, "job-start-error")
    axe_check(page)

    hours = page.get_by_label("Wochenstunden")
    hours.fill("")
    hours.press_sequentially("38,5")  # typed key by key, as on the tablet
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/cohorts/{enrolment.cohort_id}/")
    with scope(jobcenter=coach.jobcenter):
        integration = Integration.objects.get()
    assert integration.weekly_hours == Decimal("38.5")

    page.goto(f"{live_server.url}/{coach.jobcenter.code}/enrolments/{enrolment.pk}"
              f"/integration/edit/?start={integration.pk}")
    expect(page.get_by_label("Wochenstunden")).to_have_value("38,5")
    shoot(page, "job-start-edit")


@pytest.mark.django_db(transaction=True)
def test_the_lists_show_names_in_german_order(page, live_server, log_in):
    lead = MembershipFactory(role=Role.TEAM_LEAD)
    for name in SURNAMES[1::2] + SURNAMES[::2]:
        ParticipantFactory(jobcenter=lead.jobcenter, last_name=name, first_name="Alex")
    for name in EMPLOYERS[::-1]:
        EmployerFactory(jobcenter=lead.jobcenter, name=name)
    log_in(lead.user.email)
    page.goto(f"{live_server.url}/{lead.jobcenter.code}/participants/")
    names = page.locator("main a", has_text=", Alex")
    expect(names.first).to_be_visible()
    shown = [n for n in names.all_inner_texts() if n.strip()]
    assert shown[:len(SURNAMES)] == [f"{name}, Alex" for name in SURNAMES]
    shoot(page, "participants")
    page.goto(f"{live_server.url}/{lead.jobcenter.code}/employers/")
    shown = [n for n in page.locator("main a").all_inner_texts() if n in EMPLOYERS]
    assert shown[:len(EMPLOYERS)] == EMPLOYERS
    shoot(page, "employers")
