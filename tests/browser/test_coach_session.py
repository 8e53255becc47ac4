"""A coach records a group session with attendance, and finds it in the matrix."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from coaching.models import Attendance, GroupSession
from tests.factories import CohortCoachFactory, CohortFactory, EnrolmentFactory

RECORD_SESSION = re.compile("Sitzung erfassen|Record session")
# "Sichern" is Django's own German for "Save", used while the project has no entry for it.
SAVE = re.compile(r"^(Speichern|Sichern|Save)$")
ATTENDANCE_TAB = re.compile(r"^(Anwesenheit|Attendance)$")
CHECKED_TICK = r"(✓\s*)?"  # a checked toggle shows "✓ " (CSS ::before), also in its name


def status(german, english):
    """A toggle's accessible name in either language (the checked one starts with a tick)."""
    return re.compile(rf"^{CHECKED_TICK}({german}|{english})$", re.IGNORECASE)


PRESENT = status("anwesend", "present")
LATE = status("verspätet", "late")
EXCUSED = status("entschuldigt", "excused")

ON_TIME = ("Arslan", "Berna"), ("Becker", "Jonas"), ("Chen", "Mei"), ("Dąbrowski", "Piotr")
LATE_JOINER = ("Engel", "Lara")


def name(person):
    last, first = person
    return f"{last}, {first}"


def running_cohort(coach):
    """Started two weeks ago, four people from the start, one who joined three days ago."""
    today = timezone.localdate()
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-LAUF",
                           planned_start=today - timedelta(days=14),
                           planned_end=today + timedelta(days=27))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    for last, first in ON_TIME:
        EnrolmentFactory(cohort=cohort, participant__last_name=last,
                         participant__first_name=first)
    EnrolmentFactory(cohort=cohort, participant__last_name=LATE_JOINER[0],
                     participant__first_name=LATE_JOINER[1],
                     joined_on=today - timedelta(days=3))
    return cohort


def person_row(page, person):
    """One participant's fieldset on the session form."""
    return page.get_by_role("group", name=name(person), exact=True)


def matrix_row(page, person):
    return page.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=name(person)))


def list_participants_on(page, day):
    """On the session form, switch the date and list the people enrolled then."""
    page.locator("[name=held_on]").fill(day.strftime("%d.%m.%Y"))
    page.locator("button[name=reload]").click()
    expect(page.locator("[name=held_on]")).to_have_value(day.strftime("%d.%m.%Y"))


