"""Subject access (Art. 15 GDPR) for a person holding every kind of data there is."""

import json
import uuid
from datetime import date, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from employers.models import Application, ApplicationStep, FollowUp, Integration
from participants.models import Enrolment, Participant
from privacy import views as privacy_views
from privacy.models import ExportRecord
from privacy.subject_access import SubjectAccessEncoder, subject_data
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    FollowUpFactory,
    GroupSessionFactory,
    IndividualSessionFactory,
    IntegrationFactory,
    MembershipFactory,
    VacancyFactory,
)

START = date(2025, 3, 3)


@pytest.fixture
def person(jobcenter_a):
    """Every participant field set; a job start with weekly hours, its follow-ups, group
    attendance (session with times, module and coaches), individual coaching with a
    confidential note, applications with steps, an exit with a dropout reason."""
    with scope(jobcenter=jobcenter_a):
        cohort = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=START)
        enrolment = EnrolmentFactory(
            cohort=cohort, assigned_on=date(2025, 2, 24), info_event_on=date(2025, 2, 26),
            cooperation_plan_on=date(2025, 3, 4), cooperation_plan_review_on=date(2025, 9, 4),
            is_voluntary=True, exit_on=date(2025, 4, 11),
            exit_reason=Enrolment.ExitReason.DROPOUT,
            dropout_reason=Enrolment.DropoutReason.HEALTH, notes="Notiz zur Teilnahme",
            participant__customer_number="123D456789", participant__first_name="Erika",
            participant__last_name="Musterfrau", participant__birth_year=1990,
            participant__gender=Participant.Gender.FEMALE, participant__long_term_unemployed=True,
            participant__topping_up=True, participant__refugee=True,
            participant__single_parent=True, participant__health_limitations=True,
            participant__language_level=Participant.LanguageLevel.B1,
            participant__notes="Notiz zur Person")
        Participant.objects.filter(pk=enrolment.participant_id).update(
            anonymised_at=timezone.now())  # a datetime in every field
        integration = IntegrationFactory(
            enrolment=enrolment, kind=Integration.Kind.EMPLOYMENT, start_on=date(2025, 4, 14),
            weekly_hours=Decimal("38.5"), subsidy=Integration.Subsidy.EGZ)
        FollowUpFactory(integration=integration, due_month=FollowUp.DueMonth.SIX,
                        still_employed=FollowUp.Answer.YES, checked_on=date(2025, 10, 20))
        FollowUpFactory(integration=integration, due_month=FollowUp.DueMonth.TWELVE)
        coach = MembershipFactory(jobcenter=jobcenter_a, user__first_name="Carla",
                                  user__last_name="Coach").user
        session = GroupSessionFactory(cohort=cohort, held_on=START, starts_at=time(9, 15),
                                      ends_at=time(12, 45), room="Raum 2", notes="Gruppennotiz")
        session.coaches.add(coach)
        AttendanceFactory(session=session, enrolment=enrolment, status="late", note="Bus")
        IndividualSessionFactory(enrolment=enrolment, coach=coach, held_on=date(2025, 3, 5),
                                 minutes=45, channel="phone", confidential_note="vertraulich",
                                 next_steps="Lebenslauf")
        vacancy = VacancyFactory(employer=integration.employer)
        application = ApplicationFactory(
            enrolment=enrolment, employer=integration.employer, vacancy=vacancy,
            source=Application.Source.PROPOSAL, stage=Application.Stage.HIRED,
            stage_changed_on=date(2025, 4, 10), subsidy_offered="egz", integration=integration)
        for stage, day in (("proposed", date(2025, 3, 20)), ("hired", date(2025, 4, 10))):
            ApplicationStep.objects.create(jobcenter=jobcenter_a, application=application,
                                           stage=stage, moved_on=day, by=coach)
        ApplicationFactory(enrolment=enrolment)  # a second employer, no steps, nothing optional
        return Participant.objects.get(pk=enrolment.participant_id)


def urls(person):
    kwargs = {"jc": "jc-a", "pk": person.pk}
    return (reverse("privacy:subject_access_json", kwargs=kwargs),
            reverse("privacy:subject_access", kwargs=kwargs))


