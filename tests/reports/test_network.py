from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from reports.models import Network
from reports.network import shown_count, shown_rate
from reports.services import snapshot_compute
from tests.factories import CohortFactory, EnrolmentFactory, IntegrationFactory, UserFactory

START = timezone.localdate() - timedelta(days=60)


def jobcenter_with(jobcenter, people, integrated):
    cohort = CohortFactory(programme__jobcenter=jobcenter, planned_start=START)
    for i in range(people):
        enrolment = EnrolmentFactory(cohort=cohort, joined_on=START,
                                     participant__last_name=f"Geheim{i}")
        if i < integrated:
            IntegrationFactory(enrolment=enrolment, start_on=START + timedelta(days=10))
    with scope(jobcenter=jobcenter):
        snapshot_compute(jobcenter=jobcenter, as_of=timezone.localdate())


@pytest.fixture
def network(jobcenter_a, jobcenter_b):
    network = Network.objects.create(name="Netz Nord", slug="nord")
    network.jobcenters.set([jobcenter_a, jobcenter_b])
    return network


def test_small_counts_and_rates_are_suppressed():
    assert [shown_count(n) for n in (0, 1, 2, 3)] == [0, "<3", "<3", 3]
    assert shown_rate(0.5, 9) == "n<10" and shown_rate(0.5, 10) == 0.5


@pytest.mark.django_db
def test_analysts_compare_aggregates_with_suppression_and_a_median(client, network,
                                                                   jobcenter_a, jobcenter_b):
    jobcenter_with(jobcenter_a, 20, 10)
    jobcenter_with(jobcenter_b, 2, 1)
    analyst = UserFactory()
    network.analysts.add(analyst)
    client.force_login(analyst)
    response = client.get(reverse("network", kwargs={"slug": "nord"}))
    html = response.content.decode()
    rows = {r["jobcenter"].code: r for r in response.context["rows"]}
    assert rows["jc-a"]["entrants"] == 20 and rows["jc-a"]["rates"]["integration_rate"] == 0.5
    assert rows["jc-b"]["entrants"] == "<3"
    assert rows["jc-b"]["rates"]["integration_rate"] == "n<10"
    assert response.context["medians"]["integration_rate"] == 0.5
    assert "n&lt;10" in html and "Geheim" not in html


@pytest.mark.django_db
def test_only_the_networks_analysts_get_in(client, network, team_lead):
    client.force_login(team_lead.user)
    assert client.get(reverse("network", kwargs={"slug": "nord"})).status_code == 404
