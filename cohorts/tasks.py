from datetime import date

from celery import shared_task
from django.utils import timezone

from jobcenters.models import Jobcenter
from jobcenters.tasks import JobcenterTask, fan_out

from .services import cohort_statuses_refresh


@shared_task(base=JobcenterTask)
def cohort_statuses_refresh_task(*, jobcenter: Jobcenter, today: str | None = None) -> int:
    day = timezone.localdate() if today is None else date.fromisoformat(today)
    return cohort_statuses_refresh(jobcenter=jobcenter, today=day)


@shared_task(acks_late=True)
def cohort_statuses_refresh_all() -> int:
    """Nightly: one task per jobcenter."""
    return fan_out(cohort_statuses_refresh_task)
