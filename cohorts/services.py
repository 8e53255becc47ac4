from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from jobcenters.models import Jobcenter, Site, User
from jobcenters.services import catalogue_row_save, named_for

from .models import Cohort, CohortCoach, Programme


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


def _assign_coaches(cohort: Cohort, coaches, lead):
    coaches = list(coaches)
    if lead is not None and lead not in coaches:
        coaches.insert(0, lead)
    if lead is None and coaches:
        lead = coaches[0]
    cohort.cohort_coaches.exclude(user__in=coaches).delete()
    current = {cc.user_id: cc for cc in cohort.cohort_coaches.all()}
    for user in coaches:
        link = current.get(user.pk) or CohortCoach(jobcenter=cohort.jobcenter, cohort=cohort,
                                                   user=user)
        link.is_lead = user == lead
        link.save()


def status_by_dates(start: date, end: date, today: date) -> str:
    if end < today:
        return Cohort.Status.FINISHED
    if start <= today:
        return Cohort.Status.RUNNING
    return Cohort.Status.PLANNED


@transaction.atomic
def cohort_save(*, programme: Programme, cohort: Cohort | None = None, site: Site, code: str,
                planned_start: date, planned_end: date | None = None,
                capacity: int | None = None, status: str = "", focus: str = "",
                is_homogeneous: bool = False, notes: str = "", coaches: Iterable[User] = (),
                lead: User | None = None) -> Cohort:
    """Create or change a cohort. An empty end date and capacity come from the programme's
    defaults; a new cohort without a status gets the one its dates give."""
    if planned_end is None:
        planned_end = planned_start + timedelta(days=programme.default_length_days - 1)
    if not status and cohort is None:
        status = status_by_dates(planned_start, planned_end, timezone.localdate())
    cohort = cohort or Cohort(jobcenter=programme.jobcenter)
    cohort.programme, cohort.site, cohort.code = programme, site, code
    cohort.planned_start, cohort.planned_end = planned_start, planned_end
    cohort.capacity = capacity or programme.default_capacity
    cohort.status = status or cohort.status
    cohort.focus, cohort.is_homogeneous, cohort.notes = focus, is_homogeneous, notes
    cohort.full_clean()
    cohort.save()
    _assign_coaches(cohort, coaches, lead)
    return cohort


def programme_for_name(*, jobcenter: Jobcenter, name: str) -> Programme:
    return named_for(Programme, jobcenter=jobcenter, name=name)


@transaction.atomic
def programme_save(*, jobcenter: Jobcenter, programme: Programme | None = None, name: str,
                   default_length_days: int, default_capacity: int,
                   participants_per_coach: int | None, legal_basis: str,
                   absences_in_row: int | None = None, absences_total: int | None = None,
                   is_active: bool = True) -> Programme:
    """Create or change a programme; its absence rule counts unexcused absences in a row
    and in total (None: that part of the rule is off)."""
    return catalogue_row_save(
        programme or Programme(jobcenter=jobcenter), name=name,
        default_length_days=default_length_days, default_capacity=default_capacity,
        participants_per_coach=participants_per_coach, legal_basis=legal_basis,
        absences_in_row=absences_in_row, absences_total=absences_total, is_active=is_active)
