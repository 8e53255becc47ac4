"""The Teilnahmebescheinigung: what the PDF says (read back with pypdf), a cohort's PDF and
ZIP, who may issue it, and the record of every issue."""

import io
import re
import zipfile
from datetime import date, time, timedelta

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django_scopes import scope

from coaching.models import Attendance, GroupSession
from cohorts.models import Cohort
from privacy.models import ExportRecord
from tests.factories import (
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupSessionFactory,
    MembershipFactory,
    ModuleFactory,
    UserFactory,
)
from tests.queries import queries_for

START = date(2026, 3, 2)
END = date(2026, 6, 26)


def url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


def pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def ended_cohort(coach, *, code="WA-2026-03", **fields):
    jobcenter = coach.jobcenter
    cohort = CohortFactory(programme__jobcenter=jobcenter, programme__name="Werkakademie",
                           site__name="Nordstadt", site__street="Kampstraße 45",
                           site__postal_code="44137", site__town="Dortmund", code=code,
                           **{"planned_start": START, "planned_end": END,
                              "status": Cohort.Status.FINISHED, **fields})
    coach.user.first_name, coach.user.last_name = "Jana", "Lehmann"
    coach.user.save()
    CohortCoachFactory(cohort=cohort, user=coach.user, is_lead=True)
    return cohort


def session(cohort, day, module, status=GroupSession.Status.HELD):
    return GroupSessionFactory(cohort=cohort, held_on=START + timedelta(days=day),
                               starts_at=time(9), ends_at=time(12), status=status,
                               module=ModuleFactory(jobcenter=cohort.jobcenter, name=module))


@pytest.fixture
def cohort(coach):
    return ended_cohort(coach)


@pytest.fixture
def maria(cohort):
    """Maria Jäger: present or late at three held sessions of two modules, missing at two
    others; marked present at a planned and a cancelled session, which do not count."""
    maria = EnrolmentFactory(cohort=cohort, participant__first_name="Maria",
                             participant__last_name="Jäger", joined_on=START)
    marks = [
        (session(cohort, 0, "Bewerbungsunterlagen"), Attendance.Status.PRESENT),
        (session(cohort, 1, "Vorstellungsgespräch"), Attendance.Status.LATE),
        (session(cohort, 2, "Digitale Bewerbung"), Attendance.Status.UNEXCUSED),
        (session(cohort, 3, "Arbeitsrecht"), Attendance.Status.EXCUSED),
        (session(cohort, 4, "Zukunftsplanung", GroupSession.Status.PLANNED),
         Attendance.Status.PRESENT),
        (session(cohort, 5, "Kommunikation", GroupSession.Status.CANCELLED),
         Attendance.Status.PRESENT),
    ]
    again = GroupSessionFactory(cohort=cohort, held_on=START + timedelta(days=7),
                                module=marks[0][0].module)
    marks.append((again, Attendance.Status.PRESENT))
    for s, status in marks:
        AttendanceFactory(session=s, enrolment=maria, status=status)
    return maria


