"""A coach works from "Heute": opens today's planned session, records it, and is back to
see it held; a planned session left unrecorded is flagged; "Mein Kalender" gives the feed."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from coaching.models import Attendance, GroupSession
from tests.factories import (
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupSessionFactory,
)

SAVE = re.compile(r"^(Speichern|Sichern|Save)$")
UNEXCUSED = re.compile(r"^(✓\s*)?(unentschuldigt|unexcused)$", re.IGNORECASE)
TABLET = 768


def planned(cohort, day, coach, **fields):
    session = GroupSessionFactory(cohort=cohort, held_on=day,
                                  status=GroupSession.Status.PLANNED, **fields)
    session.coaches.set([coach.user])
    return session


@pytest.mark.django_db(transaction=True)
def test_a_coach_records_todays_planned_session_from_today(page, live_server, log_in,
                                                           axe_check, coach):
    today = timezone.localdate()
    with scope(jobcenter=coach.jobcenter):
        cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-PLAN",
                               planned_start=today - timedelta(days=20),
                               planned_end=today + timedelta(days=20))
        CohortCoachFactory(cohort=cohort, user=coach.user)
        for last in ("Arslan", "Becker"):
            EnrolmentFactory(cohort=cohort, participant__last_name=last,
                             participant__first_name="Kim")
        todays = planned(cohort, today, coach, starts_at=time(9, 0), ends_at=time(12, 0),
                         room="Raum 2.07")
        missed = planned(cohort, today - timedelta(days=3), coach, starts_at=time(13, 0),
                         ends_at=time(15, 0))

    page.set_viewport_size({"width": TABLET, "height": 1024})
    page.emulate_media(reduced_motion="reduce")
    log_in(coach.user.email)
    expect(page).to_have_url(f"{live_server.url}/jc-a/")

    record = page.get_by_role("link", name=re.compile(r"^Anwesenheit erfassen"))
    expect(record).to_be_in_viewport()
    assert record.bounding_box()["height"] >= 44
    unrecorded = page.get_by_role("list", name="Nicht erfasst")
    expect(unrecorded).to_contain_text(missed.held_on.strftime("%d.%m.%Y"))
    expect(unrecorded.get_by_role("link", name=re.compile("^Jetzt erfassen"))).to_be_visible()
    axe_check(page)

    record.click()
    expect(page.get_by_role("heading", name="Geplante Sitzung erfassen")).to_be_visible()
    expect(page.locator("[name=room]")).to_have_value("Raum 2.07")
    expect(page.locator("[name=starts_at]")).to_have_value("09:00")
    becker = page.get_by_role("group", name="Becker, Kim", exact=True)
    becker.locator("label").filter(has_text=UNEXCUSED).click()
    page.get_by_role("button", name=SAVE).click()

    expect(page).to_have_url(f"{live_server.url}/jc-a/")
    expect(page.get_by_role("status")).to_contain_text("Die geplante Sitzung am")
    today_card = page.locator("section[aria-labelledby=today-heading]")
    expect(today_card).to_contain_text("durchgeführt")
    expect(today_card).to_contain_text("1 von 2 anwesend")
    expect(today_card.get_by_role("link", name=re.compile("^Anwesenheit erfassen"))
           ).to_have_count(0)
    axe_check(page)
    with scope(jobcenter=coach.jobcenter):
        todays.refresh_from_db()
        assert todays.status == GroupSession.Status.HELD
        assert Attendance.objects.get(session=todays, status="unexcused").enrolment \
            .participant.last_name == "Becker"


@pytest.mark.django_db(transaction=True)
def test_my_calendar_gives_a_private_address(page, live_server, log_in, axe_check, coach):
    page.emulate_media(reduced_motion="reduce")
    log_in(coach.user.email)
    page.get_by_role("button", name=re.compile("Benutzermenü")).click()
    page.get_by_role("link", name="Mein Kalender").click()
    expect(page.get_by_role("heading", name="Mein Kalender", level=1)).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Kalenderadresse erstellen").click()
    address = page.get_by_label("Ihre private Kalenderadresse")
    expect(address).to_have_value(re.compile(r"^http://.+/calendar/[\w-]{43}\.ics$"))
    axe_check(page)
    feed = page.request.get(address.input_value())
    assert feed.status == 200 and feed.text().startswith("BEGIN:VCALENDAR")
