from datetime import date

import pytest
from django_scopes import scope, scopes_disabled

from cohorts.models import Cohort
from cohorts.services import cohort_statuses_refresh
from tests.factories import CohortFactory


@pytest.mark.django_db
def test_cohort_statuses_follow_the_calendar(jobcenter_a, jobcenter_b):
    with scope(jobcenter=jobcenter_a):
        def cohort(start, end, status, jobcenter=jobcenter_a):
            return CohortFactory(programme__jobcenter=jobcenter, planned_start=start,
                                 planned_end=end, status=status)

        starting = cohort(date(2025, 3, 1), date(2025, 4, 11), Cohort.Status.PLANNED)
        ending = cohort(date(2025, 1, 6), date(2025, 2, 28), Cohort.Status.RUNNING)
        skipped = cohort(date(2025, 1, 6), date(2025, 2, 14), Cohort.Status.PLANNED)
        future = cohort(date(2025, 4, 1), date(2025, 5, 1), Cohort.Status.PLANNED)
        cancelled = cohort(date(2025, 1, 6), date(2025, 2, 14), Cohort.Status.CANCELLED)
        elsewhere = cohort(date(2025, 1, 6), date(2025, 2, 14), Cohort.Status.RUNNING, jobcenter_b)

        changed = cohort_statuses_refresh(jobcenter=jobcenter_a, today=date(2025, 3, 3))

        assert changed == 3
    # Looks across jobcenters: B's cohort is left as it was.
    with scopes_disabled():
        statuses = {c.pk: Cohort.objects.get(pk=c.pk).status
                    for c in (starting, ending, skipped, future, cancelled, elsewhere)}
        assert statuses == {
            starting.pk: "running", ending.pk: "finished", skipped.pk: "finished",
            future.pk: "planned", cancelled.pk: "cancelled", elsewhere.pk: "running",
        }
