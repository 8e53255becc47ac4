import json
from datetime import date
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from participants.models import Participant
from privacy.models import ExportRecord
from privacy.retention import anonymise_due, due_for_anonymisation
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    IndividualSessionFactory,
    IntegrationFactory,
)

TODAY = date(2026, 11, 25)


def export(jobcenter):
    out = StringIO()
    call_command("export_report", "--jobcenter", jobcenter.code, "--as-of", "2026-11-25",
                 stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def people(jobcenter_a):
    jobcenter_a.retention_months = 24
    jobcenter_a.save()
    old = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=date(2022, 3, 7),
                        planned_end=date(2022, 4, 15))
    recent = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=date(2025, 3, 3),
                           planned_end=date(2025, 4, 11))
    gone = EnrolmentFactory(cohort=old, participant__last_name="Altfall",
                            participant__customer_number="111O000111",
                            participant__birth_year=2000, participant__notes="Notiz",
                            exit_on=date(2022, 4, 15), exit_reason="job", notes="privat")
    IntegrationFactory(enrolment=gone, start_on=date(2022, 4, 20))
    AttendanceFactory(enrolment=gone, session__cohort=old, session__held_on=date(2022, 3, 8),
                      note="krank")
    IndividualSessionFactory(enrolment=gone, confidential_note="vertraulich")
    kept = EnrolmentFactory(cohort=recent, participant__last_name="Neufall",
                            exit_on=date(2025, 4, 11), exit_reason="completed")
    returning = EnrolmentFactory(cohort=old, participant__last_name="Wiederkehr",
                                 exit_on=date(2022, 4, 15), exit_reason="dropout",
                                 dropout_reason="health")
    EnrolmentFactory(cohort=recent, participant=returning.participant)
    return {"gone": gone, "kept": kept, "returning": returning}


@pytest.mark.django_db
def test_only_people_whose_last_enrolment_ended_long_ago_are_due(jobcenter_a, people):
    with scope(jobcenter=jobcenter_a):
        assert list(due_for_anonymisation(jobcenter_a, TODAY)) == [people["gone"].participant]


@pytest.mark.django_db
def test_anonymising_keeps_every_report_figure_and_removes_the_person(jobcenter_a, people):
    before = export(jobcenter_a)
    with scope(jobcenter=jobcenter_a):
        assert anonymise_due(jobcenter=jobcenter_a, today=TODAY, now=timezone.now()) == 1
    assert export(jobcenter_a) == before
    with scope(jobcenter=jobcenter_a):
        person = Participant.objects.get(pk=people["gone"].participant_id)
        assert person.anonymised_at and person.birth_year is None and person.notes == ""
        assert not Participant.objects.filter(last_name="Altfall").exists()
        assert not Participant.objects.filter(customer_number="111O000111").exists()
        enrolment = person.enrolments.get()
        assert (enrolment.notes, enrolment.age_at_entry, enrolment.exit_reason) == ("", 22, "job")
        assert enrolment.attendances.get().note == ""
        assert enrolment.individual_sessions.get().confidential_note == ""
        assert enrolment.integrations.count() == 1
        for name in ("Neufall", "Wiederkehr"):
            assert Participant.objects.get(last_name=name).anonymised_at is None
        trail = LogEntry.objects.filter(additional_data__participant=person.pk)
        assert trail.exists()
        assert "Altfall" not in json.dumps([e.changes for e in trail])


@pytest.mark.django_db
def test_a_team_lead_sees_what_is_due_and_runs_it(client, team_lead, people):
    client.force_login(team_lead.user)
    page = reverse("privacy:retention", kwargs={"jc": "jc-a"})
    assert client.get(page).context["count"] == 1
    client.post(page)
    assert client.get(page).context["count"] == 0
    with scope(jobcenter=team_lead.jobcenter):
        run = ExportRecord.objects.get(kind="retention_run")  # in the trail: who, how many
    assert (run.user, run.parameters) == (team_lead.user, {"anonymised": 1})


@pytest.mark.django_db
def test_the_nightly_task_anonymises_in_every_jobcenter(people, jobcenter_b):
    from privacy.tasks import retention_run_all

    stale = EnrolmentFactory(cohort__programme__jobcenter=jobcenter_b,
                             cohort__planned_start=date(2015, 1, 5),
                             cohort__planned_end=date(2015, 2, 13),
                             joined_on=date(2015, 1, 5), exit_on=date(2015, 2, 13),
                             exit_reason="completed")
    assert retention_run_all.delay().get() == 2  # one task per jobcenter
    with scope(jobcenter=jobcenter_b):
        assert Participant.objects.get(pk=stale.participant_id).anonymised_at is not None


@pytest.mark.django_db
def test_subject_access_gives_all_data_of_one_person_to_the_team_lead(client, team_lead,
                                                                      coach, people):
    person = people["gone"].participant
    client.force_login(team_lead.user)
    url = reverse("privacy:subject_access_json", kwargs={"jc": "jc-a", "pk": person.pk})
    data = json.loads(client.get(url).content)
    assert data["participant"]["customer_number"] == "111O000111"
    enrolment = data["enrolments"][0]
    assert enrolment["attendances"][0]["note"] == "krank"
    assert enrolment["individual_sessions"][0]["confidential_note"] == "vertraulich"
    assert enrolment["integrations"][0]["start_on"] == "2022-04-20"
    page = reverse("privacy:subject_access", kwargs={"jc": "jc-a", "pk": person.pk})
    html = client.get(page).content.decode()
    assert "vertraulich" in html and "krank" in html
    # In words for the person: German labels and dates, no field names or ISO dates.
    assert "Kundennummer" in html and "20.04.2022" in html
    assert "customer_number" not in html and "2022-04-20" not in html
    client.force_login(coach.user)
    assert client.get(url).status_code in (403, 404)


@pytest.mark.django_db
def test_subject_access_to_another_jobcenters_person_is_404(client, outsider, people):
    client.force_login(outsider.user)
    url = reverse("privacy:subject_access_json",
                  kwargs={"jc": "jc-b", "pk": people["gone"].participant_id})
    assert client.get(url).status_code == 404
