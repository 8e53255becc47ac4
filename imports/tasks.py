from celery import shared_task

from jobcenters.models import Jobcenter
from jobcenters.tasks import JobcenterTask

from . import services

# A list of 10 000 rows takes minutes; the project's default limits are for short tasks.
LIMITS = {"soft_time_limit": 1800, "time_limit": 1900}


@shared_task(bind=True, base=JobcenterTask, **LIMITS)
def import_check_task(self, *, jobcenter: Jobcenter, run_id: int) -> bool:
    """The dry run of an uploaded list: the preview."""
    try:
        return services.run_check(run_id=run_id) is not None
    except Exception as error:
        services.run_failed(run_id=run_id, error=error, retrying=self.will_retry(error))
        raise


@shared_task(bind=True, base=JobcenterTask, **LIMITS)
def import_write_task(self, *, jobcenter: Jobcenter, run_id: int) -> bool:
    """The confirmed import, all or nothing."""
    try:
        return services.run_write(run_id=run_id) is not None
    except Exception as error:
        services.run_failed(run_id=run_id, error=error, retrying=self.will_retry(error))
        raise
