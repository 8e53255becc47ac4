from datetime import date

from django.db import transaction

from jobcenters.models import Jobcenter

from .models import Cohort


@transaction.atomic
def cohort_statuses_refresh(*, jobcenter: Jobcenter, today: date) -> int:
    """Move planned and running cohorts along by their dates; cancelled ones stay.

    Returns the number of cohorts changed.
    """
    cohorts = Cohort.objects.for_jobcenter(jobcenter)
    moving = (Cohort.Status.PLANNED, Cohort.Status.RUNNING)
    changed = cohorts.filter(status__in=moving, planned_end__lt=today).update(
        status=Cohort.Status.FINISHED
    )
    changed += cohorts.filter(
        status=Cohort.Status.PLANNED, planned_start__lte=today, planned_end__gte=today
    ).update(status=Cohort.Status.RUNNING)
    return changed
