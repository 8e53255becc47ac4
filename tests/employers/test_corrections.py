"""A job start recorded wrongly is edited, or removed with its follow-ups; from the person's
page and from the cohort's row. Each correction is in the audit trail and the reports
notice it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django_scopes import scope

from employers.models import FollowUp, Integration
from employers.services import integration_record
from jobcenters.models import Jobcenter
from reports.engine import daily_counters, population
from reports.services import snapshot_compute
from tests.factories import (
    CohortCoachFactory,
    CohortFactory,
    EmployerFactory,
    EnrolmentFactory,
    MembershipFactory,
)

START = date(2025, 3, 3)
AS_OF = date(2026, 6, 30)


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START,
                           planned_end=START + timedelta(days=41))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


@pytest.fixture
def job_start(cohort):
    enrolment = EnrolmentFactory(cohort=cohort, joined_on=START, participant__last_name="Dück")
    with scope(jobcenter=cohort.jobcenter):
        return integration_record(enrolment=enrolment, kind="employment",
                                  start_on=date(2025, 4, 1),
                                  employer=EmployerFactory(jobcenter=cohort.jobcenter),
                                  weekly_hours=Decimal("30"))


def url(name, job_start, **query):
    address = reverse(name, kwargs={"jc": "jc-a", "pk": job_start.enrolment_id})
    return f"{address}?start={job_start.pk}" if query.get("chosen", True) else address


def integrated(jobcenter) -> int:
    with scope(jobcenter=jobcenter):
        days = daily_counters(population(jobcenter), AS_OF).get("total", {}).get("", {})
        return sum(day.get("integrated", 0) for day in days.values())


def snapshot_of(jobcenter):
    with scope(jobcenter=jobcenter):
        return snapshot_compute(jobcenter=jobcenter, as_of=AS_OF)


def outdated(snapshot) -> bool:
    return snapshot.is_outdated(Jobcenter.objects.get(pk=snapshot.jobcenter_id))


@pytest.mark.django_db
def test_the_cohort_row_offers_to_edit_a_recorded_job_start(client, coach, cohort, job_start):
    client.force_login(coach.user)
    html = client.get(reverse("participants:cohort", kwargs={"jc": "jc-a", "pk": cohort.pk})
                      ).content.decode()
    assert "Arbeitsaufnahme bearbeiten" in html
    assert url("employers:integration_update", job_start, chosen=False) in html
    record = reverse("employers:integration_create",
                     kwargs={"jc": "jc-a", "pk": job_start.enrolment_id})
    assert f'href="{record}"' not in html
    # Without `?start=` the row's button opens the job start that counts.
    form = client.get(url("employers:integration_update", job_start, chosen=False))
    assert form.context["form"].initial["start_on"] == date(2025, 4, 1)


@pytest.mark.django_db
def test_a_job_start_is_edited_and_its_follow_ups_follow(client, coach, cohort, job_start):
    client.force_login(coach.user)
    person = reverse("participants:detail", kwargs={"jc": "jc-a",
                                                    "pk": job_start.enrolment.participant_id})
    page = client.get(person).content.decode()
    edit = url("employers:integration_update", job_start)
    assert edit.replace("&", "&amp;") in page
    before = snapshot_of(cohort.jobcenter)
    other = EmployerFactory(jobcenter=cohort.jobcenter, name="Bäckerei Sommer")

    response = client.post(f"{edit}&next={person}", {
        "kind": "apprenticeship", "start_on": "01.05.2025", "employer": other.pk,
        "weekly_hours": "38.5", "subsidy": "egz"})

    assert response.status_code == 302 and response["Location"] == person
    with scope(jobcenter=cohort.jobcenter):
        job_start.refresh_from_db()
        due = sorted(FollowUp.objects.filter(integration=job_start).values_list("due_on",
                                                                                 flat=True))
    assert (job_start.kind, job_start.start_on, job_start.employer, job_start.subsidy) == (
        "apprenticeship", date(2025, 5, 1), other, "egz")
    assert job_start.weekly_hours == Decimal("38.5")
    assert due == [date(2025, 5, 1) + timedelta(days=183), date(2025, 5, 1) + timedelta(days=365)]
    changed = LogEntry.objects.get(content_type__model="integration",
                                   action=LogEntry.Action.UPDATE)
    assert changed.additional_data["participant"] == job_start.enrolment.participant_id
    assert changed.actor_id == coach.user.pk
    assert outdated(before)


@pytest.mark.django_db
def test_a_minijob_is_no_integration_and_has_no_follow_ups(client, coach, cohort, job_start):
    client.force_login(coach.user)
    assert integrated(cohort.jobcenter) == 1
    client.post(url("employers:integration_update", job_start), {
        "kind": "minijob", "start_on": "01.04.2025", "employer": job_start.employer_id})
    with scope(jobcenter=cohort.jobcenter):
        assert not FollowUp.objects.exists()
    assert integrated(cohort.jobcenter) == 0  # the recomputed figure follows
    assert LogEntry.objects.filter(content_type__model="followup",
                                   action=LogEntry.Action.DELETE).count() == 2


@pytest.mark.django_db
def test_a_job_start_is_removed_with_its_follow_ups_after_one_question(client, coach, cohort,
                                                                       job_start):
    client.force_login(coach.user)
    remove = url("employers:integration_remove", job_start)
    question = client.get(remove).content.decode()
    assert "2 Nachhaltigkeitsabfragen werden mit entfernt." in question
    before = snapshot_of(cohort.jobcenter)

    response = client.post(remove, follow=True)

    assert response.redirect_chain[-1][0] == reverse("participants:cohort",
                                                     kwargs={"jc": "jc-a", "pk": cohort.pk})
    assert "entfernt" in response.content.decode()
    with scope(jobcenter=cohort.jobcenter):
        assert not Integration.objects.exists() and not FollowUp.objects.exists()
    removed = LogEntry.objects.filter(action=LogEntry.Action.DELETE)
    assert {(e.content_type.model, e.additional_data["participant"]) for e in removed} == {
        ("integration", job_start.enrolment.participant_id),
        ("followup", job_start.enrolment.participant_id)}
    assert outdated(before) and integrated(cohort.jobcenter) == 0
    # The row offers to record a job start again.
    html = client.get(reverse("participants:cohort", kwargs={"jc": "jc-a", "pk": cohort.pk})
                      ).content.decode()
    assert "Arbeitsaufnahme bearbeiten" not in html


@pytest.mark.django_db
def test_a_job_start_of_another_enrolment_is_not_found(client, coach, cohort, job_start):
    client.force_login(coach.user)
    other = EnrolmentFactory(cohort=cohort, joined_on=START)
    address = reverse("employers:integration_update", kwargs={"jc": "jc-a", "pk": other.pk})
    assert client.get(f"{address}?start={job_start.pk}").status_code == 404
    assert client.get(address).status_code == 404  # no job start recorded
    assert client.get(f"{address}?start=x").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employer_service", "jc_admin", "other_coach"])
def test_others_may_not_edit_or_remove_a_job_start(request, client, job_start, role):
    if role == "other_coach":
        member = MembershipFactory(jobcenter=job_start.jobcenter)
        CohortCoachFactory(cohort=CohortFactory(programme__jobcenter=job_start.jobcenter),
                           user=member.user)
    else:
        member = request.getfixturevalue(role)
    client.force_login(member.user)
    for name in ("employers:integration_update", "employers:integration_remove"):
        assert client.get(url(name, job_start)).status_code in (403, 404)
    assert client.post(url("employers:integration_update", job_start), {
        "kind": "minijob", "start_on": "01.04.2025"}).status_code in (403, 404)
    assert client.post(url("employers:integration_remove", job_start)).status_code in (403, 404)
    with scope(jobcenter=job_start.jobcenter):
        job_start.refresh_from_db()
        assert job_start.kind == "employment" and FollowUp.objects.count() == 2
