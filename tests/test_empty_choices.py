"""Selects offer their empty choice in words ("alle", "– bitte wählen –"), not "---------"."""

import pytest
from django.urls import reverse

from tests.factories import CohortCoachFactory, CohortFactory

PAGES = [("cohorts:list", False), ("cohorts:create", False), ("employers:list", False),
         ("participants:audit", False), ("coaching:session_create", True),
         ("employers:application_create", True)]


@pytest.mark.django_db
def test_no_select_offers_dashes_as_its_empty_choice(client, team_lead):
    cohort = CohortFactory(programme__jobcenter=team_lead.jobcenter)
    CohortCoachFactory(cohort=cohort)
    client.force_login(team_lead.user)
    for name, per_cohort in PAGES:
        kwargs = {"jc": team_lead.jobcenter.code, **({"pk": cohort.pk} if per_cohort else {})}
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "<select" in html, name
        assert "---------" not in html, name
