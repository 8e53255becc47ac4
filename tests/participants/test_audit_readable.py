"""The audit trail in words a reader understands: Ja/Nein, German numbers and dates,
labels instead of codes, names instead of numbers, and the person every entry is about,
as far as the reader's role reaches."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import strip_tags
from django_scopes import scope

from coaching.services import individual_session_record
from participants.services import enrolment_exit
from tests.factories import (
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EmployerFactory,
    EnrolmentFactory,
    GroupSessionFactory,
    IntegrationFactory,
    ParticipantFactory,
    change_enrolment,
)
from tests.queries import queries_for

START = date(2025, 3, 3)


def url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


@pytest.fixture
def enrolment(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START)
    CohortCoachFactory(cohort=cohort, user=coach.user)
    person = ParticipantFactory(jobcenter=cohort.jobcenter, first_name="Ayşe",
                                last_name="Yılmaz")
    return EnrolmentFactory(cohort=cohort, participant=person, joined_on=START)


def rows(response) -> list[str]:
    """The trail's rows as text, one string per entry."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [" ".join(strip_tags(row).split()) for row in re.split(r"<tr>", body) if row.strip()]


def row_of(response, *words) -> str:
    found = [row for row in rows(response) if all(word in row for word in words)]
    assert found, (words, rows(response))
    return found[0]


@pytest.mark.django_db
def test_values_read_as_words_numbers_and_dates(client, team_lead, enrolment):
    with scope(jobcenter=enrolment.jobcenter):
        change_enrolment(enrolment, is_voluntary=True)
        IntegrationFactory(enrolment=enrolment, weekly_hours=Decimal("38.5"),
                           start_on=date(2025, 4, 1),
                           employer=EmployerFactory(jobcenter=enrolment.jobcenter,
                                                    name="Bäckerei Kaya", town=""))
        enrolment_exit(enrolment=enrolment, exit_on=date(2025, 3, 28), exit_reason="job",
                       dropout_reason="")
    client.force_login(team_lead.user)
    trail = client.get(url("participants:audit"))
    text = " ".join(rows(trail))
    assert "freiwillige Teilnahme: Nein → Ja" in text
    job_start = row_of(trail, "Arbeitsaufnahme", "Wochenstunden")
    assert "Wochenstunden: 38,5" in job_start
    assert "Arbeitgeber: Bäckerei Kaya" in job_start and "01.04.2025" in job_start
    exit_entry = row_of(trail, "Austritt am")
    assert "Austritt am: – → 28.03.2025" in exit_entry
    assert "Austrittsgrund: – → Arbeits- oder Ausbildungsaufnahme" in exit_entry
    assert "Ayşe Yılmaz" in exit_entry
    for machine in ("False", "True", "None", "38.5", "2025-03-28"):
        assert machine not in text, machine


@pytest.mark.django_db
def test_every_entry_about_a_person_names_them(client, coach, enrolment):
    session = GroupSessionFactory(cohort=enrolment.cohort, held_on=START)
    AttendanceFactory(session=session, enrolment=enrolment, status="unexcused")
    with scope(jobcenter=enrolment.jobcenter):
        enrolment_exit(enrolment=enrolment, exit_on=date(2025, 3, 28), exit_reason="dropout",
                       dropout_reason="health")
    client.force_login(coach.user)
    trail = client.get(url("participants:audit"))
    attendance = row_of(trail, "Anwesenheit", "Status")
    assert "Ayşe Yılmaz" in attendance and "unentschuldigt" in attendance
    assert "Sitzung: " in attendance and "03.03.2025" in attendance
    exit_entry = row_of(trail, "Austritt am")
    assert "Ayşe Yılmaz" in exit_entry and "Abbruchgrund: – → gesundheitliche Gründe" in exit_entry


@pytest.mark.django_db
def test_the_admin_sees_which_fields_changed_and_no_name_or_value(client, jc_admin, enrolment):
    IntegrationFactory(enrolment=enrolment, weekly_hours=Decimal("38.5"))
    client.force_login(jc_admin.user)
    trail = client.get(url("participants:audit"))
    html = trail.content.decode()
    assert "Wochenstunden:" in html and "geändert (Wert nicht angezeigt)" in html
    for secret in ("38,5", "Yılmaz", "Ayşe"):
        assert secret not in html, secret
    assert f"Person Nr. {enrolment.participant_id}" in row_of(trail, "Wochenstunden")