@pytest.mark.django_db
def test_the_certificate_names_the_person_the_period_and_the_modules_attended(
        client, coach, maria):
    client.force_login(coach.user)
    response = client.get(url("documents:certificate", pk=maria.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'inline; filename="teilnahmebescheinigung-jaeger-maria-wa-2026-03.pdf"')
    [text] = pdf_pages(response)
    assert "Teilnahmebescheinigung" in text and "Jobcenter A-Stadt" in text
    assert "Kampstraße 45 · 44137 Dortmund" in text
    assert "Maria Jäger" in text
    assert ("vom 02.03.2026 bis 26.06.2026 an der Maßnahme „Werkakademie“ (Nordstadt) "
            "teilgenommen hat") in text
    # The modules of the held sessions she attended, each once, in the order first attended.
    assert text.count("Bewerbungsunterlagen") == 1
    assert text.index("Bewerbungsunterlagen") < text.index("Vorstellungsgespräch")
    for missed in ("Digitale Bewerbung", "Arbeitsrecht", "Zukunftsplanung", "Kommunikation"):
        assert missed not in text
    assert "Teilnahme an 3 von 5 durchgeführten Terminen" in text
    assert "Unterschrift (Jana Lehmann), Jobcoach" in text
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Dortmund, {today}" in text and "Ort, Datum" in text
    # Nothing beyond what a certificate needs.
    assert maria.participant.customer_number not in text
    assert "unentschuldigt" not in text and "entschuldigt" not in text


@pytest.mark.django_db
def test_someone_still_taking_part_is_certified_since_joining(client, coach):
    today = timezone.localdate()
    cohort = ended_cohort(coach, status=Cohort.Status.RUNNING,
                          planned_start=today - timedelta(days=20),
                          planned_end=today + timedelta(days=20))
    held = session(cohort, 0, "Bewerbungsunterlagen")
    held.held_on = today - timedelta(days=20)
    held.save()
    e = EnrolmentFactory(cohort=cohort, participant__first_name="Ömer",
                         participant__last_name="Öztürk", joined_on=today - timedelta(days=20))
    AttendanceFactory(session=held, enrolment=e)
    client.force_login(coach.user)
    [text] = pdf_pages(client.get(url("documents:certificate", pk=e.pk)))
    since = (today - timedelta(days=20)).strftime("%d.%m.%Y")
    assert f"seit dem {since} an der Maßnahme „Werkakademie“" in text and "teilnimmt" in text
    assert "Teilnahme an 1 von 1 durchgeführten Termin." in text


@pytest.mark.django_db
def test_an_exit_ends_the_period_and_the_count(client, coach, cohort, maria):
    exit_on = START + timedelta(days=2)
    maria.exit_on, maria.exit_reason = exit_on, "job"
    with scope(jobcenter=cohort.jobcenter):
        maria.save()
    client.force_login(coach.user)
    [text] = pdf_pages(client.get(url("documents:certificate", pk=maria.pk)))
    assert "vom 02.03.2026 bis 04.03.2026" in text
    assert "Teilnahme an 2 von 3 durchgeführten Terminen" in text


@pytest.mark.django_db
def test_the_lead_coach_signs_else_the_first_coach(client, coach, cohort, maria):
    lead = UserFactory(first_name="Zoe", last_name="Zander")
    MembershipFactory(jobcenter=cohort.jobcenter, user=lead)
    with scope(jobcenter=cohort.jobcenter):
        cohort.cohort_coaches.update(is_lead=False)
    CohortCoachFactory(cohort=cohort, user=lead, is_lead=True)
    client.force_login(coach.user)
    [text] = pdf_pages(client.get(url("documents:certificate", pk=maria.pk)))
    assert "Unterschrift (Zoe Zander), Jobcoach" in text and "Lehmann" not in text
    with scope(jobcenter=cohort.jobcenter):
        cohort.cohort_coaches.update(is_lead=False)
    [text] = pdf_pages(client.get(url("documents:certificate", pk=maria.pk)))
    assert "Unterschrift (Jana Lehmann), Jobcoach" in text  # the first by name


@pytest.mark.django_db
def test_who_never_joined_or_is_anonymised_has_no_certificate(client, coach, cohort):
    never = EnrolmentFactory(cohort=cohort, joined_on=None)
    gone = EnrolmentFactory(cohort=cohort)
    gone.participant.anonymised_at = timezone.now()
    with scope(jobcenter=cohort.jobcenter):
        gone.participant.save()
    client.force_login(coach.user)
    for e in (never, gone):
        assert client.get(url("documents:certificate", pk=e.pk)).status_code == 404
    assert not ExportRecord.objects.with_scopes_disabled().exists()


def cohort_people(cohort, maria):
    ben = EnrolmentFactory(cohort=cohort, participant__first_name="Ben",
                           participant__last_name="Becker", joined_on=START + timedelta(days=7))
    never = EnrolmentFactory(cohort=cohort, joined_on=None, participant__last_name="Nieda")
    return ben, never


@pytest.mark.django_db
def test_the_cohort_pdf_has_a_page_per_person_who_joined(client, coach, cohort, maria):
    ben, never = cohort_people(cohort, maria)
    client.force_login(coach.user)
    response = client.get(url("documents:cohort_certificates", pk=cohort.pk))
    assert response["Content-Disposition"] == (
        'inline; filename="teilnahmebescheinigungen-wa-2026-03.pdf"')
    pages = pdf_pages(response)
    assert len(pages) == 2
    assert "Ben Becker" in pages[0] and "vom 09.03.2026 bis 26.06.2026" in pages[0]
    assert "Maria Jäger" in pages[1] and "Bewerbungsunterlagen" in pages[1]
    assert "Bewerbungsunterlagen" not in pages[0]  # Ben attended nothing
    assert "Teilnahme an 0 von 1 durchgeführten Termin." in pages[0]
    assert "Seite 1 von 2" in pages[0] and "Seite 2 von 2" in pages[1]
    assert not any("Nieda" in page for page in pages)


@pytest.mark.django_db
def test_the_zip_holds_one_pdf_per_person(client, coach, cohort, maria):
    cohort_people(cohort, maria)
    client.force_login(coach.user)
    response = client.get(url("documents:cohort_certificates", pk=cohort.pk) + "?format=zip")
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="teilnahmebescheinigungen-wa-2026-03.zip"')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "teilnahmebescheinigung-becker-ben-wa-2026-03.pdf",
        "teilnahmebescheinigung-jaeger-maria-wa-2026-03.pdf"]
    reader = pypdf.PdfReader(io.BytesIO(
        archive.read("teilnahmebescheinigung-jaeger-maria-wa-2026-03.pdf")))
    assert len(reader.pages) == 1 and "Maria Jäger" in reader.pages[0].extract_text()


