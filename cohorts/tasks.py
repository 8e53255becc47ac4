from datetime import date

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone
from django_scopes import scope
from kombu.exceptions import OperationalError as BrokerError

from jobcenters.models import Jobcenter

from .services import cohort_statuses_refresh

RETRY = {
    "autoretry_for": (DatabaseError, BrokerError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(**RETRY)
def cohort_statuses_refresh_task(jobcenter_id: int, today: str | None = None) -> int:
    jobcenter = Jobcenter.objects.get(pk=jobcenter_id)
    day = timezone.localdate() if today is None else date.fromisoformat(today)
    with scope(jobcenter=jobcenter):
        return cohort_statuses_refresh(jobcenter=jobcenter, today=day)


@shared_task(**RETRY)
def cohort_statuses_refresh_all() -> int:
    """Nightly: one task per jobcenter, so one jobcenter's failure does not stop the rest."""
    ids = list(Jobcenter.objects.values_list("pk", flat=True))
    for jobcenter_id in ids:
        cohort_statuses_refresh_task.delay(jobcenter_id)
    return len(ids)
