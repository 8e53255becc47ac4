"""The print lists as PDF: the Anwesenheitsliste and the Fehlzeitenübersicht say in the PDF
what they show on the page."""

import io
from datetime import date, time, timedelta

import pypdf
import pytest
from django.urls import reverse

from coaching.models import Attendance, GroupSession
from tests.factories import (
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupSessionFactory,
    ModuleFactory,
)

MONDAY = date(2026, 3, 2)


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def group(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-2026-03",
                           planned_start=MONDAY, planned_end=MONDAY + timedelta(days=60))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    people = [EnrolmentFactory(cohort=cohort, participant__first_name=first,
                               participant__last_name=last, joined_on=MONDAY)
              for first, last in (("Maria", "Jäger"), ("Ömer", "Öztürk"))]
    sessions = [GroupSessionFactory(cohort=cohort, held_on=MONDAY + timedelta(days=day),
                                    starts_at=time(9), ends_at=time(12),
                                    module=ModuleFactory(jobcenter=cohort.jobcenter, name=name))
                for day, name in ((0, "Bewerbungsunterlagen"), (2, "Vorstellungsgespräch"))]
    return cohort, people, sessions


def print_url(cohort, query):
    return reverse("coaching:print", kwargs={"jc": "jc-a", "pk": cohort.pk}) + query


@pytest.mark.django_db
def test_the_attendance_list_of_a_session_as_pdf(client, coach, group):
    cohort, people, sessions = group
    client.force_login(coach.user)
    page = client.get(print_url(cohort, f"?session={sessions[0].pk}")).content.decode()
    assert "Als PDF" in page and f"session={sessions[0].pk}&amp;format=pdf" in page
    response = client.get(print_url(cohort, f"?session={sessions[0].pk}&format=pdf"))
    assert response["Content-Disposition"] == 'inline; filename="anwesenheitsliste-wa-2026-03.pdf"'
    [text] = pdf_pages(response)
    assert "Anwesenheitsliste – WA-2026-03" in text
    assert "Montag, 02.03.2026" in text and "09:00–12:00" in text
    assert "Bewerbungsunterlagen" in text and "Vorstellungsgespräch" not in text
    assert "Jäger, Maria" in text and "Öztürk, Ömer" in text
    assert people[0].participant.customer_number in text  # as on the printed page
    assert "Unterschrift" in text


@pytest.mark.django_db
def test_the_attendance_lists_of_a_week_have_a_page_per_session(client, coach, group):
    cohort, _people, _sessions = group
    client.force_login(coach.user)
    pages = pdf_pages(client.get(print_url(cohort, f"?week={MONDAY.isoformat()}&format=pdf")))
    assert len(pages) == 2
    assert "Montag, 02.03.2026" in pages[0] and "Mittwoch, 04.03.2026" in pages[1]
    assert all("Jäger, Maria" in p for p in pages)
    blank = pdf_pages(client.get(print_url(cohort, "?day=2026-03-06&format=pdf")))
    assert len(blank) == 1 and "Freitag, 06.03.2026" in blank[0] and "Öztürk, Ömer" in blank[0]


@pytest.mark.django_db
def test_the_fehlzeitenuebersicht_as_pdf(client, coach, group):
    cohort, people, sessions = group
    maria = people[0]
    AttendanceFactory(session=sessions[0], enrolment=maria, status=Attendance.Status.PRESENT)
    AttendanceFactory(session=sessions[1], enrolment=maria, status=Attendance.Status.UNEXCUSED)
    law = ModuleFactory(jobcenter=cohort.jobcenter, name="Arbeitsrecht")
    late = GroupSessionFactory(cohort=cohort, held_on=MONDAY + timedelta(days=4),
                               status=GroupSession.Status.HELD, module=law)
    AttendanceFactory(session=late, enrolment=maria, status=Attendance.Status.EXCUSED,
                      note="Arzttermin")
    client.force_login(coach.user)
    overview = reverse("coaching:absence_overview", kwargs={"jc": "jc-a", "pk": maria.pk})
    assert 'href="?format=pdf"' in client.get(overview).content.decode()
    response = client.get(overview + "?format=pdf")
    assert response["Content-Disposition"] == (
        'inline; filename="fehlzeitenuebersicht-jaeger-maria.pdf"')
    text = " ".join(pdf_pages(response))
    assert "Fehlzeitenübersicht: Maria Jäger" in text
    assert "WA-2026-03" in text and "seit 02.03.2026" in text
    assert "Mi, 04.03.2026" in text and "Vorstellungsgespräch" in text and "unentschuldigt" in text
    assert "Fr, 06.03.2026" in text and "Arzttermin" in text
    assert "Bewerbungsunterlagen" not in text  # present: no absence


@pytest.mark.django_db
def test_the_pdfs_keep_the_reach_of_the_pages(client, outsider, employer_service, group):
    cohort, people, sessions = group
    overview = reverse("coaching:absence_overview", kwargs={"jc": "jc-a", "pk": people[0].pk})
    client.force_login(employer_service.user)
    assert client.get(print_url(cohort, "?format=pdf")).status_code == 403
    assert client.get(overview + "?format=pdf").status_code == 403
    client.force_login(outsider.user)
    foreign = reverse("coaching:print", kwargs={"jc": "jc-b", "pk": cohort.pk})
    assert client.get(foreign + "?format=pdf").status_code == 404