@pytest.mark.django_db
def test_a_cohort_not_yet_ended_is_refused_with_a_message(client, coach):
    today = timezone.localdate()
    cohort = ended_cohort(coach, status=Cohort.Status.RUNNING,
                          planned_start=today - timedelta(days=10),
                          planned_end=today + timedelta(days=10))
    e = EnrolmentFactory(cohort=cohort, joined_on=cohort.planned_start)
    client.force_login(coach.user)
    for query in ("", "?format=zip"):
        response = client.get(url("documents:cohort_certificates", pk=cohort.pk) + query,
                              follow=True)
        assert response.redirect_chain[-1][0] == url("participants:cohort", pk=cohort.pk)
        assert "sobald sie beendet ist" in response.content.decode()
    assert not ExportRecord.objects.with_scopes_disabled().exists()
    # The person's own certificate is there already.
    assert client.get(url("documents:certificate", pk=e.pk)).status_code == 200


@pytest.mark.django_db
def test_a_cohort_whose_planned_end_passed_has_ended(client, coach, cohort, maria):
    cohort.status = Cohort.Status.RUNNING
    cohort.save()
    client.force_login(coach.user)
    assert len(pdf_pages(client.get(url("documents:cohort_certificates", pk=cohort.pk)))) == 1


@pytest.mark.django_db
def test_reach_another_group_another_jobcenter_and_roles_without_the_right(
        client, coach, team_lead, employer_service, jc_admin, outsider, cohort, maria):
    other_coach = MembershipFactory(jobcenter=coach.jobcenter)
    CohortCoachFactory(cohort=CohortFactory(programme__jobcenter=coach.jobcenter),
                       user=other_coach.user)
    urls = [url("documents:certificate", pk=maria.pk),
            url("documents:cohort_certificates", pk=cohort.pk)]
    client.force_login(other_coach.user)
    assert [client.get(u).status_code for u in urls] == [404, 404]
    client.force_login(outsider.user)
    foreign = [reverse("documents:certificate", kwargs={"jc": "jc-b", "pk": maria.pk}),
               reverse("documents:cohort_certificates", kwargs={"jc": "jc-b", "pk": cohort.pk})]
    assert [client.get(u).status_code for u in foreign] == [404, 404]
    for member in (employer_service, jc_admin):
        client.force_login(member.user)
        assert [client.get(u).status_code for u in urls] == [403, 403]
    client.force_login(team_lead.user)
    assert [client.get(u).status_code for u in urls] == [200, 200]


