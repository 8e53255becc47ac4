"""The task base: every jobcenter task runs in its jobcenter's scope, in German, with retries."""

import time

import pytest
from celery import shared_task
from django.db import OperationalError
from django.utils import translation

from jobcenters.models import Site
from jobcenters.tasks import JobcenterTask, fan_out
from tests.factories import SiteFactory

calls = []


@shared_task(base=JobcenterTask)
def probe(*, jobcenter, fail_times=0):
    calls.append(jobcenter.code)
    if len(calls) <= fail_times:
        raise OperationalError("the database restarts")
    return {"jobcenter": jobcenter.code, "language": translation.get_language(),
            "sites": sorted(Site.objects.values_list("name", flat=True))}


@pytest.fixture(autouse=True)
def _fresh_calls():
    calls.clear()


@pytest.mark.django_db
def test_a_task_sees_only_its_jobcenter_and_speaks_german(jobcenter_a, jobcenter_b):
    SiteFactory(jobcenter=jobcenter_a, name="Mitte")
    SiteFactory(jobcenter=jobcenter_b, name="Anderswo")
    with translation.override("en"):
        result = probe.delay(jobcenter=jobcenter_a.pk).get()
    assert result == {"jobcenter": "jc-a", "language": "de", "sites": ["Mitte"]}


@pytest.mark.django_db(transaction=True)
def test_passing_database_trouble_is_retried_by_a_real_worker(celery_worker_on_redis,
                                                              jobcenter_a):
    probe.delay(jobcenter=jobcenter_a.pk, fail_times=2)
    deadline = time.monotonic() + 20
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert calls == ["jc-a"] * 3  # failed twice, then done, with the id sent each time


@pytest.mark.django_db
def test_a_jobcenter_removed_meanwhile_is_no_error(jobcenter_a):
    pk = jobcenter_a.pk
    jobcenter_a.delete()
    assert probe.delay(jobcenter=pk).get() is None and calls == []


@pytest.mark.django_db
def test_fan_out_queues_one_task_per_jobcenter(jobcenter_a, jobcenter_b):
    assert fan_out(probe) == 2
    assert sorted(calls) == ["jc-a", "jc-b"]
