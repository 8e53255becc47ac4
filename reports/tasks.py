from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone
from django_scopes import scopes_disabled

from jobcenters.models import Jobcenter
from jobcenters.tasks import JobcenterTask

from . import services


@shared_task(bind=True, base=JobcenterTask)
def snapshot_refresh_task(self, *, jobcenter: Jobcenter, job_id: int) -> bool:
    try:
        return services.job_run(job_id=job_id)
    except Exception as error:
        # Recorded on the job: "waiting" while it will be retried, "failed" once it will not.
        services.job_failed(job_id, error, retrying=self.will_retry(error))
        raise


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=60,
             max_retries=3)
def report_refresh_all() -> int:
    """Nightly: every jobcenter's snapshot from one pass over all data (as
    `refresh_reports` does); a save after it is followed by its own refresh."""
    return services.snapshots_compute_all(as_of=timezone.localdate())


@shared_task(acks_late=True)
def report_sweep() -> int:
    # The sweeper looks across all jobcenters at versions and job states, no social data.
    with scopes_disabled():
        return services.sweep()
