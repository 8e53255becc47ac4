import re

import pytest
from playwright.sync_api import expect

from tests.factories import CohortCoachFactory, CohortFactory, EnrolmentFactory


@pytest.mark.django_db(transaction=True)
def test_a_coach_logs_in_and_sees_their_cohort(page, live_server, log_in, axe_check, coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-2025-03")
    CohortCoachFactory(cohort=cohort, user=coach.user)
    EnrolmentFactory(cohort=cohort, participant__last_name="Yılmaz")

    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
    axe_check(page)

    log_in(coach.user.email)
    expect(page.get_by_role("link", name="WA-DO-2025-03", exact=True)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="WA-DO-2025-03", exact=True).click()
    expect(page.get_by_role("rowheader").get_by_role("link", name=re.compile("^Yılmaz, "))
           ).to_be_visible()
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_keeps_the_user_out(page, live_server, log_in, coach):
    log_in(coach.user.email, password="falsch-falsch")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")


@pytest.mark.django_db(transaction=True)
def test_the_language_switches_to_english_and_back(page, live_server, log_in, coach):
    log_in(coach.user.email)
    page.get_by_role("button", name="Benutzermenü").click()  # the languages are in it
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Cohorts", exact=True)).to_be_visible()
    page.get_by_role("button", name="User menu").click()
    page.get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("link", name="Gruppen", exact=True)).to_be_visible()
