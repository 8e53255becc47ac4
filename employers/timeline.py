"""This app's parts of an enrolment's timeline on the person's page: the applications
(employer, stage, date) during the course, the job start and its follow-ups after it."""

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Application, ApplicationStep, FollowUp, Integration


def enrolment_applications(enrolments: QuerySet, membership) -> QuerySet:
    """The applications the member reaches, oldest first (`timeline_applications`), each
    dated by its first step: the day the person applied or was proposed (`applied_on`)."""
    first_step = (ApplicationStep.objects.filter(application=OuterRef("pk"))
                  .order_by("moved_on", "pk").values("moved_on")[:1])
    applications = (Application.objects.visible_to(membership)
                    .annotate(applied_on=Coalesce(Subquery(first_step), F("stage_changed_on")))
                    .select_related("employer", "vacancy").order_by("applied_on", "pk"))
    return enrolments.prefetch_related(
        Prefetch("applications", queryset=applications, to_attr="timeline_applications"))


def enrolment_job_starts(enrolments: QuerySet, membership) -> QuerySet:
    """The job starts with their employer and follow-ups, as far as the member reaches them
    (the employer service: the job start, not the follow-ups)."""
    job_starts = (Integration.objects.visible_to(membership).select_related("employer")
                  .order_by("start_on", "pk"))
    followups = FollowUp.objects.visible_to(membership).order_by("due_month")
    return enrolments.prefetch_related(
        Prefetch("integrations", queryset=job_starts),
        Prefetch("integrations__followups", queryset=followups))
