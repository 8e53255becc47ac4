"""A team lead checks the audit trail, the deletion periods and a subject access page."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.factories import EnrolmentFactory


@pytest.mark.django_db(transaction=True)
def test_the_data_protection_pages_work_and_pass_axe(page, live_server, log_in, axe_check,
                                                     team_lead, jobcenter_a):
    enrolment = EnrolmentFactory(
        cohort__programme__jobcenter=jobcenter_a, participant__last_name="Auskunft",
        participant__first_name="Anna", joined_on=date(2020, 1, 6),
        exit_on=date(2020, 2, 14), exit_reason="completed")
    person = enrolment.participant
    log_in(team_lead.user.email)
    expect(page).to_have_url(f"{live_server.url}/jc-a/")

    # The participant's page, then the complete data of the person (GDPR Art. 15).
    page.goto(f"{live_server.url}/jc-a/participants/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Auskunft")
    axe_check(page)
    page.goto(f"{live_server.url}/jc-a/participants/{person.pk}/data/")
    expect(page.locator("main")).to_contain_text("Auskunft")
    expect(page.locator("main")).to_contain_text("14.02.2020")
    axe_check(page)

    # Deletion periods: the person's last enrolment ended long ago, so they are due.
    page.goto(f"{live_server.url}/jc-a/manage/retention/due/")
    expect(page.locator("main")).to_contain_text(re.compile(r"\b1\b"))
    axe_check(page)

    # The audit trail lists the subject access just given.
    page.goto(f"{live_server.url}/jc-a/manage/audit/")
    expect(page.locator("main table")).to_contain_text(re.compile("Auskunft, Druckansicht"))
    axe_check(page)
