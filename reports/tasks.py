from celery import shared_task
from django_scopes import scopes_disabled

from jobcenters.models import Jobcenter
from jobcenters.tasks import JobcenterTask, fan_out

from . import services


@shared_task(bind=True, base=JobcenterTask)
def snapshot_refresh_task(self, *, jobcenter: Jobcenter, job_id: int) -> bool:
    try:
        return services.job_run(job_id=job_id)
    except Exception as error:
        # Recorded on the job: "waiting" while it will be retried, "failed" once it will not.
        services.job_failed(job_id, error, retrying=self.will_retry(error))
        raise


@shared_task(base=JobcenterTask)
def report_refresh_task(*, jobcenter: Jobcenter) -> int:
    return services.refresh_request(jobcenter=jobcenter).pk


@shared_task(acks_late=True)
def report_refresh_all() -> int:
    """Nightly: one refresh job (and task) per jobcenter."""
    return fan_out(report_refresh_task)


@shared_task(acks_late=True)
def report_sweep() -> int:
    # The sweeper looks across all jobcenters at versions and job states, no social data.
    with scopes_disabled():
        return services.sweep()
