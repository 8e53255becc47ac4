from datetime import date, timedelta

import pytest
from django.urls import reverse
from django_scopes import scope

from employers.models import FollowUp, Integration
from participants.models import Enrolment, Participant
from participants.selectors import choice_token
from tests.factories import (
    CohortCoachFactory,
    CohortFactory,
    EmployerFactory,
    EnrolmentFactory,
    IntegrationFactory,
    ParticipantFactory,
)
from tests.queries import queries_for

START = date(2025, 3, 3)


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START,
                           planned_end=START + timedelta(days=41), capacity=2)
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


def jc_url(name, jobcenter, **kwargs):
    return reverse(name, kwargs={"jc": jobcenter.code, **kwargs})


@pytest.mark.django_db
def test_the_participant_list_needs_the_same_queries_for_5_and_40(client, team_lead, cohort):
    client.force_login(team_lead.user)
    page = jc_url("participants:list", cohort.jobcenter)
    for _ in range(5):
        EnrolmentFactory(cohort=cohort)
    small = queries_for(lambda: client.get(page))
    for _ in range(35):
        EnrolmentFactory(cohort=cohort)
    assert queries_for(lambda: client.get(page)) == small


@pytest.mark.django_db
def test_search_finds_by_customer_number_and_by_name(client, team_lead, cohort):
    EnrolmentFactory(cohort=cohort, participant__customer_number="999D123456",
                     participant__first_name="Leyla", participant__last_name="Demir")
    EnrolmentFactory(cohort=cohort, participant__last_name="Andere")
    client.force_login(team_lead.user)
    page = jc_url("participants:list", cohort.jobcenter)
    for query in ("999d123456", "leyla dem", "Demir"):
        html = client.get(page, {"q": query}).content.decode()
        assert "Demir" in html and "Andere" not in html, query


@pytest.mark.django_db
def test_a_coach_finds_a_person_outside_their_cohorts_only_by_exact_customer_number(
    client, coach, cohort
):
    stranger = ParticipantFactory(jobcenter=cohort.jobcenter, customer_number="555D000555",
                                  last_name="Unbekannt")
    client.force_login(coach.user)
    enrol = jc_url("participants:enrol", cohort.jobcenter, pk=cohort.pk)
    chosen = f"?participant={stranger.pk}:"
    assert chosen not in client.get(enrol, {"q": "Unbekannt"}).content.decode()
    html = client.get(enrol, {"q": "555D000555"}).content.decode()
    assert chosen in html


@pytest.mark.django_db
def test_a_person_cannot_be_picked_for_enrolment_by_stepping_through_numbers(
    client, coach, cohort
):
    stranger = ParticipantFactory(jobcenter=cohort.jobcenter, last_name="Unbekannt")
    client.force_login(coach.user)
    enrol = jc_url("participants:enrol", cohort.jobcenter, pk=cohort.pk)
    token = choice_token(stranger)
    for forged in (str(stranger.pk), token.replace(f"{stranger.pk}:", f"{stranger.pk + 1}:")):
        response = client.get(enrol, {"participant": forged})
        assert response.status_code == 404
        assert "Unbekannt" not in response.content.decode()
    assert "Unbekannt" in client.get(enrol, {"participant": token}).content.decode()


@pytest.mark.django_db
def test_enrolling_past_capacity_warns_but_enrols(client, coach, cohort):
    with scope(jobcenter=coach.jobcenter):
        EnrolmentFactory(cohort=cohort, joined_on=START)
        EnrolmentFactory(cohort=cohort, joined_on=START)
        person = ParticipantFactory(jobcenter=cohort.jobcenter, last_name="Dritte")
        client.force_login(coach.user)
        enrol = jc_url("participants:enrol", cohort.jobcenter, pk=cohort.pk)
        response = client.post(f"{enrol}?participant={choice_token(person)}", {
            "assigned_on": "24.02.2025", "joined_on": "10.03.2025", "cooperation_plan_on": "",
            "cooperation_plan_review_on": "",
            "info_event_on": "", "notes": ""}, follow=True)
        html = response.content.decode()
        assert Enrolment.objects.get(participant=person).joined_on == date(2025, 3, 10)
        assert "3 / 2" in html
        assert "Dritte" in html


