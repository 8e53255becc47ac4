from datetime import date

import pytest
from django_scopes import scope

from cohorts.services import cohort_save, programme_for_name
from tests.factories import MembershipFactory, ProgrammeFactory, SiteFactory


@pytest.mark.django_db
def test_the_programme_fills_an_empty_end_and_capacity(coach, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        programme = ProgrammeFactory(jobcenter=jobcenter_a, default_length_days=42,
                                     default_capacity=9)
        cohort = cohort_save(programme=programme, site=SiteFactory(jobcenter=jobcenter_a),
                               code="JA-01", planned_start=date(2025, 3, 3), planned_end=None,
                               capacity=None, coaches=[coach.user])
        assert (cohort.planned_end, cohort.capacity) == (date(2025, 4, 13), 9)
        assert [(c.user, c.is_lead) for c in cohort.cohort_coaches.all()] == [(coach.user, True)]


@pytest.mark.django_db
def test_changing_the_coaches_keeps_one_lead(coach, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        other = MembershipFactory(jobcenter=jobcenter_a).user
        programme = ProgrammeFactory(jobcenter=jobcenter_a)
        cohort = cohort_save(programme=programme, site=SiteFactory(jobcenter=jobcenter_a),
                               code="WA-01", planned_start=date(2025, 3, 3), coaches=[coach.user])
        cohort_save(cohort=cohort, programme=programme, site=cohort.site, code="WA-01",
                      planned_start=date(2025, 3, 3), planned_end=date(2025, 4, 11), capacity=16,
                      coaches=[coach.user], lead=other)
        assert {(c.user, c.is_lead) for c in cohort.cohort_coaches.all()} == {
            (coach.user, False), (other, True)}


@pytest.mark.django_db
def test_programme_names_are_matched_ignoring_case(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        first = programme_for_name(jobcenter=jobcenter_a, name="Jobclub")
        assert programme_for_name(jobcenter=jobcenter_a, name=" JOBCLUB ") == first


@pytest.mark.django_db
def test_creating_and_changing_a_cohort_marks_the_reports_outdated(coach, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        programme = ProgrammeFactory(jobcenter=jobcenter_a)

        def version():
            jobcenter_a.refresh_from_db()
            return jobcenter_a.data_version

        site, other_site = SiteFactory(jobcenter=jobcenter_a), SiteFactory(jobcenter=jobcenter_a)
        before = version()
        cohort = cohort_save(programme=programme, site=site,
                               code="WA-01", planned_start=date(2025, 3, 3), coaches=[coach.user])
        assert version() == before + 1
        cohort_save(cohort=cohort, programme=programme, site=other_site,
                      code="WA-01", planned_start=date(2025, 3, 3), planned_end=date(2025, 4, 11),
                      capacity=16, coaches=[coach.user])
        assert version() == before + 2
