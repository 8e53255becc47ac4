"""The retention period: 6 to 120 months; a change first shows how many people the next
run would anonymise, is saved on confirmation and is in the audit trail."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jobcenters.audit import jobcenter_trail
from jobcenters.models import Jobcenter
from tests.factories import CohortFactory, EnrolmentFactory

RANGE = "Bitte wählen Sie eine Aufbewahrungsfrist von 6 bis 120 Monaten."


def page():
    return reverse("privacy:retention_settings", kwargs={"jc": "jc-a"})


def retention_entries(jobcenter):
    return jobcenter_trail(jobcenter).filter(
        content_type=ContentType.objects.get_for_model(Jobcenter),
        action=LogEntry.Action.UPDATE)


@pytest.fixture
def ended(jobcenter_a):
    """Two people whose last enrolment ended 30 and 50 months ago, one a month ago."""
    today = timezone.localdate()
    people = []
    for months in (30, 50, 1):
        end = today - timedelta(days=months * 31)
        cohort = CohortFactory(programme__jobcenter=jobcenter_a,
                               planned_start=end - timedelta(days=41), planned_end=end)
        people.append(EnrolmentFactory(cohort=cohort, exit_on=end,
                                       exit_reason="completed").participant)
    return people


@pytest.mark.django_db
@pytest.mark.parametrize("months", ["0", "5", "121", "-1"])
def test_a_period_outside_6_to_120_months_is_refused_in_german(client, jc_admin, months):
    client.force_login(jc_admin.user)
    for data in ({"retention_months": months},
                 {"retention_months": months, "confirmed": "on"}):
        response = client.post(page(), data)
        assert response.status_code == 200
        assert RANGE in response.content.decode()
    jc_admin.jobcenter.refresh_from_db()
    assert jc_admin.jobcenter.retention_months == 36
    assert not retention_entries(jc_admin.jobcenter).exists()


@pytest.mark.django_db
def test_a_change_first_shows_who_would_be_anonymised_and_is_saved_on_confirmation(
    client, jc_admin, ended
):
    jobcenter = jc_admin.jobcenter
    client.force_login(jc_admin.user)
    assert client.get(page()).status_code == 200

    response = client.post(page(), {"retention_months": "24"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "von 36 auf 24 Monate ändern?" in html
    assert "anonymisiert der nächste Lauf (heute Nacht) 2 Personen" in html
    assert 'name="confirmed" value="on"' in html
    jobcenter.refresh_from_db()
    assert jobcenter.retention_months == 36  # nothing saved yet
    assert not retention_entries(jobcenter).exists()

    response = client.post(page(), {"retention_months": "24", "confirmed": "on"})
    assert response.status_code == 302
    jobcenter.refresh_from_db()
    assert jobcenter.retention_months == 24
    entry = retention_entries(jobcenter).get()
    assert entry.changes_dict == {"retention_months": ["36", "24"]}
    assert entry.actor == jc_admin.user
    assert entry.additional_data == {"jobcenter": jobcenter.pk}


@pytest.mark.django_db
def test_the_count_is_for_the_new_period(client, jc_admin, ended):
    client.force_login(jc_admin.user)
    html = client.post(page(), {"retention_months": "48"}).content.decode()
    assert "anonymisiert der nächste Lauf (heute Nacht) 1 Person," in html
    html = client.post(page(), {"retention_months": "120"}).content.decode()
    assert "anonymisiert der nächste Lauf (heute Nacht) 0 Personen" in html


@pytest.mark.django_db
def test_the_same_period_again_changes_nothing(client, jc_admin):
    client.force_login(jc_admin.user)
    response = client.post(page(), {"retention_months": "36"}, follow=True)
    assert "unverändert" in response.content.decode()
    assert not retention_entries(jc_admin.jobcenter).exists()


@pytest.mark.django_db
def test_only_the_admin_sets_the_period(client, team_lead, coach):
    for member, reads in ((team_lead, 200), (coach, 403)):
        client.force_login(member.user)
        assert client.get(page()).status_code == reads  # DESIGN.md: the team lead reads it
        assert client.post(page(), {"retention_months": "24",
                                    "confirmed": "on"}).status_code == 403
    team_lead.jobcenter.refresh_from_db()
    assert team_lead.jobcenter.retention_months == 36


@pytest.mark.django_db
@pytest.mark.parametrize("months", [0, 5, 121])
def test_the_database_refuses_a_period_outside_the_range(jobcenter_a, months):
    with pytest.raises(IntegrityError), transaction.atomic():
        Jobcenter.objects.filter(pk=jobcenter_a.pk).update(retention_months=months)
