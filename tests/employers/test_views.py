from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from employers.models import Application, Employer, Integration
from tests.factories import (
    ApplicationFactory,
    CohortCoachFactory,
    ContactPersonFactory,
    EmployerActivityFactory,
    EmployerFactory,
    EnrolmentFactory,
    VacancyFactory,
)
from tests.queries import queries_for


def url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


@pytest.mark.django_db
def test_the_employer_list_needs_the_same_queries_for_3_and_30(client, employer_service):
    client.force_login(employer_service.user)

    def add(n):
        for _ in range(n):
            employer = EmployerFactory(jobcenter=employer_service.jobcenter)
            VacancyFactory(employer=employer)
            EmployerActivityFactory(employer=employer)
            ApplicationFactory(enrolment__cohort__programme__jobcenter=employer.jobcenter,
                               employer=employer)

    add(3)
    small = queries_for(lambda: client.get(url("employers:list")))
    add(27)
    assert queries_for(lambda: client.get(url("employers:list"))) == small


@pytest.mark.django_db
def test_a_near_duplicate_is_shown_and_can_still_be_saved(client, employer_service):
    existing = EmployerFactory(jobcenter=employer_service.jobcenter, name="Müller GmbH",
                               town="Dortmund")
    client.force_login(employer_service.user)
    data = {"name": "Mueller Gmbh.", "town": "Dortmund", "sector": "", "size": "", "notes": ""}
    response = client.post(url("employers:create"), data)
    assert response.status_code == 200
    assert url("employers:detail", pk=existing.pk) in response.content.decode()
    with scope(jobcenter=employer_service.jobcenter):
        assert Employer.objects.count() == 1
    client.post(url("employers:create"), {**data, "accept_duplicate": "on"})
    with scope(jobcenter=employer_service.jobcenter):
        assert Employer.objects.count() == 2


@pytest.mark.django_db
def test_coaches_read_employers_but_do_not_change_them(client, coach):
    employer = EmployerFactory(jobcenter=coach.jobcenter)
    client.force_login(coach.user)
    assert client.get(url("employers:list")).status_code == 200
    assert client.get(url("employers:detail", pk=employer.pk)).status_code == 200
    for name in ("employers:update", "employers:merge", "employers:vacancy_create",
                 "employers:activity_create"):
        assert client.get(url(name, pk=employer.pk)).status_code == 403, name
    assert client.get(url("employers:create")).status_code == 403


@pytest.mark.django_db
def test_the_board_needs_the_same_queries_for_few_and_many(client, coach):
    enrolment = EnrolmentFactory(cohort__programme__jobcenter=coach.jobcenter)
    cohort = enrolment.cohort
    CohortCoachFactory(cohort=cohort, user=coach.user)
    client.force_login(coach.user)
    ApplicationFactory(enrolment=enrolment)
    small = queries_for(lambda: client.get(url("employers:board", pk=cohort.pk)))
    for stage in ["proposed", "interview", "offer", "hired", "rejected"] * 6:
        ApplicationFactory(enrolment=EnrolmentFactory(cohort=cohort), stage=stage)
    assert queries_for(lambda: client.get(url("employers:board", pk=cohort.pk))) == small


@pytest.mark.django_db
def test_a_coach_records_an_own_application_and_moves_it_to_hired(client, coach):
    enrolment = EnrolmentFactory(cohort__programme__jobcenter=coach.jobcenter)
    CohortCoachFactory(cohort=enrolment.cohort, user=coach.user)
    client.force_login(coach.user)
    client.post(url("employers:application_create", pk=enrolment.cohort_id), {
        "enrolment": enrolment.pk, "employer_name": "Bäckerei Schulte", "source": "own",
        "on": "02.06.2025"})
    with scope(jobcenter=coach.jobcenter):
        application = Application.objects.get()
        assert (application.stage, application.employer.name) == ("applied", "Bäckerei Schulte")
    html = client.get(url("participants:cohort", pk=enrolment.cohort_id)).content.decode()
    assert 'data-label="Bewerbungen diese Woche">1</td>' in html  # this week's own applications
    record = url("employers:application_create", pk=enrolment.cohort_id)
    assert f'href="{record}?enrolment={enrolment.pk}"' in html  # the row's button

    client.post(url("employers:move", pk=application.pk), {"stage": "interview"})
    response = client.post(url("employers:move", pk=application.pk), {"stage": "hired"})
    assert response["Location"] == url("employers:hire", pk=application.pk)
    client.post(url("employers:hire", pk=application.pk), {
        "on": "20.06.2025", "kind": "employment", "start_on": "01.07.2025",
        "weekly_hours": "35", "subsidy": ""})
    with scope(jobcenter=coach.jobcenter):
        integration = Integration.objects.get()
        assert integration.start_on == date(2025, 7, 1)
        assert integration.employer == application.employer
    application.refresh_from_db()
    assert application.stage == "hired"


