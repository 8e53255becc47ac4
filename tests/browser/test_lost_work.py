"""Nothing typed is lost: a form sent after the login expired comes back after the new login,
Enter saves, and a dialog offers to stay logged in before the idle timeout."""

import re
import time
from pathlib import Path

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from coaching.models import Attendance, GroupSession
from tests.browser.test_coach_session import (
    EXCUSED,
    LATE,
    ON_TIME,
    SAVE,
    person_row,
    running_cohort,
)

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
NOTE = "kommt nach dem Termin beim Amt"
STAY = "Angemeldet bleiben"


def shoot(page, name):
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"lost-work-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def fill_in(page):
    """Becker late, Chen excused, a note for Arslan and one for the session."""
    becker, chen, arslan = (person_row(page, p) for p in (ON_TIME[1], ON_TIME[2], ON_TIME[0]))
    becker.locator("label").filter(has_text=LATE).click()
    chen.locator("label").filter(has_text=EXCUSED).click()
    page.locator("[name=notes]").fill("Raum 3 war kalt")
    arslan.locator("summary").click()  # opens the note
    arslan.get_by_role("textbox").fill(NOTE)
    return becker, chen, arslan


@pytest.mark.django_db(transaction=True)
def test_a_session_sent_after_the_login_expired_is_back_after_logging_in(
    page, live_server, log_in, axe_check, coach
):
    with scope(jobcenter=coach.jobcenter):
        cohort = running_cohort(coach)
        form = f"{live_server.url}/jc-a/cohorts/{cohort.pk}/sessions/new/"
        log_in(coach.user.email)
        page.goto(form)
        fill_in(page)

        page.context.clear_cookies(name="sessionid")  # the idle timeout has passed
        page.get_by_role("button", name=SAVE).click()
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
        expect(page.get_by_role("status")).to_contain_text("Ihre Eingaben sind aufbewahrt")
        assert not GroupSession.objects.filter(cohort=cohort).exists()
        shoot(page, "login")

        page.get_by_label("E-Mail-Adresse").fill(coach.user.email)
        page.get_by_label("Passwort").fill("geheim-genug-123")
        page.get_by_role("button", name="Anmelden").click()
        expect(page).to_have_url(form)
        expect(page.get_by_role("status")).to_contain_text(
            "Ihre Eingaben von vorhin sind wieder eingetragen. Bitte prüfen und speichern.")
        becker, chen, arslan = (person_row(page, p) for p in (ON_TIME[1], ON_TIME[2], ON_TIME[0]))
        expect(becker.get_by_role("radio", name=LATE)).to_be_checked()
        expect(chen.get_by_role("radio", name=EXCUSED)).to_be_checked()
        expect(arslan.get_by_role("textbox")).to_have_value(NOTE)
        expect(arslan.get_by_role("textbox")).to_be_visible()  # its note is open
        expect(page.locator("[name=notes]")).to_have_value("Raum 3 war kalt")
        axe_check(page)
        shoot(page, "restored")

        page.get_by_role("button", name=SAVE).click()
        expect(page).to_have_url(f"{live_server.url}/jc-a/cohorts/{cohort.pk}/attendance/")
        session = GroupSession.objects.get(cohort=cohort)
        assert session.notes == "Raum 3 war kalt"
        recorded = {a.enrolment.participant.last_name: (a.status, a.note)
                    for a in Attendance.objects.filter(session=session)}
        assert recorded["Becker"] == (Attendance.Status.LATE, "")
        assert recorded["Chen"] == (Attendance.Status.EXCUSED, "")
        assert recorded["Arslan"] == (Attendance.Status.PRESENT, NOTE)


@pytest.mark.django_db(transaction=True)
def test_enter_in_a_note_field_saves_the_session(page, live_server, log_in, coach):
    with scope(jobcenter=coach.jobcenter):
        cohort = running_cohort(coach)
        log_in(coach.user.email)
        page.goto(f"{live_server.url}/jc-a/cohorts/{cohort.pk}/sessions/new/")
        fill_in(page)
        person_row(page, ON_TIME[0]).get_by_role("textbox").press("Enter")

        expect(page).to_have_url(f"{live_server.url}/jc-a/cohorts/{cohort.pk}/attendance/")
        expect(page.get_by_role("status")).to_contain_text("gespeichert")
        session = GroupSession.objects.get(cohort=cohort)
        assert session.attendances.get(enrolment__participant__last_name="Arslan").note == NOTE


@pytest.mark.django_db(transaction=True)
def test_stay_logged_in_keeps_the_session_past_the_idle_timeout(
    page, live_server, log_in, axe_check, coach, settings
):
    age = settings.SESSION_COOKIE_AGE = 12
    settings.SESSION_WARNING_SECONDS = 10  # the dialog comes two seconds after a page load
    log_in(coach.user.email)
    loaded = time.monotonic()
    expect(page).to_have_url(f"{live_server.url}/jc-a/")
    dialog = page.get_by_role("dialog", name="Ihre Anmeldung läuft bald ab")
    expect(dialog).to_be_visible(timeout=5000)
    expect(dialog).to_contain_text(re.compile(r"um \d\d:\d\d Uhr abgemeldet"))
    expect(dialog.get_by_role("button", name=STAY)).to_be_focused()
    axe_check(page)
    shoot(page, "dialog")

    page.keyboard.press("Escape")  # closes it; the logout still comes
    expect(dialog).to_be_hidden()

    page.reload()
    loaded = time.monotonic()
    expect(dialog).to_be_visible(timeout=5000)
    dialog.get_by_role("button", name=STAY).click()
    stayed = time.monotonic()
    expect(dialog).to_be_hidden()

    # Past the timeout of the page load, within the one renewed by "stay logged in".
    time.sleep(max(0, loaded + age + 1 - time.monotonic()))
    assert time.monotonic() < stayed + age - 0.5
    page.goto(f"{live_server.url}/jc-a/")
    expect(page).to_have_url(f"{live_server.url}/jc-a/")


@pytest.mark.django_db(transaction=True)
def test_without_staying_the_dialog_says_the_login_has_expired(
    page, live_server, log_in, coach, settings
):
    settings.SESSION_COOKIE_AGE = 4
    settings.SESSION_WARNING_SECONDS = 3
    log_in(coach.user.email)
    expect(page).to_have_url(f"{live_server.url}/jc-a/")
    over = page.get_by_role("dialog", name="Sie wurden abgemeldet")
    expect(over).to_be_visible(timeout=8000)
    expect(over).to_contain_text("gehen nicht verloren")
    expect(over.get_by_role("button", name=STAY)).to_be_hidden()
    shoot(page, "over")
    page.reload()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
