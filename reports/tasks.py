from celery import shared_task
from django.db import DatabaseError
from django_scopes import scope, scopes_disabled
from kombu.exceptions import OperationalError as BrokerError

from jobcenters.models import Jobcenter

from . import services
from .models import ReportJob

MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def snapshot_refresh_task(self, job_id: int) -> bool:
    job = ReportJob.objects.with_scopes_disabled().select_related("jobcenter").filter(
        pk=job_id).first()
    if job is None:
        return False
    with scope(jobcenter=job.jobcenter):
        try:
            return services.job_run(job_id)
        except (DatabaseError, BrokerError) as error:
            retrying = self.request.retries < self.max_retries
            services.job_failed(job_id, error, retrying=retrying)
            # Database or broker trouble passes: retry with backoff (1 s, 2 s, 4 s, …).
            raise self.retry(exc=error, countdown=min(2 ** self.request.retries, 300)) from error
        except Exception as error:
            services.job_failed(job_id, error)
            raise


@shared_task(acks_late=True)
def report_refresh_all() -> int:
    """Nightly: one refresh job (and task) per jobcenter."""
    jobcenters = list(Jobcenter.objects.all())
    for jobcenter in jobcenters:
        with scope(jobcenter=jobcenter):
            services.refresh_request(jobcenter=jobcenter)
    return len(jobcenters)


@shared_task(acks_late=True)
def report_sweep() -> int:
    # The sweeper looks across all jobcenters at versions and job states, no social data.
    with scopes_disabled():
        return services.sweep()