@pytest.mark.django_db
def test_the_json_holds_every_kind_of_data_and_parses(client, team_lead, person):
    client.force_login(team_lead.user)
    response = client.get(urls(person)[0])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    who = data["participant"]
    assert (who["customer_number"], who["gender"], who["language_level"]) == (
        "123D456789", "f", "B1")
    assert who["health_limitations"] is True and who["anonymised_at"] and who["created_at"]
    assert "jobcenter" not in who and data["jobcenter"] == "Jobcenter A-Stadt"
    enrolment = data["enrolments"][0]
    assert (enrolment["dropout_reason"], enrolment["is_voluntary"]) == ("health", True)
    assert (enrolment["cooperation_plan_on"], enrolment["cooperation_plan_review_on"]) == (
        "2025-03-04", "2025-09-04")
    assert enrolment["cohort"] and enrolment["age_at_entry"] is None
    job = enrolment["integrations"][0]
    assert (job["weekly_hours"], job["start_on"], job["subsidy"]) == ("38.5", "2025-04-14",
                                                                      "egz")
    assert [(f["due_month"], f["still_employed"], f["checked_on"])
            for f in job["followups"]] == [(6, "yes", "2025-10-20"), (12, "", None)]
    attendance = enrolment["attendances"][0]
    assert (attendance["status"], attendance["note"]) == ("late", "Bus")
    assert attendance["session"] == {
        "held_on": "2025-03-03", "starts_at": "09:15:00", "ends_at": "12:45:00",
        "module": attendance["session"]["module"], "room": "Raum 2",
        "coaches": ["Carla Coach"]}
    assert "Gruppennotiz" not in response.content.decode()  # about the group, not the person
    coaching = enrolment["individual_sessions"][0]
    assert (coaching["confidential_note"], coaching["minutes"], coaching["coach"]) == (
        "vertraulich", 45, "Carla Coach")
    hired = next(a for a in enrolment["applications"] if a["stage"] == "hired")
    assert hired["integration"] and hired["vacancy"].startswith("Lagerhelfer")
    assert [(s["stage"], s["moved_on"], s["by"]) for s in hired["steps"]] == [
        ("proposed", "2025-03-20", "Carla Coach"), ("hired", "2025-04-10", "Carla Coach")]


@pytest.mark.django_db
def test_the_page_shows_every_kind_of_data_in_words(client, team_lead, person):
    client.force_login(team_lead.user)
    response = client.get(urls(person)[1])
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Musterfrau", "B1", "Gesundheit", "38,5", "14.04.2025", "20.10.2025",
                 "09:15", "Raum 2", "Carla Coach", "vertraulich", "Lebenslauf", "Bus",
                 "Lagerhelfer", "Kooperationsplan am", "04.03.2025",
                 "Nächste Überprüfung des Kooperationsplans", "04.09.2025"):
        assert text in html, text
    assert "38.5" not in html and "2025-04-14" not in html and "Gruppennotiz" not in html


@pytest.mark.django_db
def test_a_person_with_nothing_but_a_name_gets_an_answer_too(client, team_lead, jobcenter_a):
    bare = Participant.objects.create(jobcenter=jobcenter_a, customer_number="999X000001",
                                      first_name="Nur", last_name="Name")
    client.force_login(team_lead.user)
    json_url, page_url = urls(bare)
    data = json.loads(client.get(json_url).content)
    assert data["participant"]["birth_year"] is None and data["enrolments"] == []
    assert client.get(page_url).status_code == 200


def test_the_encoder_takes_whatever_a_field_may_hold():
    value = {"d": Decimal("38.5"), "u": uuid.UUID(int=1), "t": time(9, 0),
             "day": date(2025, 1, 2), "set": {1}, "other": object}
    decoded = json.loads(json.dumps(value, cls=SubjectAccessEncoder))
    assert decoded["d"] == "38.5" and decoded["t"] == "09:00:00"
    assert decoded["u"] == "00000000-0000-0000-0000-000000000001"
    assert decoded["day"] == "2025-01-02" and decoded["set"] == "{1}"


@pytest.mark.django_db
def test_each_delivered_answer_is_recorded_once(client, team_lead, person):
    with scope(jobcenter=team_lead.jobcenter):
        client.force_login(team_lead.user)
        json_url, page_url = urls(person)
        client.get(json_url)
        client.get(page_url)
        client.get(json_url)
        records = ExportRecord.objects.order_by("created_at")
        assert [r.kind for r in records] == ["subject_access_json", "subject_access_print",
                                             "subject_access_json"]
        assert all(r.parameters == {"participant": person.pk} and r.user == team_lead.user
                   for r in records)


@pytest.mark.django_db
@pytest.mark.parametrize("builder, index", [("subject_data", 0), ("subject_page", 1)])
def test_an_answer_that_could_not_be_built_leaves_no_record(client, team_lead, person,
                                                            monkeypatch, builder, index):
    with scope(jobcenter=team_lead.jobcenter):
        def broken(participant):
            raise RuntimeError("cannot build")

        monkeypatch.setattr(privacy_views, builder, broken)
        client.force_login(team_lead.user)
        client.raise_request_exception = False
        assert client.get(urls(person)[index]).status_code == 500
        assert not ExportRecord.objects.exists()


@pytest.mark.django_db
def test_a_page_that_fails_to_render_leaves_no_record(client, team_lead, person, monkeypatch):
    with scope(jobcenter=team_lead.jobcenter):
        from django.template.response import TemplateResponse

        def broken(self):
            raise RuntimeError("cannot render")

        monkeypatch.setattr(TemplateResponse, "rendered_content", property(broken))
        client.force_login(team_lead.user)
        client.raise_request_exception = False
        assert client.get(urls(person)[1]).status_code == 500
        assert not ExportRecord.objects.exists()


@pytest.mark.django_db
def test_the_data_is_built_in_a_fixed_number_of_queries(person, django_assert_max_num_queries):
    # 18, and one for each kind of data other apps registered (documents: 4).
    with scope(jobcenter=person.jobcenter), django_assert_max_num_queries(22):
        json.dumps(subject_data(person), cls=SubjectAccessEncoder)
