"""Mistakes in group sessions and individual coaching can be corrected: a session is
deleted with its attendance, a coaching entry edited or removed by its author or a team
lead; each correction is in the audit trail and the reports notice it."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django_scopes import scope

from coaching.models import Attendance, GroupSession, IndividualSession
from jobcenters.models import Jobcenter
from reports.services import snapshot_compute
from tests.factories import (
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupSessionFactory,
    IndividualSessionFactory,
    MembershipFactory,
)

START = date(2025, 3, 3)
NOTE = "Vertraulich: Schulden, Trennung"


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START,
                           planned_end=START + timedelta(days=41))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


@pytest.fixture
def session(cohort):
    session = GroupSessionFactory(cohort=cohort, held_on=START + timedelta(days=1))
    for name in ("Acar", "Berger", "Çelik"):
        AttendanceFactory(session=session, enrolment=EnrolmentFactory(
            cohort=cohort, joined_on=START, participant__last_name=name))
    return session


def delete_url(session):
    return reverse("coaching:session_delete", kwargs={
        "jc": session.jobcenter.code, "cohort_pk": session.cohort_id, "pk": session.pk})


def snapshot_of(jobcenter):
    with scope(jobcenter=jobcenter):
        return snapshot_compute(jobcenter=jobcenter, as_of=START + timedelta(days=60))


def outdated(snapshot) -> bool:
    return snapshot.is_outdated(Jobcenter.objects.get(pk=snapshot.jobcenter_id))


@pytest.mark.django_db
def test_a_session_is_deleted_from_its_page_after_one_question(client, coach, session):
    client.force_login(coach.user)
    edit = reverse("coaching:session_update", kwargs={
        "jc": "jc-a", "cohort_pk": session.cohort_id, "pk": session.pk})
    assert delete_url(session) in client.get(edit).content.decode()
    question = client.get(delete_url(session)).content.decode()
    assert "Mit der Sitzung werden 3 Anwesenheitseinträge gelöscht." in question
    before = snapshot_of(session.jobcenter)

    response = client.post(delete_url(session), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "coaching:sessions", kwargs={"jc": "jc-a", "pk": session.cohort_id})
    assert "mit 3 Anwesenheitseinträgen gelöscht" in response.content.decode()
    with scope(jobcenter=session.jobcenter):
        assert not GroupSession.objects.filter(pk=session.pk).exists()
        assert not Attendance.objects.exists()
        people = set(session.cohort.enrolments.values_list("participant_id", flat=True))
    # Every attendance record's deletion is in the trail, naming its person, by the coach.
    gone = LogEntry.objects.filter(content_type__model="attendance",
                                   action=LogEntry.Action.DELETE)
    assert {e.additional_data["participant"] for e in gone} == people
    assert {e.actor_id for e in gone} == {coach.user.pk}
    assert outdated(before)  # the dashboard recomputes


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employer_service", "jc_admin", "other_coach"])
def test_others_may_not_delete_a_session(request, client, session, role):
    if role == "other_coach":  # a coach of another group of the same jobcenter
        member = MembershipFactory(jobcenter=session.jobcenter)
        CohortCoachFactory(cohort=CohortFactory(programme__jobcenter=session.jobcenter),
                           user=member.user)
    else:
        member = request.getfixturevalue(role)
    client.force_login(member.user)
    assert client.get(delete_url(session)).status_code in (403, 404)
    assert client.post(delete_url(session)).status_code in (403, 404)
    with scope(jobcenter=session.jobcenter):
        assert GroupSession.objects.filter(pk=session.pk).exists()
        assert Attendance.objects.count() == 3


@pytest.fixture
def entry(cohort, coach):
    return IndividualSessionFactory(
        enrolment=EnrolmentFactory(cohort=cohort, joined_on=START,
                                   participant__last_name="Yılmaz"),
        coach=coach.user, held_on=START + timedelta(days=3), minutes=30, channel="phone",
        confidential_note=NOTE)


def entry_url(name, entry):
    return reverse(f"coaching:{name}", kwargs={"jc": entry.jobcenter.code, "pk": entry.pk})


def audit_values(entries) -> str:
    return " ".join(f"{e.changes} {e.serialized_data} {e.object_repr}" for e in entries)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coach", "team_lead"])
def test_the_author_or_a_team_lead_edits_a_coaching_entry(request, client, entry, who):
    member = request.getfixturevalue(who)
    client.force_login(member.user)
    log = reverse("coaching:individual", kwargs={"jc": "jc-a", "pk": entry.enrolment_id})
    assert entry_url("individual_update", entry) in client.get(log).content.decode()
    form = client.get(entry_url("individual_update", entry))
    assert form.status_code == 200 and NOTE in form.content.decode()

    response = client.post(entry_url("individual_update", entry), {
        "held_on": "07.03.2025", "minutes": "45", "channel": "video",
        "confidential_note": "Neuer vertraulicher Text", "next_steps": "Lebenslauf"})

    assert response.status_code == 302 and response["Location"] == log
    with scope(jobcenter=entry.jobcenter):
        entry.refresh_from_db()
    assert (entry.held_on, entry.minutes, entry.channel) == (date(2025, 3, 7), 45, "video")
    changed = LogEntry.objects.filter(content_type__model="individualsession",
                                      action=LogEntry.Action.UPDATE)
    assert [e.additional_data["participant"] for e in changed] == [
        entry.enrolment.participant_id]
    assert changed.get().changes["minutes"] == ["30", "45"]
    # The confidential note's text never reaches the trail, old or new.
    assert "Vertraulich" not in audit_values(changed)
    assert "Neuer vertraulicher" not in audit_values(changed)


@pytest.mark.django_db
def test_a_coaching_entry_is_removed_after_one_question(client, coach, entry):
    client.force_login(coach.user)
    question = client.get(entry_url("individual_remove", entry)).content.decode()
    assert "06.03.2025" in question and "Eintrag entfernen" in question

    response = client.post(entry_url("individual_remove", entry), follow=True)

    assert "Einzelgespräch mit" in response.content.decode()
    with scope(jobcenter=entry.jobcenter):
        assert not IndividualSession.objects.exists()
    removed = LogEntry.objects.get(content_type__model="individualsession",
                                   action=LogEntry.Action.DELETE)
    assert removed.additional_data["participant"] == entry.enrolment.participant_id
    assert removed.actor_id == coach.user.pk
    assert "Vertraulich" not in audit_values([removed])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["fellow_coach", "other_coach", "employer_service",
                                  "jc_admin"])
def test_others_may_not_edit_or_remove_a_coaching_entry(request, client, entry, role):
    if role in ("fellow_coach", "other_coach"):
        member = MembershipFactory(jobcenter=entry.jobcenter)
        cohort = (entry.enrolment.cohort if role == "fellow_coach"
                  else CohortFactory(programme__jobcenter=entry.jobcenter))
        CohortCoachFactory(cohort=cohort, user=member.user, is_lead=False)
    else:
        member = request.getfixturevalue(role)
    client.force_login(member.user)
    for name in ("individual_update", "individual_remove"):
        assert client.get(entry_url(name, entry)).status_code in (403, 404)
    assert client.post(entry_url("individual_update", entry), {
        "held_on": "07.03.2025", "minutes": "45", "channel": "video"}).status_code in (403, 404)
    assert client.post(entry_url("individual_remove", entry)).status_code in (403, 404)
    with scope(jobcenter=entry.jobcenter):
        entry.refresh_from_db()
    assert (entry.minutes, entry.confidential_note) == (30, NOTE)
    if role == "fellow_coach":  # sees the log, but no correction of a colleague's entry
        log = reverse("coaching:individual", kwargs={"jc": "jc-a", "pk": entry.enrolment_id})
        assert entry_url("individual_update", entry) not in client.get(log).content.decode()