@pytest.mark.django_db
def test_each_issue_is_recorded_and_reads_well_in_the_trail(client, coach, team_lead,
                                                             cohort, maria):
    ben, _never = cohort_people(cohort, maria)
    client.force_login(coach.user)
    client.get(url("documents:certificate", pk=maria.pk))
    client.get(url("documents:cohort_certificates", pk=cohort.pk))
    client.get(url("documents:cohort_certificates", pk=cohort.pk) + "?format=zip")
    records = {r.kind: r for r in ExportRecord.objects.with_scopes_disabled().all()}
    assert set(records) == {"certificate_pdf", "certificates_pdf", "certificates_zip"}
    assert records["certificate_pdf"].parameters == {
        "participant": maria.participant_id, "enrolment": maria.pk, "cohort": cohort.pk}
    assert records["certificates_zip"].parameters == {
        "cohort": cohort.pk, "cohort_code": "WA-2026-03",
        "participants": [ben.participant_id, maria.participant_id]}
    assert all(r.user == coach.user and r.jobcenter == cohort.jobcenter
               for r in records.values())
    client.force_login(team_lead.user)
    trail = client.get(url("participants:audit")).content.decode()
    text = " ".join(strip_tags(trail).split())
    assert re.search(r"Teilnahmebescheinigung als PDF zu (Maria Jäger|Jäger, Maria)", text)
    assert "Teilnahmebescheinigungen einer Gruppe als PDF: WA-2026-03 (2 Personen)" in text
    assert "Teilnahmebescheinigungen einer Gruppe als ZIP: WA-2026-03 (2 Personen)" in text


@pytest.mark.django_db
def test_the_buttons_on_the_persons_page_and_the_cohort_page(client, coach, employer_service,
                                                             cohort, maria):
    ben, never = cohort_people(cohort, maria)
    client.force_login(coach.user)
    listing = client.get(url("participants:cohort", pk=cohort.pk)).content.decode()
    assert url("documents:certificate", pk=maria.pk) in listing
    assert url("documents:certificate", pk=never.pk) not in listing
    assert "Bescheinigungen (PDF)" in listing and "Bescheinigungen (ZIP)" in listing
    assert url("documents:cohort_certificates", pk=cohort.pk) + "?format=zip" in listing
    person = client.get(url("participants:detail", pk=maria.participant_id)).content.decode()
    assert url("documents:certificate", pk=maria.pk) in person
    assert "Teilnahmebescheinigung" in person
    # A cohort still running: no cohort buttons; the employer service: none at all.
    cohort.status, cohort.planned_end = Cohort.Status.RUNNING, timezone.localdate()
    cohort.save()
    listing = client.get(url("participants:cohort", pk=cohort.pk)).content.decode()
    assert "Bescheinigungen (PDF)" not in listing
    assert url("documents:certificate", pk=maria.pk) in listing
    cohort.status = Cohort.Status.FINISHED
    cohort.save()
    client.force_login(employer_service.user)
    page = client.get(url("participants:cohort", pk=cohort.pk))
    assert page.status_code == 200
    assert "Bescheinigungen (PDF)" not in page.content.decode()
    assert url("documents:certificate", pk=maria.pk) not in page.content.decode()


@pytest.mark.django_db
def test_a_cohorts_certificates_take_the_same_queries_for_more_people(client, coach, cohort,
                                                                       maria):
    client.force_login(coach.user)
    cohort_url = url("documents:cohort_certificates", pk=cohort.pk)
    few = queries_for(lambda: client.get(cohort_url))
    for _ in range(4):
        e = EnrolmentFactory(cohort=cohort, joined_on=START)
        AttendanceFactory(session=GroupSession.objects.with_scopes_disabled().filter(
            cohort=cohort, status="held").first(), enrolment=e)
    assert queries_for(lambda: client.get(cohort_url)) == few
