from celery import shared_task
from django.utils import timezone
from django_scopes import scope

from jobcenters.models import Jobcenter

from .retention import anonymise_due


@shared_task(acks_late=True)
def retention_run_all() -> int:
    """Nightly: anonymise whoever is due, jobcenter by jobcenter."""
    today, now, total = timezone.localdate(), timezone.now(), 0
    for jobcenter in Jobcenter.objects.all():
        with scope(jobcenter=jobcenter):
            total += anonymise_due(jobcenter=jobcenter, today=today, now=now)
    return total
