"""A coach works an absence case from "Heute" to "closed" ("Fehlzeiten klären")."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from coaching.models import AbsenceCase, AbsenceStep, Attendance
from tests.browser.test_coach_session import SAVE, person_row, status
from tests.browser.test_tablet import actions_in_reach, no_sideways_scroll
from tests.factories import CohortCoachFactory, CohortFactory, EnrolmentFactory

UNEXCUSED = status("unentschuldigt", "unexcused")
ABSENT, PRESENT_PERSON = ("Yilmaz", "Ayşe"), ("Brandt", "Tobias")
NAME = "Yilmaz, Ayşe"
STEP = re.compile(r"^Schritt\b")  # a required field's label ends in "*"


def record_session(page, url, cohort, day):
    """The session form of `day`: Ayşe Yilmaz unexcused, everyone else present."""
    page.goto(f"{url}/jc-a/cohorts/{cohort.pk}/sessions/new/?held_on={day:%d.%m.%Y}")
    expect(page.locator("[name=held_on]")).to_have_value(f"{day:%d.%m.%Y}")
    row = person_row(page, ABSENT)
    row.locator("label").filter(has_text=UNEXCUSED).click()
    expect(row.get_by_role("radio", name=UNEXCUSED)).to_be_checked()
    page.get_by_role("button", name=SAVE).click()
    expect(page).to_have_url(f"{url}/jc-a/cohorts/{cohort.pk}/attendance/")


def record_step(page, step, **fields):
    page.get_by_role("combobox", name=STEP).select_option(label=step)
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name=SAVE).click()
    expect(page.get_by_role("status")).to_contain_text(f"„{step}“")


@pytest.mark.django_db(transaction=True)
def test_a_coach_works_an_absence_case_to_closed(page, live_server, log_in, axe_check, coach):
    today = timezone.localdate()
    with scope(jobcenter=coach.jobcenter):
        cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-FEHL",
                               programme__absences_in_row=2,
                               planned_start=today - timedelta(days=14),
                               planned_end=today + timedelta(days=27))
        CohortCoachFactory(cohort=cohort, user=coach.user)
        for last, first in (ABSENT, PRESENT_PERSON):
            EnrolmentFactory(cohort=cohort, participant__last_name=last,
                             participant__first_name=first)
    url = live_server.url
    log_in(coach.user.email)
    first_day, second_day = today - timedelta(days=2), today - timedelta(days=1)
    record_session(page, url, cohort, first_day)
    record_session(page, url, cohort, second_day)

    # Two unexcused absences in a row: "Heute" asks to clarify them.
    page.goto(f"{url}/jc-a/")
    card = page.locator("section").filter(
        has=page.get_by_role("heading", name="Fehlzeiten klären"))
    expect(card).to_contain_text(NAME)
    expect(card).to_contain_text("2× unentschuldigt in Folge")
    expect(card).to_contain_text("noch kein Schritt")
    card.get_by_role("link", name=f"Bearbeiten {NAME}").click()
    with scope(jobcenter=coach.jobcenter):
        case = AbsenceCase.objects.get()
    expect(page).to_have_url(f"{url}/jc-a/absences/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fehlzeiten klären")
    # The good reason's fields only come with the step "good reason".
    expect(page.get_by_label("Wichtiger Grund", exact=True)).to_be_hidden()
    axe_check(page)

    record_step(page, "kontaktiert", Notiz="Telefonisch erreicht, bringt Attest.")
    expect(page.get_by_role("list").filter(has_text="kontaktiert")).to_contain_text(
        "Telefonisch erreicht")

    page.get_by_role("combobox", name=STEP).select_option(label="wichtiger Grund genannt")
    expect(page.get_by_label("Wichtiger Grund", exact=True)).to_be_visible()
    for day in (first_day, second_day):  # both absences preselected
        expect(page.get_by_role("checkbox", name=re.compile(f"{day:%d.%m.%Y}"))).to_be_checked()
    record_step(page, "wichtiger Grund genannt", **{"Wichtiger Grund": "Arztbesuch mit Attest"})
    expect(page.locator("main")).to_contain_text("Wichtiger Grund: Arztbesuch mit Attest")

    # In the matrix both absences are excused now.
    page.goto(f"{url}/jc-a/cohorts/{cohort.pk}/attendance/")
    row = page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=NAME))
    expect(row).to_contain_text("entschuldigt")
    expect(row).not_to_contain_text("unentschuldigt")

    # The list of open cases, and the person's Fehlzeitenübersicht to print.
    page.goto(f"{url}/jc-a/absences/")
    expect(page.locator("tbody")).to_contain_text(NAME)
    axe_check(page)
    page.get_by_role("link", name=f"Fehlzeitenübersicht {NAME}").click()
    expect(page).to_have_url(f"{url}/jc-a/enrolments/{case.enrolment_id}/absences/")
    expect(page.locator("article")).to_contain_text("Wichtiger Grund: Arztbesuch mit Attest")
    expect(page.get_by_role("button", name="Drucken")).to_be_visible()
    axe_check(page)

    page.goto(f"{url}/jc-a/absences/{case.pk}/")
    record_step(page, "abgeschlossen")
    expect(page.locator("main")).to_contain_text(f"abgeschlossen am {today:%d.%m.%Y}")
    expect(page.get_by_role("combobox", name=STEP)).to_have_count(0)

    # The case has left "Heute".
    page.goto(f"{url}/jc-a/")
    expect(card).to_contain_text("Keine Fehlzeiten zu klären.")
    expect(card).not_to_contain_text(NAME)

    with scope(jobcenter=coach.jobcenter):
        assert list(AbsenceStep.objects.filter(case=case).values_list("kind", flat=True)) == [
            "contacted", "good_reason", "closed"]
        assert set(Attendance.objects.filter(enrolment=case.enrolment)
                   .values_list("status", flat=True)) == {"excused"}

    # Upright on a tablet every action is in reach, and no page scrolls sideways.
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{url}/jc-a/absences/?status=all")
    found = actions_in_reach(page, "tbody tr")
    assert found == {NAME: [f"Bearbeiten {NAME}", f"Fehlzeitenübersicht {NAME}"]}, found
    no_sideways_scroll(page)
    for path in (f"absences/{case.pk}/", f"enrolments/{case.enrolment_id}/absences/"):
        page.goto(f"{url}/jc-a/{path}")
        no_sideways_scroll(page)
