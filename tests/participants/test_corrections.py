"""An exit recorded by mistake is withdrawn; the exit form chooses nothing for the user and
refuses a dropout reason without a dropout; enrolling into a planned cohort assigns the
person without a start, and the places count everyone assigned."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from jobcenters.models import Jobcenter
from participants.models import Enrolment
from participants.selectors import choice_token
from reports.services import snapshot_compute
from tests.factories import (
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    MembershipFactory,
    ParticipantFactory,
)

START = date(2025, 3, 3)


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START,
                           planned_end=START + timedelta(days=41))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


@pytest.fixture
def exited(cohort):
    return EnrolmentFactory(cohort=cohort, joined_on=START, exit_on=START + timedelta(days=9),
                            exit_reason="dropout", dropout_reason="health",
                            participant__last_name="Öztürk")


def url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


@pytest.mark.django_db
def test_the_exit_form_preselects_no_reason(client, coach, cohort):
    enrolment = EnrolmentFactory(cohort=cohort, joined_on=START)
    client.force_login(coach.user)
    response = client.get(url("participants:exit", pk=enrolment.pk))
    html = response.content.decode()
    assert '<option value="" selected>– bitte wählen –</option>' in html
    assert "selected>reguläres Ende" not in html
    # Sent without a reason: asked for one, nothing saved.
    response = client.post(url("participants:exit", pk=enrolment.pk), {"exit_on": "14.03.2025"})
    assert response.status_code == 200 and "exit_reason" in response.context["form"].errors
    with scope(jobcenter=cohort.jobcenter):
        enrolment.refresh_from_db()
    assert enrolment.exit_on is None


@pytest.mark.django_db
def test_a_regular_end_with_a_dropout_reason_is_refused_next_to_the_field(client, coach,
                                                                          cohort):
    enrolment = EnrolmentFactory(cohort=cohort, joined_on=START)
    client.force_login(coach.user)
    response = client.post(url("participants:exit", pk=enrolment.pk), {
        "exit_on": "14.03.2025", "exit_reason": "completed", "dropout_reason": "health"})
    assert response.status_code == 200
    message = "Ein Abbruchgrund ist nur bei einem Abbruch möglich."
    assert response.context["form"].errors["dropout_reason"] == [message]
    assert message in response.content.decode()
    with scope(jobcenter=cohort.jobcenter):
        enrolment.refresh_from_db()
    assert (enrolment.exit_on, enrolment.exit_reason) == (None, "")


@pytest.mark.django_db
def test_an_exit_is_withdrawn_after_one_question(client, coach, exited):
    client.force_login(coach.user)
    form = client.get(url("participants:exit", pk=exited.pk)).content.decode()
    withdraw = url("participants:exit_withdraw", pk=exited.pk)
    assert withdraw in form and "Austritt zurücknehmen" in form
    assert "12.03.2025" in client.get(withdraw).content.decode()
    with scope(jobcenter=exited.jobcenter):
        before = snapshot_compute(jobcenter=exited.jobcenter, as_of=START + timedelta(days=60))
        assert before.counters != {}

    response = client.post(withdraw, follow=True)

    assert "zurückgenommen" in response.content.decode()
    assert response.redirect_chain[-1][0] == url("participants:cohort", pk=exited.cohort_id)
    with scope(jobcenter=exited.jobcenter):
        exited.refresh_from_db()
    assert (exited.exit_on, exited.exit_reason, exited.dropout_reason) == (None, "", "")
    entry = LogEntry.objects.filter(content_type__model="enrolment",
                                    action=LogEntry.Action.UPDATE).get()
    assert entry.additional_data["participant"] == exited.participant_id
    assert entry.actor_id == coach.user.pk
    assert entry.changes["exit_reason"] == ["dropout", ""]
    assert before.is_outdated(Jobcenter.objects.get(pk=exited.jobcenter_id))
    # Without an exit there is nothing to withdraw: back to the exit form.
    again = client.get(withdraw)
    assert again.status_code == 302 and again["Location"] == url("participants:exit",
                                                                  pk=exited.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employer_service", "jc_admin", "other_coach"])
def test_others_may_not_withdraw_an_exit(request, client, exited, role):
    if role == "other_coach":
        member = MembershipFactory(jobcenter=exited.jobcenter)
        CohortCoachFactory(cohort=CohortFactory(programme__jobcenter=exited.jobcenter),
                           user=member.user)
    else:
        member = request.getfixturevalue(role)
    client.force_login(member.user)
    withdraw = url("participants:exit_withdraw", pk=exited.pk)
    assert client.get(withdraw).status_code in (403, 404)
    assert client.post(withdraw).status_code in (403, 404)
    with scope(jobcenter=exited.jobcenter):
        exited.refresh_from_db()
    assert exited.exit_reason == "dropout"


@pytest.fixture
def planned(coach):
    start = timezone.localdate() + timedelta(days=14)
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=start,
                           planned_end=start + timedelta(days=41), status="planned",
                           capacity=3)
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


@pytest.mark.django_db
def test_enrolling_into_a_planned_cohort_assigns_without_a_start(client, coach, planned):
    person = ParticipantFactory(jobcenter=planned.jobcenter, last_name="Jäger")
    client.force_login(coach.user)
    page = f"{url('participants:enrol', pk=planned.pk)}?participant={choice_token(person)}"
    form = client.get(page).context["form"]
    assert form.initial["assigned_on"] == timezone.localdate()
    assert form.initial["joined_on"] is None
    client.post(page, {"assigned_on": timezone.localdate().strftime("%d.%m.%Y"),
                       "joined_on": "", "info_event_on": "", "cooperation_plan_on": "",
                       "cooperation_plan_review_on": "", "notes": ""})
    with scope(jobcenter=planned.jobcenter):
        enrolment = Enrolment.objects.get(participant=person)
    assert (enrolment.assigned_on, enrolment.joined_on) == (timezone.localdate(), None)
    html = client.get(url("participants:cohort", pk=planned.pk)).content.decode()
    assert "zugewiesen" in html and ">aktiv<" not in html


@pytest.mark.django_db
def test_enrolling_into_a_running_cohort_starts_today(client, coach):
    start = timezone.localdate() - timedelta(days=7)
    running = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=start,
                            planned_end=start + timedelta(days=41))
    CohortCoachFactory(cohort=running, user=coach.user)
    person = ParticipantFactory(jobcenter=running.jobcenter)
    client.force_login(coach.user)
    page = f"{url('participants:enrol', pk=running.pk)}?participant={choice_token(person)}"
    assert client.get(page).context["form"].initial["joined_on"] == timezone.localdate()


@pytest.mark.django_db
def test_the_places_count_everyone_assigned_and_warn_past_the_capacity(client, coach,
                                                                       planned):
    EnrolmentFactory(cohort=planned, joined_on=None)  # assigned, not started
    EnrolmentFactory(cohort=planned, joined_on=None)
    EnrolmentFactory(cohort=planned, joined_on=None, exit_on=timezone.localdate(),
                     exit_reason="other")  # exited before the start: no place
    client.force_login(coach.user)
    header = client.get(url("participants:cohort", pk=planned.pk)).content.decode()
    assert "2 / 3" in header and "überbelegt" not in header

    for name in ("Jacobs", "Jung"):  # the third place, then one over
        person = ParticipantFactory(jobcenter=planned.jobcenter, last_name=name)
        page = f"{url('participants:enrol', pk=planned.pk)}?participant={choice_token(person)}"
        response = client.post(page, {"assigned_on": "", "joined_on": "", "info_event_on": "",
                                      "cooperation_plan_on": "",
                                      "cooperation_plan_review_on": "", "notes": ""}, follow=True)
    html = response.content.decode()
    assert "Die Gruppe ist jetzt überbelegt: 4 von 3 Plätzen." in html
    assert "4 / 3" in html and "überbelegt</span>" in html
    with scope(jobcenter=planned.jobcenter):
        assert planned.enrolments.count() == 5  # warned, not refused
    listed = client.get(url("cohorts:list")).content.decode()
    assert "4 / 3" in listed
