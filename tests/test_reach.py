"""The reach table's findings, one by one, as the role that must not get further tried it."""

import pytest
from django.urls import reverse
from django_scopes import scope

from coaching.services import individual_session_record
from tests.factories import (
    ApplicationFactory,
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    ParticipantFactory,
    change_participant,
)


def url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


@pytest.fixture
def group(jobcenter_a, coach):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a)
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


@pytest.mark.django_db
def test_the_employer_service_finds_only_people_in_the_pipeline(client, employer_service,
                                                                group):
    outside = EnrolmentFactory(cohort=group, participant__customer_number="555K000555")
    inside = EnrolmentFactory(cohort=group, participant__customer_number="666K000666")
    ApplicationFactory(enrolment=inside)
    client.force_login(employer_service.user)
    for query in ("555K000555", outside.participant.last_name):
        found = client.get(url("participants:list"), {"q": query}).context["participants"]
        assert outside.participant not in found
    assert inside.participant in client.get(url("participants:list"),
                                            {"q": "666K000666"}).context["participants"]
    assert client.get(url("participants:detail", pk=outside.participant_id)).status_code == 404


@pytest.mark.django_db
def test_a_proposal_picks_by_name_and_group_only(client, employer_service, group):
    enrolment = EnrolmentFactory(cohort=group, participant__customer_number="777K000777",
                                 participant__notes="Vertraulich: Schulden")
    client.force_login(employer_service.user)
    page = client.get(url("employers:application_create", pk=group.pk)).content.decode()
    assert str(enrolment.participant) in page
    assert "777K000777" not in page and "Schulden" not in page
    # Proposed, the person is in the pipeline: name and group, never the whole record.
    ApplicationFactory(enrolment=enrolment)
    detail = client.get(url("participants:detail", pk=enrolment.participant_id)).content.decode()
    assert str(enrolment.participant.last_name) in detail
    assert "Schulden" not in detail


@pytest.mark.django_db
def test_the_admin_sees_that_social_data_changed_never_the_values(client, jc_admin, group):
    with scope(jobcenter=jc_admin.jobcenter):
        person = ParticipantFactory(jobcenter=group.jobcenter, last_name="Unverwechselbar")
        change_participant(person, notes="Suchtberatung seit März", health_limitations=True)
        client.force_login(jc_admin.user)
        html = client.get(url("participants:audit")).content.decode()
        assert "geändert (Wert nicht angezeigt)" in html
        for secret in ("Suchtberatung", "Unverwechselbar"):
            assert secret not in html
        audit = client.get(url("participants:audit"))
        assert "customer_number" not in audit.context["filters"].fields


@pytest.mark.django_db
def test_a_confidential_note_is_changed_in_the_trail_without_its_text(client, team_lead, coach,
                                                                     group):
    enrolment = EnrolmentFactory(cohort=group)
    individual_session_record(enrolment=enrolment, coach=coach.user, held_on=group.planned_start,
                              minutes=30, channel="phone",
                              confidential_note="Trennung, Wohnung gekündigt", next_steps="")
    client.force_login(team_lead.user)
    html = client.get(url("participants:detail", pk=enrolment.participant_id)).content.decode()
    assert "Trennung" not in html
    assert "vertrauliche Notiz" in html and "geändert (Wert nicht angezeigt)" in html


@pytest.mark.django_db
def test_searches_by_customer_number_are_rate_limited_per_user(client, settings, coach, group):
    settings.CUSTOMER_NUMBER_SEARCH_RATE = "3/m"
    enrolment = EnrolmentFactory(cohort=group, participant__customer_number="888K000888")
    client.force_login(coach.user)
    for _ in range(3):
        found = client.get(url("participants:list"), {"q": "888K000888"}).context
        assert enrolment.participant in found["participants"]
    refused = client.get(url("participants:list"), {"q": "888K000888"})
    assert enrolment.participant not in refused.context["participants"]
    assert "Zu viele Suchen nach Kundennummern" in refused.content.decode()
    # A search by name is no customer number.
    assert enrolment.participant in client.get(
        url("participants:list"), {"q": enrolment.participant.last_name}).context["participants"]


@pytest.mark.django_db
def test_a_coach_enrolling_finds_a_known_number_but_lists_only_their_groups(client, coach,
                                                                          group):
    elsewhere = EnrolmentFactory(cohort=CohortFactory(programme__jobcenter=group.jobcenter),
                                 participant__customer_number="999K000999")
    client.force_login(coach.user)
    listed = client.get(url("participants:list"), {"q": "999K000999"}).context["participants"]
    assert elsewhere.participant not in listed
    enrol = client.get(url("participants:enrol", pk=group.pk), {"q": "999K000999"})
    assert elsewhere.participant in [match for match, _ in enrol.context["matches"]]
