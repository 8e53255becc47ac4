"""A person's page tells their course as a timeline: assigned → joined → sessions →
applications → exit → job start → follow-ups, as far as the viewer's role reaches."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils.html import strip_tags
from django_scopes import scope

from coaching.models import Attendance
from employers.models import Application, ApplicationStep
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
from tests.queries import queries_for

START = date(2025, 3, 3)


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START,
                           code="WA-2025-03")
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


@pytest.fixture
def enrolment(cohort):
    person = ParticipantFactory(jobcenter=cohort.jobcenter, first_name="Ayşe",
                                last_name="Yılmaz")
    return EnrolmentFactory(cohort=cohort, participant=person,
                            assigned_on=START - timedelta(days=10), joined_on=START)


def sessions(enrolment, count, *, missed=()):
    """`count` sessions on consecutive weekdays from the start; the days in `missed`
    (offsets) unexcused."""
    day = START
    for number in range(count):
        session = GroupSessionFactory(cohort=enrolment.cohort, held_on=day)
        AttendanceFactory(session=session, enrolment=enrolment,
                          status=Attendance.Status.UNEXCUSED if number in missed
                          else Attendance.Status.PRESENT)
        day += timedelta(days=3 if day.weekday() == 4 else 1)


def application(enrolment, name, applied, stage=Application.Stage.APPLIED, changed=None):
    """An application made on `applied` (its first step), at `stage` since `changed`."""
    made = ApplicationFactory(enrolment=enrolment, stage=stage,
                              stage_changed_on=changed or applied,
                              employer=EmployerFactory(jobcenter=enrolment.jobcenter,
                                                       name=name))
    with scope(jobcenter=enrolment.jobcenter):
        ApplicationStep.objects.create(application=made, stage=Application.Stage.APPLIED,
                                       moved_on=applied)
    return made


def page(client, enrolment):
    return client.get(reverse("participants:detail",
                              kwargs={"jc": "jc-a", "pk": enrolment.participant_id}))


def text(response) -> str:
    """The page as a reader sees it: no tags, single spaces."""
    return " ".join(strip_tags(response.content.decode()).split())


def positions(html, *texts):
    found = [html.find(text) for text in texts]
    assert -1 not in found, dict(zip(texts, found, strict=True))
    return found


@pytest.mark.django_db
def test_the_coach_reads_sessions_and_applications_in_date_order(client, coach, enrolment):
    sessions(enrolment, 20, missed=(3, 7))
    application(enrolment, "Bäckerei Kaya", date(2025, 3, 14), Application.Stage.INTERVIEW,
                changed=date(2025, 3, 20))
    application(enrolment, "Baustoffhandel Ost", date(2025, 3, 12))
    enrolment.exit_on, enrolment.exit_reason = date(2025, 4, 11), "job"
    with scope(jobcenter=enrolment.jobcenter):
        enrolment.save()
    IntegrationFactory(enrolment=enrolment, start_on=date(2025, 4, 14),
                       employer__name="Bäckerei Kaya")
    client.force_login(coach.user)
    response = page(client, enrolment)
    html = text(response)

    assert "Sitzungen: 18 von 20 besucht, 2 unentschuldigt" in html
    assert "Gefehlt: 06.03.2025 (unentschuldigt), 12.03.2025 (unentschuldigt)" in html
    matrix = reverse("coaching:matrix", kwargs={"jc": "jc-a", "pk": enrolment.cohort_id})
    assert f'href="{matrix}"' in response.content.decode()
    assert "14.03.2025 Bewerbung: Bäckerei Kaya · Vorstellungsgespräch (seit 20.03.2025)" in html
    order = positions(html, "zugewiesen", "Sitzungen:", "Baustoffhandel Ost", "Bäckerei Kaya",
                      "Austritt", "14.04.2025")
    assert order == sorted(order)


@pytest.mark.django_db
def test_the_employer_service_sees_applications_and_job_start_not_sessions(
        client, employer_service, enrolment):
    sessions(enrolment, 5, missed=(1,))
    application(enrolment, "Baustoffhandel Ost", date(2025, 3, 12))
    IntegrationFactory(enrolment=enrolment, start_on=date(2025, 4, 14))
    client.force_login(employer_service.user)
    html = text(page(client, enrolment))
    assert "Baustoffhandel Ost" in html and "14.04.2025" in html
    for hidden in ("Sitzungen:", "unentschuldigt", "Anwesenheit"):
        assert hidden not in html, hidden


@pytest.mark.django_db
def test_a_coach_of_another_group_gets_no_timeline(client, enrolment):
    from tests.factories import MembershipFactory

    other = MembershipFactory(jobcenter=enrolment.jobcenter)
    CohortCoachFactory(cohort=CohortFactory(programme__jobcenter=enrolment.jobcenter),
                       user=other.user)
    sessions(enrolment, 3)
    client.force_login(other.user)
    assert page(client, enrolment).status_code == 404


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_for_a_long_course(client, coach, team_lead, cohort):
    second = CohortFactory(programme=cohort.programme, planned_start=START)
    CohortCoachFactory(cohort=second, user=coach.user)
    short, long = EnrolmentFactory(cohort=cohort), EnrolmentFactory(cohort=second)
    sessions(short, 2, missed=(1,))
    application(short, "Firma A", date(2025, 3, 12))
    sessions(long, 30, missed=(1, 4, 9))
    for day in range(5):
        application(long, f"Firma {day}", date(2025, 3, 10 + day))
    # The history below the timeline costs a query per kind of record it names, whatever
    # the number of rows (tests/participants/test_audit_readable.py): measured there.
    LogEntry.objects.all().delete()
    for member in (coach, team_lead):
        client.force_login(member.user)
        page(client, short)  # the first page of a login also stores its session
        assert queries_for(lambda: page(client, short)) == \
            queries_for(lambda: page(client, long)), member.role
