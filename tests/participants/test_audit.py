import logging
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django_scopes import scope

from participants.selectors import choice_token
from privacy.models import ExportRecord
from tests.factories import CohortCoachFactory, CohortFactory, ParticipantFactory

START = date(2025, 3, 3)


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START,
                           planned_end=START + timedelta(days=41))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


def url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


def kinds_logged():
    return {(e.content_type.model, e.action) for e in LogEntry.objects.all()}


@pytest.mark.django_db
def test_a_coachs_day_is_in_the_audit_trail_with_who_did_it(client, coach, cohort, caplog):
    person = ParticipantFactory(jobcenter=cohort.jobcenter, first_name="Zeynep",
                                last_name="Unverwechselbar", customer_number="777X000777")
    client.force_login(coach.user)
    caplog.set_level(logging.DEBUG)
    client.post(f"{url('participants:enrol', pk=cohort.pk)}?participant={choice_token(person)}", {
        "joined_on": "03.03.2025", "assigned_on": "", "cooperation_plan_on": "",
        "cooperation_plan_review_on": "", "info_event_on": "",
        "notes": ""})
    with scope(jobcenter=coach.jobcenter):
        enrolment = person.enrolments.get()
    day = {"held_on": "04.03.2025", "roster": str(enrolment.pk),
           f"status_{enrolment.pk}": "present", f"note_{enrolment.pk}": ""}
    client.post(url("coaching:session_create", pk=cohort.pk), day)
    with scope(jobcenter=coach.jobcenter):
        session = cohort.sessions.get()
    edit = reverse("coaching:session_update",
                   kwargs={"jc": "jc-a", "cohort_pk": cohort.pk, "pk": session.pk})
    client.post(edit, {**day, f"status_{enrolment.pk}": "late", "version": session.version})
    client.post(url("coaching:individual", pk=enrolment.pk), {
        "held_on": "05.03.2025", "minutes": "30", "channel": "phone"})
    client.post(url("employers:integration_create", pk=enrolment.pk), {
        "kind": "employment", "start_on": "01.04.2025", "employer_name": "Firma X"})
    client.post(url("participants:exit", pk=enrolment.pk), {
        "exit_on": "28.03.2025", "exit_reason": "job"})
    client.post(url("participants:update", pk=person.pk), {
        "customer_number": "777X000777", "first_name": "Zeynep", "last_name": "Neu-Name"})

    logged = kinds_logged()
    for model, action in [("enrolment", 0), ("enrolment", 1), ("attendance", 0),
                          ("attendance", 1), ("individualsession", 0), ("integration", 0),
                          ("followup", 0), ("participant", 1)]:
        assert (model, action) in logged, (model, action)
    during_requests = LogEntry.objects.exclude(content_type__model="participant", action=0) \
        .exclude(content_type__model__in=("membership", "jobcenter"))  # the fixtures' setup
    assert set(during_requests.values_list("actor", flat=True)) == {coach.user.pk}
    late = LogEntry.objects.get(content_type__model="attendance", action=1)
    assert late.changes["status"] == ["present", "late"]
    assert late.additional_data == {"jobcenter": cohort.jobcenter_id,
                                    "participant": person.pk, "cohort": cohort.pk}
    # No personal data in the application log.
    for text in ("Unverwechselbar", "Zeynep", "777X000777", "Neu-Name"):
        assert text not in caplog.text
    # The participant's page shows the whole history, bulk-logged attendance included.
    history = client.get(url("participants:detail", pk=person.pk))
    html = history.content.decode()
    assert history.status_code == 200 and "None" not in html
    # In words: German actions and field labels, no ids, no reverse relations.
    assert "angelegt" in html and "geändert" in html
    for noise in ("create ·", "update ·", "ID:", "followups:", "integrations:"):
        assert noise not in html, noise


@pytest.mark.django_db
def test_the_trail_is_filtered_by_person_and_shown_on_the_persons_page(client, team_lead,
                                                                       cohort):
    first = ParticipantFactory(jobcenter=cohort.jobcenter, customer_number="111A000111")
    second = ParticipantFactory(jobcenter=cohort.jobcenter, customer_number="222B000222")
    client.force_login(team_lead.user)
    for person in (first, second):
        client.post(url("participants:update", pk=person.pk), {
            "customer_number": person.customer_number, "first_name": "Geändert",
            "last_name": person.last_name})
    listed = client.get(url("participants:audit"), {"customer_number": "111a000111"})
    assert {e.additional_data["participant"] for e in listed.context["entries"]} == {first.pk}
    assert listed.context["paginator"].count == 2  # created, then changed
    page = client.get(url("participants:detail", pk=second.pk)).content.decode()
    assert "Geändert" in page


@pytest.mark.django_db
def test_another_jobcenters_trail_stays_hidden(client, outsider, team_lead, cohort):
    person = ParticipantFactory(jobcenter=cohort.jobcenter)
    client.force_login(team_lead.user)
    client.post(url("participants:update", pk=person.pk), {
        "customer_number": person.customer_number, "first_name": "X", "last_name": "Y"})
    client.force_login(outsider.user)
    response = client.get(reverse("participants:audit", kwargs={"jc": "jc-b"}))
    assert not [e for e in response.context["entries"]
                if e.additional_data.get("participant") == person.pk]


@pytest.mark.django_db
def test_coaches_read_the_trail_of_their_own_groups_only(client, coach, cohort):
    from tests.factories import CohortFactory, EnrolmentFactory

    mine = EnrolmentFactory(cohort=cohort, notes="Eintrag meiner Gruppe")
    other = EnrolmentFactory(cohort=CohortFactory(programme__jobcenter=cohort.jobcenter),
                             notes="Eintrag einer fremden Gruppe")
    client.force_login(coach.user)
    html = client.get(url("participants:audit")).content.decode()
    assert "Eintrag meiner Gruppe" in html
    assert "Eintrag einer fremden Gruppe" not in html
    assert other.pk != mine.pk


@pytest.mark.django_db
def test_imports_are_recorded(client, team_lead):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(team_lead.user)
    csv = ("Gruppe;Format;Standort;Beginn;Ende;Kundennummer;Vorname;Nachname;Eintritt\n"
           "WA-1;Werkakademie;Mitte;03.03.2025;11.04.2025;123A000001;Eva;Roth;03.03.2025\n")
    preview = client.post(reverse("imports:import_upload", kwargs={"jc": "jc-a"}),
                          {"file": SimpleUploadedFile("liste.csv", csv.encode())}, follow=True)
    client.post(reverse("imports:import_confirm", kwargs={"jc": "jc-a"}),
                {"run": preview.context["run"].pk})
    with scope(jobcenter=team_lead.jobcenter):
        record = ExportRecord.objects.get()
    assert (record.kind, record.user) == ("import_enrolments", team_lead.user)


@pytest.mark.django_db
def test_exports_appear_in_the_trail_with_who_made_them(client, team_lead, jc_admin):
    client.force_login(team_lead.user)
    client.get(reverse("reports:drilldown", kwargs={"jc": "jc-a"}),
               {"metric": "entrants", "period": "all", "format": "xlsx"})
    with scope(jobcenter=team_lead.jobcenter):
        record = ExportRecord.objects.get(kind="drilldown_xlsx")
    entry = LogEntry.objects.get_for_object(record).get()
    assert entry.actor == team_lead.user
    client.force_login(jc_admin.user)
    html = client.get(url("participants:audit")).content.decode()
    assert "Liste der Teilnahmen als Excel" in html
