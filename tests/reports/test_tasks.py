import threading
import time
from datetime import date

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from participants.services import enrolment_exit
from reports import services
from reports.engine import daily_counters, population
from reports.models import ReportJob, ReportSnapshot
from reports.rollup import report
from reports.tasks import report_refresh_all, report_sweep
from tests.conftest import broker_at, closed_port, require
from tests.factories import CohortFactory, EnrolmentFactory, IntegrationFactory


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def data(jobcenter_a):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=date(2025, 3, 3))
    for i in range(6):
        enrolment = EnrolmentFactory(cohort=cohort)
        if i % 2:
            IntegrationFactory(enrolment=enrolment, start_on=date(2025, 4, 1))
    return cohort


def snapshot_totals(jobcenter):
    with scope(jobcenter=jobcenter):
        return report(ReportSnapshot.objects.get(jobcenter=jobcenter).counters)["totals"]


def direct_totals(jobcenter):
    with scope(jobcenter=jobcenter):
        return report(daily_counters(population(jobcenter), timezone.localdate()))["totals"]


def status_of(job) -> str:
    with scope(jobcenter=job.jobcenter):
        return ReportJob.objects.get(pk=job.pk).status


def request_refresh(jobcenter, django_capture_on_commit_callbacks):
    with scope(jobcenter=jobcenter), django_capture_on_commit_callbacks(execute=True):
        return services.refresh_request(jobcenter=jobcenter)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_refreshes_the_snapshot_to_the_direct_figures(
    celery_worker_on_redis, data, jobcenter_a
):
    with scope(jobcenter=jobcenter_a):
        job = services.refresh_request(jobcenter=jobcenter_a)
    assert wait_for(lambda: status_of(job) == "done")
    totals = snapshot_totals(jobcenter_a)
    assert totals == direct_totals(jobcenter_a)
    assert totals["entrants"] == 6 and totals["integrated"] == 3


@pytest.mark.django_db(transaction=True)
def test_a_refresh_that_fails_once_is_retried_and_succeeds(
    celery_worker_on_redis, data, jobcenter_a, monkeypatch
):
    real = services.snapshot_compute
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("connection lost")
        return real(**kwargs)

    monkeypatch.setattr(services, "snapshot_compute", flaky)
    with scope(jobcenter=jobcenter_a):
        job = services.refresh_request(jobcenter=jobcenter_a)
    seen = []

    def done():
        seen.append(status_of(job))
        return seen[-1] == "done"

    assert wait_for(done)
    with scope(jobcenter=jobcenter_a):
        job.refresh_from_db()
        assert len(calls) == 2 and job.attempts == 2
        # While the retry waits, the page keeps following the job instead of showing a failure.
        assert "failed" not in seen
        assert ReportSnapshot.objects.filter(jobcenter=jobcenter_a).exists()


@pytest.mark.django_db
def test_refreshing_twice_leaves_one_current_snapshot(data, jobcenter_a,
                                                      django_capture_on_commit_callbacks):
    first = request_refresh(jobcenter_a, django_capture_on_commit_callbacks)
    second = request_refresh(jobcenter_a, django_capture_on_commit_callbacks)
    assert first.pk != second.pk
    with scope(jobcenter=jobcenter_a):
        assert ReportSnapshot.objects.filter(jobcenter=jobcenter_a).count() == 1
        assert set(ReportJob.objects.values_list("status", flat=True)) == {"done"}