@pytest.mark.django_db
def test_a_refused_move_says_so_and_changes_nothing(client, employer_service):
    application = ApplicationFactory(enrolment__cohort__programme__jobcenter=employer_service
                                     .jobcenter, stage="rejected")
    client.force_login(employer_service.user)
    response = client.post(url("employers:move", pk=application.pk), {"stage": "interview"},
                           follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.stage == "rejected"


@pytest.mark.django_db
def test_merging_through_the_page(client, employer_service):
    keep = EmployerFactory(jobcenter=employer_service.jobcenter)
    other = EmployerFactory(jobcenter=employer_service.jobcenter)
    VacancyFactory(employer=other)
    client.force_login(employer_service.user)
    client.post(url("employers:merge", pk=keep.pk), {"other": other.pk})
    with scope(jobcenter=employer_service.jobcenter):
        assert list(Employer.objects.all()) == [keep]
        assert keep.vacancies.count() == 1


@pytest.mark.django_db
def test_the_due_list_shows_next_steps_of_this_week(client, employer_service):
    from django.utils import timezone

    EmployerActivityFactory(employer__jobcenter=employer_service.jobcenter,
                            next_step="Rückruf wegen Probearbeit",
                            next_step_due_on=timezone.localdate())
    EmployerActivityFactory(employer__jobcenter=employer_service.jobcenter,
                            next_step="Später", next_step_due_on=date(2099, 1, 1))
    client.force_login(employer_service.user)
    html = client.get(url("employers:due")).content.decode()
    assert "Rückruf wegen Probearbeit" in html and "Später" not in html


@pytest.mark.django_db
def test_the_employer_service_imports_a_list_through_preview_and_confirmation(
    client, employer_service
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(employer_service.user)
    csv = "Arbeitgeber;Ort;Ansprechperson;E-Mail\nBäckerei Schulte;Dortmund;Eva Roth;eva@x.de\n"
    upload = SimpleUploadedFile("liste.csv", csv.encode("utf-8"))
    preview = client.post(reverse("imports:employer_import_upload", kwargs={"jc": "jc-a"}),
                          {"file": upload}, follow=True)
    with scope(jobcenter=employer_service.jobcenter):
        assert preview.status_code == 200 and not Employer.objects.exists()
    client.post(reverse("imports:employer_import_confirm", kwargs={"jc": "jc-a"}),
                {"run": preview.context["run"].pk})
    with scope(jobcenter=employer_service.jobcenter):
        employer = Employer.objects.get()
        assert (employer.name, employer.contacts.get().email) == ("Bäckerei Schulte", "eva@x.de")


@pytest.mark.django_db
def test_coaches_cannot_import_employers(client, coach):
    client.force_login(coach.user)
    assert client.get(reverse("imports:employer_import_upload",
                              kwargs={"jc": "jc-a"})).status_code == 403


@pytest.mark.django_db
def test_vacancies_contacts_and_activities_are_saved_with_what_was_typed(client,
                                                                       employer_service):
    employer = EmployerFactory(jobcenter=employer_service.jobcenter)
    client.force_login(employer_service.user)
    client.post(url("employers:vacancy_create", pk=employer.pk), {
        "title": "Pflegehilfskraft", "places": "2", "status": "open", "starts_on": "01.08.2025"})
    with scope(jobcenter=employer_service.jobcenter):
        vacancy = employer.vacancies.get()
        assert (vacancy.title, vacancy.places, vacancy.starts_on) == ("Pflegehilfskraft", 2,
                                                                      date(2025, 8, 1))
    client.post(url("employers:vacancy_update", pk=employer.pk, vacancy_pk=vacancy.pk), {
        "title": "Pflegehilfskraft (m/w/d)", "places": "2", "status": "filled"})
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.status) == ("Pflegehilfskraft (m/w/d)", "filled")
    client.post(url("employers:contact", pk=employer.pk), {"name": "Eva Roth",
                                                             "email": "eva@example.org"})
    with scope(jobcenter=employer_service.jobcenter):
        assert employer.contacts.get().email == "eva@example.org"
    client.post(url("employers:activity_create", pk=employer.pk), {
        "kind": "visit", "happened_on": "02.06.2025", "outcome": "Interesse an Probearbeit",
        "next_step": "Termine schicken", "next_step_due_on": "06.06.2025"})
    with scope(jobcenter=employer_service.jobcenter):
        activity = employer.activities.get()
        assert (activity.outcome, activity.by) == ("Interesse an Probearbeit",
                                                   employer_service.user)


@pytest.mark.django_db
def test_the_employer_service_proposes_any_current_participant_of_a_cohort(
    client, employer_service
):
    enrolment = EnrolmentFactory(cohort__programme__jobcenter=employer_service.jobcenter)
    client.force_login(employer_service.user)
    response = client.get(url("employers:application_create", pk=enrolment.cohort_id))
    assert list(response.context["form"].fields["enrolment"].queryset) == [enrolment]
    board = client.get(url("employers:board", pk=enrolment.cohort_id)).content.decode()
    assert url("coaching:session_create", pk=enrolment.cohort_id) not in board


@pytest.mark.django_db
def test_the_employer_list_filters_and_shows_hires_and_open_applications(client,
                                                                        employer_service):
    jobcenter = employer_service.jobcenter
    today = timezone.localdate()
    hiring = EmployerFactory(jobcenter=jobcenter, name="Lager Nord GmbH", sector="Logistik",
                             town="Dortmund")
    VacancyFactory(employer=hiring)
    EmployerActivityFactory(employer=hiring, happened_on=today - timedelta(days=10))
    enrolment = EnrolmentFactory(cohort__programme__jobcenter=jobcenter)
    ApplicationFactory(enrolment=enrolment, employer=hiring, stage="hired")
    ApplicationFactory(enrolment=enrolment, employer=hiring, stage="interview")
    quiet = EmployerFactory(jobcenter=jobcenter, name="Bäckerei Süd", sector="Handwerk",
                            town="Unna")
    with scope(jobcenter=employer_service.jobcenter):
        quiet.contacts.create(jobcenter=jobcenter, name="Frau Yılmaz")
    VacancyFactory(employer=quiet, status="filled")
    EmployerActivityFactory(employer=quiet, happened_on=today - timedelta(days=200))
    client.force_login(employer_service.user)

    def listed(**query):
        return [e.name for e in client.get(url("employers:list"), query).context["employers"]]

    assert listed() == ["Bäckerei Süd", "Lager Nord GmbH"]
    assert listed(q="yılmaz") == ["Bäckerei Süd"]  # a contact person's name finds the employer
    assert listed(sector="Logistik") == listed(town="Dortmund") == ["Lager Nord GmbH"]
    assert listed(open_vacancies="yes") == ["Lager Nord GmbH"]
    assert listed(open_vacancies="no") == ["Bäckerei Süd"]
    assert listed(last_contact="30") == ["Lager Nord GmbH"]
    assert listed(last_contact="old") == ["Bäckerei Süd"]
    row = client.get(url("employers:list")).context["employers"][1]
    assert (row.hires, row.open_applications, row.open_vacancies) == (1, 1, 1)


@pytest.mark.django_db
def test_a_contact_person_is_corrected_and_removed(client, employer_service, coach):
    employer = EmployerFactory(jobcenter=employer_service.jobcenter)
    contact = ContactPersonFactory(employer=employer, name="Frau Kaya", phone="0231 1")
    page = url("employers:contact_update", pk=employer.pk, contact_pk=contact.pk)
    client.force_login(coach.user)
    assert client.post(page, {"remove": "1"}).status_code == 403  # coaches only read
    client.force_login(employer_service.user)
    response = client.post(page, {"name": "Frau Kaya", "position": "Personal",
                                  "phone": "0231 2", "email": "keine-adresse"})
    assert "E-Mail-Adresse" in response.content.decode()  # the error next to the field
    client.post(page, {"name": "Frau Kaya", "position": "Personal", "phone": "0231 2",
                       "email": "kaya@example.org"})
    contact.refresh_from_db()
    assert (contact.phone, contact.email) == ("0231 2", "kaya@example.org")
    detail = client.post(page, {"remove": "1"}, follow=True).content.decode()
    with scope(jobcenter=employer_service.jobcenter):
        assert not employer.contacts.exists() and "Frau Kaya" in detail  # "… entfernt."
    other = EmployerFactory(jobcenter=employer_service.jobcenter)
    someone_elses = ContactPersonFactory(employer=other)
    wrong = url("employers:contact_update", pk=employer.pk, contact_pk=someone_elses.pk)
    assert client.get(wrong).status_code == 404


@pytest.mark.django_db
def test_a_coach_reads_a_vacancy_with_the_applications_of_their_own_people(client, coach):
    jobcenter = coach.jobcenter
    vacancy = VacancyFactory(employer__jobcenter=jobcenter, title="Fachlagerist/in")
    mine = EnrolmentFactory(cohort__programme__jobcenter=jobcenter,
                            participant__last_name="Eigene")
    CohortCoachFactory(cohort=mine.cohort, user=coach.user)
    others = EnrolmentFactory(cohort__programme__jobcenter=jobcenter,
                              participant__last_name="Fremde")
    for enrolment in (mine, others):
        ApplicationFactory(enrolment=enrolment, employer=vacancy.employer, vacancy=vacancy,
                           stage="interview")
    client.force_login(coach.user)
    page = url("employers:vacancy", pk=vacancy.employer_id, vacancy_pk=vacancy.pk)
    html = client.get(page).content.decode()
    assert "Fachlagerist/in" in html and "Eigene" in html and "Vorstellungsgespräch" in html
    assert "Fremde" not in html  # a coach sees only the people they coach
    assert f"vacancies/{vacancy.pk}/edit/" not in html  # and cannot edit
    assert page in client.get(url("employers:vacancies")).content.decode()
