from datetime import date, timedelta

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, QuerySet, Subquery

from jobcenters.permissions import Data, Perm
from participants.models import Enrolment

from .matching import name_key, town_key
from .models import (
    CLOSED_STAGES,
    Application,
    Employer,
    EmployerActivity,
    FollowUp,
    Vacancy,
)

# How far ahead the lists of due follow-ups look.
FOLLOWUP_HORIZON = timedelta(days=14)


def _count(queryset: QuerySet) -> Subquery:
    """A correlated count: one subquery per figure, no join that multiplies rows."""
    return Subquery(
        queryset.filter(employer=OuterRef("pk")).order_by().values("employer")
        .annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def employer_list(membership) -> QuerySet:
    """The employers the member sees with their open vacancies, hires, open applications and
    last contact, in one query."""
    return Employer.objects.visible_to(membership).annotate(
        open_vacancies=_count(Vacancy.objects.filter(status=Vacancy.Status.OPEN)),
        hires=_count(Application.objects.filter(stage=Application.Stage.HIRED)),
        open_applications=_count(Application.objects.exclude(stage__in=CLOSED_STAGES)),
        last_contact=Subquery(
            EmployerActivity.objects.filter(employer=OuterRef("pk")).order_by()
            .values("employer").annotate(last=Max("happened_on")).values("last")
        ),
    ).order_by("name", "town")


def open_vacancies(membership) -> QuerySet:
    return (Vacancy.objects.visible_to(membership).filter(status=Vacancy.Status.OPEN)
            .select_related("employer").order_by("starts_on", "title"))


def cohort_applications(cohort, membership) -> QuerySet:
    return (Application.objects.visible_to(membership).filter(enrolment__cohort=cohort)
            .select_related("enrolment__participant", "employer", "vacancy")
            .order_by("-stage_changed_on", "pk"))




def proposal_candidates(cohort, membership) -> QuerySet:
    """Whom the member may propose to an employer: the cohort's current participants, known
    by name and group only (the reach table's "for a proposal")."""
    return (Enrolment.objects.visible_to(membership, Data.CANDIDATES)
            .filter(cohort=cohort, joined_on__isnull=False, exit_on__isnull=True)
            .select_related("participant")
            .only("cohort_id", "jobcenter_id", "participant__first_name",
                  "participant__last_name")
            .order_by("participant__last_name", "participant__first_name"))


def employer_duplicates(*, jobcenter, name: str, town: str, exclude=None) -> list[Employer]:
    """Employers of the jobcenter with the same name (see matching.py) in the same town."""
    candidates = Employer.objects.filter(jobcenter=jobcenter, name_key=name_key(name))
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    return [e for e in candidates if town_key(e.town) == town_key(town)]


def applications_of(membership, **where) -> QuerySet:
    """The applications the member sees to one employer or for one vacancy, newest step
    first (`employer=…` or `vacancy=…`)."""
    return (Application.objects.visible_to(membership).filter(**where)
            .select_related("enrolment__participant", "enrolment__cohort", "vacancy")
            .order_by("-stage_changed_on"))


def next_steps_due(membership, *, by) -> QuerySet:
    """Activities whose next step is due by that day (overdue ones included) and still open:
    not marked done, and no later contact with the same employer. The later contact closes
    it here, in the reading, so that contacts recorded before this rule, by the import or
    in the admin close their predecessors too."""
    later_contact = EmployerActivity.objects.filter(
        employer=OuterRef("employer"), happened_on__gt=OuterRef("happened_on"))
    return (EmployerActivity.objects.visible_to(membership)
            .filter(next_step_due_on__isnull=False, next_step_due_on__lte=by,
                    next_step_done_on__isnull=True)
            .exclude(next_step="").exclude(Exists(later_contact))
            .select_related("employer", "by")
            .order_by("next_step_due_on", "pk"))


def due_followups(enrolments: QuerySet, until: date) -> QuerySet:
    """Follow-ups of these enrolments due by `until` and not yet answered."""
    return (
        FollowUp.objects.filter(
            integration__enrolment__in=enrolments.values("pk"), due_on__lte=until,
            still_employed="",
        )
        .select_related("integration__enrolment__participant", "integration__enrolment__cohort",
                        "integration__employer")
        .order_by("due_on")
    )


def cohort_followups_due(membership, enrolments: QuerySet, today: date) -> QuerySet | None:
    """The box of due follow-ups above a cohort's participants, for those who record them."""
    if not membership.can(Perm.RECORD_SESSIONS):
        return None
    return due_followups(enrolments, today + FOLLOWUP_HORIZON)
