""""Heute": a session per running group in one click, every due follow-up in reach, and back
to "Heute" after recording one."""

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scope

from cohorts.models import Cohort
from employers.models import FollowUp
from tests.factories import (
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    FollowUpFactory,
    IntegrationFactory,
)


def url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


@pytest.fixture
def own_cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-2026-05")
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


def due_followups(cohort, n):
    """n follow-ups of the cohort, all overdue."""
    return [FollowUpFactory(integration=IntegrationFactory(
        enrolment=EnrolmentFactory(cohort=cohort), start_on=date(2024, 1, 1 + i)))
        for i in range(n)]


@pytest.mark.django_db
def test_record_session_link_per_running_own_group(client, coach, own_cohort):
    planned = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-2027-01",
                            status=Cohort.Status.PLANNED)
    CohortCoachFactory(cohort=planned, user=coach.user)
    second = CohortFactory(programme__jobcenter=coach.jobcenter, code="JC-DO-2026-04")
    CohortCoachFactory(cohort=second, user=coach.user)
    colleagues = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-2026-06")
    CohortCoachFactory(cohort=colleagues)
    client.force_login(coach.user)

    page = client.get(url("home")).content.decode()

    for cohort in (own_cohort, second):
        assert url("coaching:session_create", pk=cohort.pk) in page
        assert f"Sitzung erfassen<span class=\"text-nowrap\">: {cohort.code}</span>" in page
    assert url("coaching:session_create", pk=planned.pk) not in page  # not begun yet
    assert url("coaching:session_create", pk=colleagues.pk) not in page


@pytest.mark.django_db
def test_the_employer_service_gets_no_record_session_link(client, employer_service):
    cohort = CohortFactory(programme__jobcenter=employer_service.jobcenter)
    client.force_login(employer_service.user)
    page = client.get(url("home")).content.decode()
    assert url("coaching:session_create", pk=cohort.pk) not in page


@pytest.mark.django_db
def test_the_count_of_follow_ups_links_to_all_of_them(client, coach, own_cohort):
    followups = due_followups(own_cohort, 14)
    client.force_login(coach.user)

    page = client.get(url("home")).content.decode()
    shown = [f for f in followups if url("employers:followup", pk=f.pk) in page]
    assert len(shown) == 8
    assert 'href="?followups=all#followups-heading">Alle 14 anzeigen</a>' in page

    page = client.get(url("home") + "?followups=all").content.decode()
    assert all(url("employers:followup", pk=f.pk) in page for f in followups)
    assert "Alle 14 anzeigen" not in page
    assert "Weniger anzeigen" in page


@pytest.mark.django_db
def test_eight_follow_ups_need_no_link(client, coach, own_cohort):
    due_followups(own_cohort, 8)
    client.force_login(coach.user)
    page = client.get(url("home")).content.decode()
    assert "followups=all" not in page


@pytest.mark.django_db
def test_after_recording_a_follow_up_from_heute_the_coach_is_back_on_heute(client, coach,
                                                                         own_cohort):
    followup, = due_followups(own_cohort, 1)
    client.force_login(coach.user)
    page = client.get(url("home")).content.decode()
    link = f'{url("employers:followup", pk=followup.pk)}?next=/jc-a/'
    assert link in page

    form = client.get(link).content.decode()
    assert 'href="/jc-a/">Abbrechen</a>' in form
    response = client.post(link, {"still_employed": "yes", "checked_on": "02.07.2024"})

    assert response.status_code == 302 and response["Location"] == url("home")
    with scope(jobcenter=coach.jobcenter):
        assert FollowUp.objects.get(pk=followup.pk).still_employed == "yes"


@pytest.mark.django_db
def test_a_foreign_next_is_not_followed(client, coach, own_cohort):
    followup, = due_followups(own_cohort, 1)
    client.force_login(coach.user)
    response = client.post(
        url("employers:followup", pk=followup.pk) + "?next=https://evil.example/",
        {"still_employed": "no", "checked_on": "02.07.2024"})
    assert response["Location"] == url("participants:cohort", pk=own_cohort.pk)
