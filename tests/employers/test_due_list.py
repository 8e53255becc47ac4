"""The employer service's "Diese Woche fällig": a next step leaves it when marked done or when
a newer contact with the same employer is recorded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from employers.models import EmployerActivity
from jobcenters.permissions import Role
from tests.factories import EmployerActivityFactory, EmployerFactory, MembershipFactory


def url(name, jc="jc-a", **kwargs):
    return reverse(name, kwargs={"jc": jc, **kwargs})


def overdue_step(membership, employer=None, **fields):
    """A call a month ago whose next step was due a week ago."""
    today = timezone.localdate()
    employer = employer or EmployerFactory(jobcenter=membership.jobcenter, name="Bäckerei Kaya")
    return EmployerActivityFactory(**{
        "employer": employer, "by": membership.user, "happened_on": today - timedelta(days=30),
        "next_step": "Stellenprofil nachfragen", "next_step_due_on": today - timedelta(days=7),
        **fields})


@pytest.mark.django_db
def test_marking_a_next_step_done_removes_it_from_the_due_list(client, employer_service):
    activity = overdue_step(employer_service)
    client.force_login(employer_service.user)
    page = client.get(url("employers:due")).content.decode()
    assert "Stellenprofil nachfragen" in page
    assert url("employers:activity_done", pk=activity.pk) in page

    response = client.post(url("employers:activity_done", pk=activity.pk), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url("employers:due")
    assert "als erledigt markiert" in page  # the message names what was done
    assert "Diese Woche ist nichts fällig." in page
    with scope(jobcenter=employer_service.jobcenter):
        activity.refresh_from_db()
    assert activity.next_step_done_on == timezone.localdate()
    assert activity.next_step_done_by == employer_service.user
    page = client.get(url("employers:due")).content.decode()  # the message is gone now
    assert "Stellenprofil nachfragen" not in page


@pytest.mark.django_db
def test_a_newer_contact_closes_the_older_next_step(client, employer_service):
    older = overdue_step(employer_service)
    other_employer = overdue_step(employer_service, next_step="Termin vereinbaren",
                                  employer=EmployerFactory(jobcenter=employer_service.jobcenter,
                                                           name="Dück Logistik"))
    client.force_login(employer_service.user)
    # The employer service calls the Bäckerei again today, through the form.
    response = client.post(url("employers:activity_create", pk=older.employer_id), {
        "kind": EmployerActivity.Kind.CALL, "happened_on": timezone.localdate().strftime(
            "%d.%m.%Y"), "outcome": "Stelle ist besetzt.", "next_step": "",
        "next_step_due_on": "", "cohort": ""})
    assert response.status_code == 302

    page = client.get(url("employers:due")).content.decode()
    assert "Stellenprofil nachfragen" not in page
    assert "Termin vereinbaren" in page  # another employer's step stays
    assert other_employer.employer.name in page


@pytest.mark.django_db
def test_the_newer_contacts_own_next_step_is_due(client, employer_service):
    older = overdue_step(employer_service)
    today = timezone.localdate()
    EmployerActivityFactory(employer=older.employer, by=employer_service.user,
                            happened_on=today - timedelta(days=2),
                            next_step="Vertrag zusenden", next_step_due_on=today)
    client.force_login(employer_service.user)
    page = client.get(url("employers:due")).content.decode()
    assert "Vertrag zusenden" in page
    assert "Stellenprofil nachfragen" not in page


@pytest.mark.django_db
def test_only_who_manages_employers_marks_done(client, employer_service, coach, team_lead,
                                               jc_admin):
    activity = overdue_step(employer_service)
    client.force_login(coach.user)
    page = client.get(url("employers:due")).content.decode()
    assert "Stellenprofil nachfragen" in page  # coaches read the list
    assert url("employers:activity_done", pk=activity.pk) not in page
    assert client.post(url("employers:activity_done", pk=activity.pk)).status_code == 403
    client.force_login(jc_admin.user)
    assert client.post(url("employers:activity_done", pk=activity.pk)).status_code == 403
    with scope(jobcenter=employer_service.jobcenter):
        activity.refresh_from_db()
    assert activity.next_step_done_on is None

    client.force_login(team_lead.user)
    assert client.post(url("employers:activity_done", pk=activity.pk)).status_code == 302


@pytest.mark.django_db
def test_the_employer_service_of_another_jobcenter_gets_404(client, employer_service,
                                                              jobcenter_b):
    activity = overdue_step(employer_service)
    stranger = MembershipFactory(jobcenter=jobcenter_b, role=Role.EMPLOYER_SERVICE)
    client.force_login(stranger.user)
    assert client.post(url("employers:activity_done", jc="jc-b",
                           pk=activity.pk)).status_code == 404
    assert client.post(url("employers:activity_done", pk=activity.pk)).status_code == 404
    with scope(jobcenter=employer_service.jobcenter):
        activity.refresh_from_db()
    assert activity.next_step_done_on is None


@pytest.mark.django_db
def test_done_is_only_a_post(client, employer_service):
    activity = overdue_step(employer_service)
    client.force_login(employer_service.user)
    assert client.get(url("employers:activity_done", pk=activity.pk)).status_code == 405
