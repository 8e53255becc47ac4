"""Report snapshots and the jobs that refresh them."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_scopes import scopes_disabled
from kombu.exceptions import OperationalError as BrokerError

from jobcenters.models import Jobcenter
from participants.models import Enrolment

from .engine import counters_by_jobcenter, period_counters, population
from .models import ReportJob, ReportSnapshot
from .packing import pack

log = logging.getLogger(__name__)


def _enqueue(job: ReportJob, countdown: float = 0):
    """Hand the job to the broker; if it is unreachable the job stays queued for the sweeper."""
    from .tasks import snapshot_refresh_task

    try:
        snapshot_refresh_task.apply_async(kwargs={"jobcenter": job.jobcenter_id,
                                                  "job_id": job.pk}, countdown=countdown)
    except BrokerError:
        log.warning("broker unreachable: report job %s stays queued for the sweeper", job.pk)


def refresh_request(*, jobcenter: Jobcenter, by=None, countdown: float = 0) -> ReportJob:
    """Ask for a fresh snapshot; joins a refresh that is already waiting or running (a
    running one is followed by another if data changed meanwhile: `job_run`)."""
    try:
        with transaction.atomic():
            job = ReportJob.objects.filter(jobcenter=jobcenter,
                                           status__in=ReportJob.PENDING).first()
            if job is None:
                job = ReportJob.objects.create(jobcenter=jobcenter, requested_by=by)
                transaction.on_commit(lambda: _enqueue(job, countdown))
    except IntegrityError:  # a concurrent request created it first
        job = ReportJob.objects.get(jobcenter=jobcenter, status__in=ReportJob.PENDING)
    return job


def refresh_after_change(jobcenter_ids: set[int]) -> None:
    """A save was committed: one refresh per jobcenter, a moment later, so that the saves of
    the next second join it (`REPORT_REFRESH_DELAY`). With tasks in process (the embedded
    default) nothing happens here: opening the dashboard refreshes it."""
    from werkakademie.celery import app

    if app.conf.task_always_eager:
        return
    with scopes_disabled():  # by id, whichever jobcenter the committing code was in
        for jobcenter in Jobcenter.objects.filter(pk__in=jobcenter_ids):
            refresh_request(jobcenter=jobcenter, countdown=settings.REPORT_REFRESH_DELAY)


def snapshot_keep_current(*, jobcenter: Jobcenter) -> None:
    """Someone looks at the figures: a missing or outdated snapshot is refreshed now, not
    at the sweeper's next round; with tasks in process (the embedded default) that happens
    before the page is shown. After a failed refresh it waits for someone to try again."""
    latest = ReportJob.objects.filter(jobcenter=jobcenter).order_by("-requested_at").first()
    if latest is not None and (latest.is_pending or latest.status == ReportJob.Status.FAILED):
        return
    snapshot = ReportSnapshot.objects.filter(jobcenter=jobcenter).defer("payload").first()
    if snapshot is None or snapshot.is_outdated(jobcenter):
        refresh_request(jobcenter=jobcenter)


def snapshot_compute(*, jobcenter: Jobcenter, as_of: date) -> ReportSnapshot:
    """Compute and store the jobcenter's counters as of D (the one current snapshot)."""
    version = Jobcenter.objects.filter(pk=jobcenter.pk).values_list(
        "data_version", flat=True).get()  # read first: a write during the run marks it outdated
    counters = period_counters(population(jobcenter), as_of)
    snapshot, _ = ReportSnapshot.objects.update_or_create(
        jobcenter=jobcenter,
        defaults={"as_of": as_of, "computed_at": timezone.now(), "data_version": version,
                  "payload": pack(counters)},
    )
    return snapshot


# Snapshots written per statement by the refresh of all jobcenters (each some 200 KB).
SNAPSHOT_BATCH = 20


