import time
from datetime import date

import pytest
from django_scopes import scope, scopes_disabled

from cohorts.models import Cohort
from cohorts.tasks import cohort_statuses_refresh_all, cohort_statuses_refresh_task
from tests.factories import CohortFactory


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def status_of(cohort) -> str:
    with scope(jobcenter=cohort.jobcenter):
        return Cohort.objects.get(pk=cohort.pk).status


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_updates_the_cohort_statuses(celery_worker_on_redis, jobcenter_a):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=date(2025, 3, 1),
                           planned_end=date(2025, 4, 11), status=Cohort.Status.PLANNED)

    cohort_statuses_refresh_task.delay(jobcenter=jobcenter_a.pk, today="2025-03-03")

    assert wait_for(lambda: status_of(cohort) == "running")


@pytest.mark.django_db
def test_the_nightly_task_fans_out_one_task_per_jobcenter(jobcenter_a, jobcenter_b):
    finished = [
        CohortFactory(programme__jobcenter=jc, planned_start=date(2020, 1, 6),
                      planned_end=date(2020, 2, 14), status=Cohort.Status.RUNNING)
        for jc in (jobcenter_a, jobcenter_b)
    ]
    assert cohort_statuses_refresh_all.delay().get() == 2
    # Looks across jobcenters: each one's cohort was refreshed.
    with scopes_disabled():
        assert {Cohort.objects.get(pk=c.pk).status for c in finished} == {"finished"}
