from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scope

from cohorts.models import Cohort
from tests.factories import CohortCoachFactory, CohortFactory, ProgrammeFactory, SiteFactory


@pytest.mark.django_db
def test_a_team_lead_creates_a_cohort_with_the_programmes_defaults(client, team_lead, coach):
    with scope(jobcenter=coach.jobcenter):
        programme = ProgrammeFactory(jobcenter=team_lead.jobcenter, default_length_days=42,
                                     default_capacity=16)
        site = SiteFactory(jobcenter=team_lead.jobcenter)
        client.force_login(team_lead.user)
        response = client.post(reverse("cohorts:create", kwargs={"jc": "jc-a"}), {
            "programme": programme.pk, "site": site.pk, "code": "WA-2025-07",
            "planned_start": "07.07.2025", "planned_end": "", "capacity": "", "status": "planned",
            "focus": "", "coaches": [coach.user.pk], "lead": "", "notes": ""})
        cohort = Cohort.objects.get()
        assert response["Location"] == reverse("participants:cohort",
                                               kwargs={"jc": "jc-a", "pk": cohort.pk})
        assert (cohort.planned_end, cohort.capacity) == (date(2025, 8, 17), 16)
        assert cohort.cohort_coaches.get().user == coach.user


@pytest.mark.django_db
def test_a_duplicate_code_is_shown_in_the_form(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        existing = CohortFactory(programme__jobcenter=team_lead.jobcenter, code="WA-1")
        client.force_login(team_lead.user)
        response = client.post(reverse("cohorts:create", kwargs={"jc": "jc-a"}), {
            "programme": existing.programme.pk, "site": existing.site.pk, "code": "WA-1",
            "planned_start": "07.07.2025", "status": "planned"})
        assert response.status_code == 200
        assert Cohort.objects.count() == 1


@pytest.mark.django_db
def test_coaches_cannot_create_cohorts(client, coach):
    client.force_login(coach.user)
    assert client.get(reverse("cohorts:create", kwargs={"jc": "jc-a"})).status_code == 403


@pytest.mark.django_db
def test_filters_stay_in_the_url_and_narrow_the_list(client, team_lead):
    mitte = SiteFactory(jobcenter=team_lead.jobcenter, name="Mitte")
    CohortFactory(programme__jobcenter=team_lead.jobcenter, site=mitte, code="IN-MITTE",
                  status="running")
    CohortFactory(programme__jobcenter=team_lead.jobcenter, code="ANDERSWO", status="running")
    CohortFactory(programme__jobcenter=team_lead.jobcenter, site=mitte, code="ALT-MITTE",
                  status="finished")
    client.force_login(team_lead.user)
    html = client.get(reverse("cohorts:list", kwargs={"jc": "jc-a"}),
                      {"site": mitte.pk, "status": "running"}).content.decode()
    assert "IN-MITTE" in html and "ANDERSWO" not in html and "ALT-MITTE" not in html


@pytest.mark.django_db
def test_a_coach_sees_only_their_cohorts_and_no_coach_filter(client, coach):
    mine = CohortFactory(programme__jobcenter=coach.jobcenter, code="MEINE")
    CohortCoachFactory(cohort=mine, user=coach.user)
    CohortFactory(programme__jobcenter=coach.jobcenter, code="FREMDE")
    client.force_login(coach.user)
    html = client.get(reverse("cohorts:list", kwargs={"jc": "jc-a"})).content.decode()
    assert "MEINE" in html and "FREMDE" not in html
    assert 'name="coach"' not in html