@pytest.mark.django_db
def test_a_confidential_note_never_shows_its_text(client, coach, team_lead, enrolment):
    with scope(jobcenter=enrolment.jobcenter):
        individual_session_record(enrolment=enrolment, coach=coach.user, held_on=START,
                                  minutes=45, channel="phone",
                                  confidential_note="Schulden und Trennung",
                                  next_steps="Schuldnerberatung anrufen")
    for member in (coach, team_lead):
        client.force_login(member.user)
        trail = client.get(url("participants:audit"))
        assert "Schulden und Trennung" not in trail.content.decode()
        entry = row_of(trail, "vertrauliche Notiz")
        assert "vertrauliche Notiz: geändert (Wert nicht angezeigt)" in entry
        assert "Ayşe Yılmaz" in entry and "Minuten: 45" in entry
        assert "Kontaktweg: Telefon" in entry


@pytest.mark.django_db
def test_the_subject_access_record_says_for_whom(client, team_lead, jc_admin, enrolment):
    client.force_login(team_lead.user)
    assert client.get(reverse("privacy:subject_access_json", kwargs={
        "jc": "jc-a", "pk": enrolment.participant_id})).status_code == 200
    trail = client.get(url("participants:audit"))
    assert "Auskunft als JSON zu Ayşe Yılmaz" in " ".join(rows(trail))
    client.force_login(jc_admin.user)
    trail = client.get(url("participants:audit"))
    record = row_of(trail, "Auskunft als JSON")
    assert f"zu Person Nr. {enrolment.participant_id}" in record and "Yılmaz" not in record


@pytest.mark.django_db
def test_the_trail_costs_the_same_queries_for_more_entries(client, team_lead, enrolment):
    def attendance(days):
        for day in days:
            session = GroupSessionFactory(cohort=enrolment.cohort, held_on=date(2025, 3, day))
            AttendanceFactory(session=session, enrolment=EnrolmentFactory(cohort=enrolment.cohort))

    client.force_login(team_lead.user)
    attendance(range(3, 5))
    client.get(url("participants:audit"))  # warms the process's caches (content types)
    few = queries_for(lambda: client.get(url("participants:audit")))
    attendance(range(5, 17))
    assert queries_for(lambda: client.get(url("participants:audit"))) == few


@pytest.mark.django_db
def test_an_export_record_says_which_list_and_period(client, team_lead):
    client.force_login(team_lead.user)
    client.get(reverse("reports:drilldown", kwargs={"jc": "jc-a"}),
               {"metric": "dropped_out", "period": "2025", "format": "xlsx"})
    record = row_of(client.get(url("participants:audit")), "Liste der Teilnahmen als Excel")
    assert "Liste der Teilnahmen als Excel: „Abgebrochen“, 2025" in record, record


@pytest.mark.django_db
def test_the_admin_reads_staff_changes_with_names_and_role_labels(client, jc_admin, coach):
    client.force_login(jc_admin.user)
    entry = row_of(client.get(url("participants:audit")), "Rolle: Jobcoach")
    assert f"Benutzerkonto: {coach.user.get_full_name()}" in entry
    assert "aktiv: Ja" in entry


@pytest.mark.django_db
def test_an_anonymised_person_stays_unnamed(client, team_lead, enrolment):
    from django.utils import timezone

    from participants.models import Participant
    from privacy.retention import anonymise

    session = GroupSessionFactory(cohort=enrolment.cohort, held_on=START)
    AttendanceFactory(session=session, enrolment=enrolment)
    with scope(jobcenter=enrolment.jobcenter):
        anonymise(participants=Participant.objects.filter(pk=enrolment.participant_id),
                  now=timezone.now())
    client.force_login(team_lead.user)
    trail = client.get(url("participants:audit"))
    assert "Yılmaz" not in trail.content.decode()
    assert "anonymisierte Person" in row_of(trail, "Anwesenheit")