@pytest.mark.django_db(transaction=True)
def test_a_coach_records_a_session_and_sees_it_in_the_matrix(
    page, live_server, log_in, axe_check, coach
):
    with scope(jobcenter=coach.jobcenter):
        cohort = running_cohort(coach)
        today = timezone.localdate()
        session_day = today - timedelta(days=7)  # before the late joiner joined

        log_in(coach.user.email)
        expect(page).to_have_url(f"{live_server.url}/jc-a/")
        page.get_by_role("link", name="WA-DO-LAUF", exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/jc-a/cohorts/{cohort.pk}/")

        page.get_by_role("link", name=RECORD_SESSION).click()
        expect(page).to_have_url(f"{live_server.url}/jc-a/cohorts/{cohort.pk}/sessions/new/")
        # Today is preset, and today the late joiner belongs to the group.
        expect(page.locator("[name=held_on]")).to_have_value(today.strftime("%d.%m.%Y"))
        expect(page.locator("fieldset.attendance-row")).to_have_count(5)
        expect(person_row(page, LATE_JOINER)).to_be_visible()

        # A week ago the late joiner had not joined yet: four rows, everyone present.
        list_participants_on(page, session_day)
        expect(page.locator("fieldset.attendance-row")).to_have_count(4)
        expect(person_row(page, LATE_JOINER)).to_have_count(0)
        for person in ON_TIME:
            expect(person_row(page, person).get_by_role("radio", name=PRESENT)).to_be_checked()
        axe_check(page)

        becker, chen = person_row(page, ON_TIME[1]), person_row(page, ON_TIME[2])
        becker.locator("label").filter(has_text=LATE).click()
        chen.locator("label").filter(has_text=EXCUSED).click()
        expect(becker.get_by_role("radio", name=LATE)).to_be_checked()
        expect(becker.get_by_role("radio", name=PRESENT)).not_to_be_checked()
        expect(chen.get_by_role("radio", name=EXCUSED)).to_be_checked()

        page.get_by_role("button", name=SAVE).click()

        expect(page).to_have_url(f"{live_server.url}/jc-a/cohorts/{cohort.pk}/attendance/")
        expect(page.get_by_role("link", name=ATTENDANCE_TAB)).to_have_attribute(
            "aria-current", "page")
        message = page.get_by_role("status")
        expect(message).to_contain_text(session_day.strftime("%d.%m.%Y"))
        expect(message).to_contain_text(re.compile(r"\b4\b"))  # participants recorded

        session_column = 0  # the only session; cells after the row header
        becker_row, chen_row = matrix_row(page, ON_TIME[1]), matrix_row(page, ON_TIME[2])
        expect(becker_row.get_by_role("cell").nth(session_column)).to_contain_text(
            re.compile("verspätet|late"))
        expect(chen_row.get_by_role("cell").nth(session_column)).to_contain_text(
            re.compile("entschuldigt|excused"))
        # Late counts as attended; excused does not.
        expect(becker_row.get_by_role("cell").last).to_have_text(re.compile(r"^\s*100\s%\s*$"))
        expect(chen_row.get_by_role("cell").last).to_have_text(re.compile(r"^\s*0\s%\s*$"))
        expect(matrix_row(page, ON_TIME[0]).get_by_role("cell").last).to_have_text(
            re.compile(r"^\s*100\s%\s*$"))
        # The late joiner was not expected that day: no mark, no rate.
        joiner_row = matrix_row(page, LATE_JOINER)
        expect(joiner_row.get_by_role("cell").nth(session_column)).not_to_contain_text(
            re.compile("anwesend|present|\\?"))
        expect(joiner_row.get_by_role("cell").last).to_have_text(re.compile(r"^\s*–\s*$"))
        axe_check(page)

        session = GroupSession.objects.get(cohort=cohort)
        assert session.held_on == session_day
        recorded = {str(a.enrolment.participant): a.status
                    for a in Attendance.objects.filter(session=session)}
        assert recorded == {
            "Arslan, Berna": Attendance.Status.PRESENT,
            "Becker, Jonas": Attendance.Status.LATE,
            "Chen, Mei": Attendance.Status.EXCUSED,
            "Dąbrowski, Piotr": Attendance.Status.PRESENT,
        }


@pytest.mark.django_db(transaction=True)
def test_attendance_can_be_recorded_with_the_keyboard_alone(
    page, live_server, log_in, coach
):
    with scope(jobcenter=coach.jobcenter):
        cohort = running_cohort(coach)
        log_in(coach.user.email)
        page.goto(f"{live_server.url}/jc-a/cohorts/{cohort.pk}/sessions/new/")
        first, second = person_row(page, ON_TIME[0]), person_row(page, ON_TIME[1])
        expect(first.get_by_role("radio", name=PRESENT)).to_be_checked()

        # The field before the attendance list; one Tab lands on the first person's choice.
        page.locator("[name=notes]").focus()
        page.keyboard.press("Tab")
        expect(first.get_by_role("radio", name=PRESENT)).to_be_focused()
        page.keyboard.press("ArrowRight")
        expect(first.get_by_role("radio", name=LATE)).to_be_focused()
        expect(first.get_by_role("radio", name=LATE)).to_be_checked()
        expect(first.get_by_role("radio", name=PRESENT)).not_to_be_checked()

        # Tab leaves the group (to the note toggle), the next Tab enters the next person's group.
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        expect(second.get_by_role("radio", name=PRESENT)).to_be_focused()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(second.get_by_role("radio", name=EXCUSED)).to_be_checked()

        # Tab on to the save button and press it.
        save = page.get_by_role("button", name=SAVE)
        for _ in range(40):
            if save.evaluate("button => button === document.activeElement"):
                break
            page.keyboard.press("Tab")
        expect(save).to_be_focused()
        page.keyboard.press("Enter")

        expect(page).to_have_url(f"{live_server.url}/jc-a/cohorts/{cohort.pk}/attendance/")
        statuses = dict(
            Attendance.objects.filter(session__cohort=cohort)
            .values_list("enrolment__participant__last_name", "status"))
        assert statuses == {"Arslan": Attendance.Status.LATE, "Becker": Attendance.Status.EXCUSED,
                            "Chen": Attendance.Status.PRESENT,
                            "Dąbrowski": Attendance.Status.PRESENT,
                            "Engel": Attendance.Status.PRESENT}


@pytest.mark.django_db(transaction=True)
def test_the_coachs_pages_fit_a_tablet_at_768_pixels(page, live_server, log_in, coach):
    """Wide tables scroll inside their box; the page itself never scrolls sideways."""
    cohort = running_cohort(coach)
    page.set_viewport_size({"width": 768, "height": 1024})
    log_in(coach.user.email)
    for path in ("", f"cohorts/{cohort.pk}/", f"cohorts/{cohort.pk}/sessions/new/",
                 f"cohorts/{cohort.pk}/attendance/", f"cohorts/{cohort.pk}/applications/"):
        page.goto(f"{live_server.url}/jc-a/{path}")
        expect(page.locator("h1").first).to_be_visible()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 768, (path, width)
    # The menu folds into its button, which opens it.
    menu = page.get_by_role("button", name=re.compile("Navigation"))
    expect(menu).to_be_visible()
    menu.click()
    expect(page.get_by_role("navigation", name=re.compile("Hauptnavigation"))
           .get_by_role("link").first).to_be_visible()