def snapshots_compute_all(*, as_of: date, stored=None) -> int:
    """Every jobcenter's snapshot as of D from one pass of the engine over all their data
    (the nightly refresh and `refresh_reports`): its statements run once, not once per
    jobcenter. `stored(jobcenter, number, total)` is told of each snapshot written."""
    with scopes_disabled():  # across jobcenters: counters only, no person's data leaves
        # Versions read first: a write during the run marks that snapshot outdated.
        jobcenters = list(Jobcenter.objects.order_by("code"))
        by_jobcenter = counters_by_jobcenter(Enrolment.objects.all(), as_of)
        now = timezone.now()
        # Written in a few statements (one per batch), replacing each current snapshot.
        for start in range(0, len(jobcenters), SNAPSHOT_BATCH):
            batch = jobcenters[start:start + SNAPSHOT_BATCH]
            ReportSnapshot.objects.bulk_create(
                [ReportSnapshot(jobcenter=jobcenter, as_of=as_of, computed_at=now,
                                data_version=jobcenter.data_version,
                                payload=pack(by_jobcenter.get(jobcenter.pk, {})))
                 for jobcenter in batch],
                update_conflicts=True, unique_fields=["jobcenter"],
                update_fields=["as_of", "computed_at", "data_version", "payload"])
            if stored is not None:
                for number, jobcenter in enumerate(batch, start=start + 1):
                    stored(jobcenter, number, len(jobcenters))
    return len(jobcenters)


def job_run(*, job_id: int) -> bool:
    """Run a refresh job; False if another delivery holds it or it is done already.

    The job row stays locked while the counters are computed, so two deliveries never
    compute at once; if the worker dies, the transaction rolls back, the previous
    snapshot stays in place and the lock is gone, which is how the sweeper knows.
    """
    ReportJob.objects.filter(pk=job_id, status__in=(ReportJob.Status.QUEUED,
                                                    ReportJob.Status.FAILED)).update(
        status=ReportJob.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1,
        error="")
    with transaction.atomic():
        # of=("self",): lock only the job row, not the jobcenter row that every writer bumps.
        job = (ReportJob.objects.select_for_update(skip_locked=True, of=("self",))
               .select_related("jobcenter")
               .filter(pk=job_id).exclude(status=ReportJob.Status.DONE).first())
        if job is None:
            return False
        snapshot = snapshot_compute(jobcenter=job.jobcenter, as_of=timezone.localdate())
        job.status = ReportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
    # A save during the computation joined this job but is not in its figures: once more.
    if snapshot.is_outdated(Jobcenter.objects.get(pk=job.jobcenter_id)):
        refresh_request(jobcenter=job.jobcenter, countdown=settings.REPORT_REFRESH_DELAY)
    return True


def job_failed(job_id: int, error: Exception, *, retrying: bool = False):
    """Recorded on the job (no personal data in the message). A job that will be retried
    stays queued, so the page keeps following it; a final failure is shown with a retry
    button."""
    status = ReportJob.Status.QUEUED if retrying else ReportJob.Status.FAILED
    ReportJob.objects.filter(pk=job_id).exclude(status=ReportJob.Status.DONE).update(
        status=status, finished_at=None if retrying else timezone.now(),
        error=type(error).__name__[:300])


def sweep() -> int:
    """Request refreshes for outdated or missing snapshots; re-send jobs left behind.

    This is what makes a lost enqueue (Redis down) or a dead worker harmless: every write
    bumps the data version, and the next sweep notices. Returns the number of jobs sent.
    """
    now = timezone.now()
    waiting = list(ReportJob.objects.filter(
        status=ReportJob.Status.QUEUED,
        requested_at__lt=now - timedelta(seconds=settings.REPORT_JOB_STALE_AFTER),
    ))
    with transaction.atomic():
        # A live worker holds its job's row lock for the whole computation (job_run), and
        # the database drops the lock the moment that worker's connection dies: a running
        # job whose row can be locked has nobody computing it. The grace covers the instant
        # between taking the job and locking it.
        orphaned = list(ReportJob.objects.select_for_update(skip_locked=True).filter(
            status=ReportJob.Status.RUNNING,
            started_at__lt=now - timedelta(seconds=settings.REPORT_JOB_TAKE_GRACE),
        ))
        ReportJob.objects.filter(pk__in=[job.pk for job in orphaned]).update(
            status=ReportJob.Status.QUEUED)
    for job in waiting + orphaned:
        _enqueue(job)
    count = len(waiting) + len(orphaned)
    pending = ReportJob.objects.filter(status__in=ReportJob.PENDING).values("jobcenter")
    outdated = Jobcenter.objects.exclude(pk__in=pending).exclude(
        pk__in=ReportSnapshot.objects.filter(data_version__gte=F("jobcenter__data_version"))
        .values("jobcenter"))
    for jobcenter in outdated:
        refresh_request(jobcenter=jobcenter)
        count += 1
    return count
