from celery import shared_task
from django.utils import timezone

from jobcenters.models import Jobcenter
from jobcenters.tasks import JobcenterTask, fan_out

from .retention import anonymise_due


@shared_task(base=JobcenterTask)
def retention_run_task(*, jobcenter: Jobcenter) -> int:
    """Anonymise whoever in this jobcenter is due today; returns how many."""
    return anonymise_due(jobcenter=jobcenter, today=timezone.localdate(), now=timezone.now())


@shared_task(acks_late=True)
def retention_run_all() -> int:
    """Nightly: one task per jobcenter."""
    return fan_out(retention_run_task)