@pytest.mark.django_db
def test_a_request_joins_the_refresh_already_waiting(data, jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        first = services.refresh_request(jobcenter=jobcenter_a)
        assert services.refresh_request(jobcenter=jobcenter_a) == first
        assert ReportJob.objects.count() == 1


@pytest.mark.django_db
def test_a_done_job_is_not_computed_again(data, jobcenter_a,
                                          django_capture_on_commit_callbacks):
    job = request_refresh(jobcenter_a, django_capture_on_commit_callbacks)
    with scope(jobcenter=jobcenter_a):
        assert services.job_run(job_id=job.pk) is False


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_saving_works_and_the_sweeper_catches_up_later(
    data, jobcenter_a, settings
):
    with scope(jobcenter=jobcenter_a):
        services.snapshot_compute(jobcenter=jobcenter_a, as_of=timezone.localdate())
        enrolment = data.enrolments.filter(integrations__isnull=True).first()
        with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
            started = time.monotonic()
            enrolment_exit(enrolment=enrolment, exit_on=date(2025, 3, 20),
                           exit_reason="dropout", dropout_reason="health")
            job = services.refresh_request(jobcenter=jobcenter_a)
            assert time.monotonic() - started < 10  # a dead broker never hangs a request
        jobcenter_a.refresh_from_db()
        snapshot = ReportSnapshot.objects.get(jobcenter=jobcenter_a)
        assert snapshot.is_outdated(jobcenter_a)
        assert ReportJob.objects.get(pk=job.pk).status == "queued"

    # The broker is back (tasks in process here; with Redis in the next test): the sweep
    # re-enqueues the job that waited too long, and nobody pressed a button.
    settings.REPORT_JOB_STALE_AFTER = 0
    report_sweep.delay()
    jobcenter_a.refresh_from_db()
    with scope(jobcenter=jobcenter_a):
        snapshot = ReportSnapshot.objects.get(jobcenter=jobcenter_a)
    assert not snapshot.is_outdated(jobcenter_a)
    assert snapshot_totals(jobcenter_a)["dropped_out"] == 1


@pytest.mark.django_db(transaction=True)
def test_the_sweeper_on_a_real_worker_refreshes_an_outdated_snapshot(
    celery_worker_on_redis, data, jobcenter_a
):
    with scope(jobcenter=jobcenter_a):
        services.snapshot_compute(jobcenter=jobcenter_a, as_of=timezone.localdate())
        data.enrolments.update(notes="geändert")  # a write after the snapshot
    report_sweep.delay()

    def current():
        with scope(jobcenter=jobcenter_a):
            return not ReportSnapshot.objects.get(jobcenter=jobcenter_a).is_outdated(
                type(jobcenter_a).objects.get(pk=jobcenter_a.pk))

    assert wait_for(current)


@pytest.mark.django_db
def test_the_nightly_refresh_covers_every_jobcenter(data, jobcenter_a, jobcenter_b,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert report_refresh_all.delay().get() == 2
    # Looks across jobcenters: one snapshot each.
    with scopes_disabled():
        assert ReportSnapshot.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_writers_are_not_held_up_by_a_running_refresh(data, jobcenter_a, monkeypatch):
    require(connection.vendor == "postgresql", "row locks are PostgreSQL's")
    computing, finish = threading.Event(), threading.Event()

    compute = services.snapshot_compute

    def slow(**kwargs):
        computing.set()
        finish.wait(10)
        return compute(**kwargs)

    monkeypatch.setattr(services, "snapshot_compute", slow)
    with scope(jobcenter=jobcenter_a):
        job = ReportJob.objects.create(jobcenter=jobcenter_a)

    def run():
        try:
            with scope(jobcenter=jobcenter_a):
                services.job_run(job_id=job.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    try:
        assert computing.wait(10)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
            with scope(jobcenter=jobcenter_a):
                data.enrolments.update(notes="geändert")  # bumps the data version
    finally:
        finish.set()
        worker.join(10)
    assert status_of(job) == "done"


def unlocked(job) -> bool:
    with transaction.atomic(), scope(jobcenter=job.jobcenter):
        return ReportJob.objects.select_for_update(skip_locked=True).filter(pk=job.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_is_taken_up_by_the_next_sweep_a_live_one_is_left(
    data, jobcenter_a, jobcenter_b, monkeypatch, settings
):
    require(connection.vendor == "postgresql", "row locks are PostgreSQL's")
    settings.REPORT_JOB_TAKE_GRACE = 0
    computing = {jobcenter_a.pk: threading.Event(), jobcenter_b.pk: threading.Event()}
    finish, backends = threading.Event(), {}
    compute = services.snapshot_compute

    def slow_in_workers(*, jobcenter, as_of):
        if threading.current_thread() is threading.main_thread():
            return compute(jobcenter=jobcenter, as_of=as_of)  # the sweep's own delivery
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backends[jobcenter.pk] = cursor.fetchone()[0]
        computing[jobcenter.pk].set()
        finish.wait(20)
        return compute(jobcenter=jobcenter, as_of=as_of)

    monkeypatch.setattr(services, "snapshot_compute", slow_in_workers)
    jobs = {jc.pk: ReportJob.objects.create(jobcenter=jc) for jc in (jobcenter_a, jobcenter_b)}

    def worker(jobcenter):
        try:
            with scope(jobcenter=jobcenter):
                services.job_run(job_id=jobs[jobcenter.pk].pk)
        except OperationalError:
            pass  # the worker whose connection was cut
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(jc,)) for jc in (jobcenter_a, jobcenter_b)]
    for thread in threads:
        thread.start()
    try:
        assert all(event.wait(10) for event in computing.values())
        with connection.cursor() as cursor:  # A's worker dies: its connection ends
            cursor.execute("SELECT pg_terminate_backend(%s)", [backends[jobcenter_a.pk]])
        assert wait_for(lambda: unlocked(jobs[jobcenter_a.pk]), timeout=5)
        assert report_sweep.delay().get() == 1
        assert status_of(jobs[jobcenter_a.pk]) == "done"
        assert status_of(jobs[jobcenter_b.pk]) == "running"
    finally:
        finish.set()
        for thread in threads:
            thread.join(10)
    assert snapshot_totals(jobcenter_a) == direct_totals(jobcenter_a)
    assert status_of(jobs[jobcenter_b.pk]) == "done"


def snapshot_current(jobcenter) -> bool:
    with scope(jobcenter=jobcenter):
        snapshot = ReportSnapshot.objects.filter(jobcenter=jobcenter).first()
        return snapshot is not None and not snapshot.is_outdated(
            type(jobcenter).objects.get(pk=jobcenter.pk))


@pytest.mark.django_db(transaction=True)
def test_a_save_refreshes_the_figures_within_seconds_and_two_saves_cause_one_refresh(
    celery_worker_on_redis, data, jobcenter_a
):
    assert wait_for(lambda: snapshot_current(jobcenter_a), timeout=10)  # the fixture's rows
    with scope(jobcenter=jobcenter_a):
        before = ReportJob.objects.filter(jobcenter=jobcenter_a).count()
        first, second = data.enrolments.filter(integrations__isnull=True)[:2]
        started = time.monotonic()
        enrolment_exit(enrolment=first, exit_on=date(2025, 3, 20), exit_reason="dropout",
                       dropout_reason="health")
        enrolment_exit(enrolment=second, exit_on=date(2025, 3, 21), exit_reason="dropout",
                       dropout_reason="family")
    assert wait_for(lambda: snapshot_current(jobcenter_a), timeout=10)
    assert time.monotonic() - started < 5
    assert snapshot_totals(jobcenter_a)["dropped_out"] == 2
    with scope(jobcenter=jobcenter_a):
        assert ReportJob.objects.filter(jobcenter=jobcenter_a).count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_save_during_a_refresh_is_followed_by_one_more(
    celery_worker_on_redis, data, jobcenter_a, monkeypatch
):
    assert wait_for(lambda: snapshot_current(jobcenter_a), timeout=10)
    real, computing = services.snapshot_compute, threading.Event()

    def slow(**kwargs):
        snapshot = real(**kwargs)
        computing.set()
        time.sleep(1.5)  # the save below lands while this refresh still runs
        return snapshot

    monkeypatch.setattr(services, "snapshot_compute", slow)
    with scope(jobcenter=jobcenter_a):
        enrolment = data.enrolments.filter(integrations__isnull=True).first()
        enrolment_exit(enrolment=enrolment, exit_on=date(2025, 3, 20), exit_reason="dropout",
                       dropout_reason="health")
        assert computing.wait(10)
        enrolment.participant.notes = "später"
        enrolment.participant.save()
    assert wait_for(lambda: snapshot_current(jobcenter_a), timeout=15)
    with scope(jobcenter=jobcenter_a):
        assert not ReportJob.objects.filter(jobcenter=jobcenter_a,
                                            status__in=ReportJob.PENDING).exists()
