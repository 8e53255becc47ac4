"""A coach reads a person's course as a timeline and the audit trail in words, at the
desk (1280 px) and on a tablet (768 px)."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coaching.models import Attendance
from employers.models import Application
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EmployerFactory,
    EnrolmentFactory,
    GroupSessionFactory,
    IntegrationFactory,
    ParticipantFactory,
)

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
START = date(2025, 3, 3)


@pytest.mark.django_db(transaction=True)
def test_the_timeline_and_the_trail_read_well_and_pass_axe(page, live_server, log_in,
                                                            axe_check, coach, jobcenter_a):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=START,
                           code="WA-2025-03")
    CohortCoachFactory(cohort=cohort, user=coach.user)
    person = ParticipantFactory(jobcenter=jobcenter_a, first_name="Ayşe", last_name="Yılmaz")
    enrolment = EnrolmentFactory(cohort=cohort, participant=person, joined_on=START,
                                 assigned_on=START - timedelta(days=14), is_voluntary=True)
    day = START
    for number in range(20):
        session = GroupSessionFactory(cohort=cohort, held_on=day)
        AttendanceFactory(session=session, enrolment=enrolment,
                          status=Attendance.Status.UNEXCUSED if number in (3, 7)
                          else Attendance.Status.LATE if number == 5
                          else Attendance.Status.PRESENT)
        day += timedelta(days=3 if day.weekday() == 4 else 1)
    for name, stage in (("Baustoffhandel Ost", Application.Stage.REJECTED),
                        ("Bäckerei Kaya", Application.Stage.HIRED)):
        ApplicationFactory(enrolment=enrolment, stage=stage, stage_changed_on=day,
                           employer=EmployerFactory(jobcenter=jobcenter_a, name=name))
    IntegrationFactory(enrolment=enrolment, start_on=day + timedelta(days=3),
                       weekly_hours=Decimal("38.5"),
                       employer=EmployerFactory(jobcenter=jobcenter_a, name="Bäckerei Kaya"))
    log_in(coach.user.email)
    expect(page).to_have_url(f"{live_server.url}/jc-a/")

    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 1000})
        page.goto(f"{live_server.url}/jc-a/participants/{person.pk}/")
        timeline = page.locator("ol.timeline")
        expect(timeline).to_contain_text("Sitzungen: 18 von 20 besucht (1 verspätet), "
                                         "2 unentschuldigt")
        expect(timeline).to_contain_text("Bäckerei Kaya")
        page.screenshot(path=str(SHOTS / f"timeline-{width}.png"), full_page=True)
        axe_check(page)
        page.goto(f"{live_server.url}/jc-a/manage/audit/")
        trail = page.locator("main table")
        expect(trail).to_contain_text("Ayşe Yılmaz")
        expect(trail).to_contain_text("Wochenstunden: 38,5")
        expect(trail).to_contain_text("freiwillige Teilnahme: Ja")
        page.screenshot(path=str(SHOTS / f"audit-trail-{width}.png"), full_page=True)
        axe_check(page)