@pytest.mark.django_db
def test_an_invalid_joining_date_stays_in_the_form_with_a_german_message(client, coach, cohort):
    person = ParticipantFactory(jobcenter=cohort.jobcenter)
    client.force_login(coach.user)
    enrol = jc_url("participants:enrol", cohort.jobcenter, pk=cohort.pk)
    response = client.post(f"{enrol}?participant={choice_token(person)}", {
        "joined_on": "31.02.2025", "assigned_on": "", "cooperation_plan_on": "",
        "cooperation_plan_review_on": "", "info_event_on": "",
        "notes": "bitte behalten"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "TT.MM.JJJJ" in html and "bitte behalten" in html
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_a_new_person_from_the_enrol_search_comes_back_to_the_enrolment(client, coach, cohort):
    with scope(jobcenter=coach.jobcenter):
        client.force_login(coach.user)
        create = jc_url("participants:create", cohort.jobcenter)
        response = client.post(f"{create}?cohort={cohort.pk}", {
            "customer_number": "321D000123", "first_name": "Mara", "last_name": "Neu",
            "gender": "f", "language_level": "B1", "birth_year": "1990"})
        person = Participant.objects.get(customer_number="321D000123")
        assert f"/cohorts/{cohort.pk}/enrol/?participant={person.pk}:" in response["Location"]


@pytest.mark.django_db
def test_a_duplicate_customer_number_is_shown_next_to_the_field(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        ParticipantFactory(jobcenter=team_lead.jobcenter, customer_number="111D000111")
        client.force_login(team_lead.user)
        response = client.post(jc_url("participants:create", team_lead.jobcenter), {
            "customer_number": "111D000111", "first_name": "Doppelt", "last_name": "Gemoppelt"})
        assert response.status_code == 200
        assert Participant.objects.count() == 1
        assert 'id="error_1_id_customer_number"' in response.content.decode()


@pytest.mark.django_db
def test_recording_a_dropout_exit(client, coach, cohort):
    with scope(jobcenter=coach.jobcenter):
        enrolment = EnrolmentFactory(cohort=cohort, joined_on=START)
        client.force_login(coach.user)
        page = jc_url("participants:exit", cohort.jobcenter, pk=enrolment.pk)
        missing = client.post(page, {"exit_on": "14.03.2025", "exit_reason": "dropout"})
        assert missing.status_code == 200 and not Enrolment.objects.get().exit_on
        client.post(page, {"exit_on": "14.03.2025", "exit_reason": "dropout",
                           "dropout_reason": "health"})
        enrolment.refresh_from_db()
        assert (enrolment.exit_on, enrolment.dropout_reason) == (date(2025, 3, 14), "health")


@pytest.mark.django_db
def test_recording_a_start_of_work_with_a_new_employer(client, coach, cohort):
    with scope(jobcenter=coach.jobcenter):
        enrolment = EnrolmentFactory(cohort=cohort, joined_on=START)
        client.force_login(coach.user)
        page = jc_url("employers:integration_create", cohort.jobcenter, pk=enrolment.pk)
        client.post(page, {"kind": "employment", "start_on": "01.04.2025",
                           "employer_name": "Pflegedienst Sonnenschein", "weekly_hours": "30",
                           "subsidy": "egz"})
        integration = Integration.objects.get()
        assert integration.employer.name == "Pflegedienst Sonnenschein"
        assert FollowUp.objects.filter(integration=integration).count() == 2


@pytest.mark.django_db
def test_choosing_and_typing_an_employer_at_once_is_an_error(client, coach, cohort):
    enrolment = EnrolmentFactory(cohort=cohort, joined_on=START)
    employer = EmployerFactory(jobcenter=cohort.jobcenter)
    client.force_login(coach.user)
    page = jc_url("employers:integration_create", cohort.jobcenter, pk=enrolment.pk)
    response = client.post(page, {"kind": "employment", "start_on": "01.04.2025",
                                  "employer": employer.pk, "employer_name": "Andere GmbH"})
    assert response.status_code == 200 and not Integration.objects.exists()


@pytest.mark.django_db
def test_due_follow_ups_show_on_the_cohort_and_can_be_recorded(client, coach, cohort):
    integration = IntegrationFactory(enrolment=EnrolmentFactory(cohort=cohort, joined_on=START),
                                     start_on=date(2024, 1, 1))
    followup = FollowUp.objects.create(integration=integration, due_month=6,
                                       due_on=date(2024, 7, 1))
    client.force_login(coach.user)
    cohort_page = jc_url("participants:cohort", cohort.jobcenter, pk=cohort.pk)
    record = jc_url("employers:followup", cohort.jobcenter, pk=followup.pk)
    assert record in client.get(cohort_page).content.decode()
    assert record in client.get(jc_url("home", cohort.jobcenter)).content.decode()
    client.post(record, {"still_employed": "yes", "checked_on": "02.07.2024"})
    followup.refresh_from_db()
    assert followup.still_employed == "yes"
    assert record not in client.get(cohort_page).content.decode()


@pytest.mark.django_db
def test_the_participant_page_tells_the_enrolments_story(client, coach, cohort):
    enrolment = EnrolmentFactory(cohort=cohort, joined_on=START, exit_on=date(2025, 3, 28),
                                 exit_reason="job")
    IntegrationFactory(enrolment=enrolment, start_on=date(2025, 4, 1),
                       employer__name="Logistik Nord")
    client.force_login(coach.user)
    html = client.get(jc_url("participants:detail", cohort.jobcenter,
                             pk=enrolment.participant_id)).content.decode()
    for text in ("03.03.2025", "28.03.2025", "01.04.2025", "Logistik Nord", cohort.code):
        assert text in html
