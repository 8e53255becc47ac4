from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scope

from tests.factories import (
    CohortCoachFactory,
    CohortFactory,
    ProgrammeFactory,
    SiteFactory,
    UserFactory,
)


@pytest.mark.django_db
def test_cohort_codes_are_unique_within_a_jobcenter_only(jobcenter_a, jobcenter_b):
    CohortFactory(programme__jobcenter=jobcenter_a, code="WA-2025-01")
    CohortFactory(programme__jobcenter=jobcenter_b, code="WA-2025-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        CohortFactory(programme__jobcenter=jobcenter_a, code="WA-2025-01")


@pytest.mark.django_db
def test_a_cohort_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        CohortFactory(planned_start=date(2025, 3, 3), planned_end=date(2025, 3, 2))


@pytest.mark.django_db
def test_a_cohort_has_room_for_someone():
    with pytest.raises(IntegrityError), transaction.atomic():
        CohortFactory(capacity=0)


@pytest.mark.django_db
def test_a_cohort_cannot_use_another_jobcenters_site(jobcenter_a, jobcenter_b):
    with pytest.raises(ValidationError, match="anderen Jobcenter"):
        CohortFactory(
            programme=ProgrammeFactory(jobcenter=jobcenter_a),
            site=SiteFactory(jobcenter=jobcenter_b),
        )


@pytest.mark.django_db
def test_the_cohort_constraints_validate_with_a_readable_message():
    cohort = CohortFactory.build(
        programme=ProgrammeFactory(), planned_start=date(2025, 3, 3), planned_end=date(2025, 1, 1)
    )
    cohort.site = SiteFactory(jobcenter=cohort.programme.jobcenter)
    cohort.jobcenter = cohort.programme.jobcenter
    with scope(jobcenter=cohort.jobcenter), pytest.raises(ValidationError) as error:
        cohort.full_clean()
    assert "Das Ende darf nicht vor dem Beginn liegen." in str(error.value)


@pytest.mark.django_db
def test_only_staff_of_the_jobcenter_can_coach_its_cohorts(coach, outsider):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter)
    CohortCoachFactory(cohort=cohort, user=coach.user)
    with pytest.raises(ValidationError, match="nicht zu den Mitarbeitenden dieses Jobcenters"):
        CohortCoachFactory(cohort=cohort, user=outsider.user)
    with pytest.raises(ValidationError):
        CohortCoachFactory(cohort=cohort, user=UserFactory())


@pytest.mark.django_db
def test_a_coach_is_assigned_to_a_cohort_once(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter)
    CohortCoachFactory(cohort=cohort, user=coach.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        CohortCoachFactory(cohort=cohort, user=coach.user)
