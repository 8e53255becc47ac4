"""This app's part of an enrolment's timeline on the person's page: the group sessions,
as a summary (a 42-day course has some 30 of them) with the dates of the missed ones."""

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from jobcenters.permissions import Data, reaches

from .models import Attendance

Status = Attendance.Status
ATTENDED = (Status.PRESENT, Status.LATE)
MISSED = (Status.EXCUSED, Status.UNEXCUSED)


def enrolment_sessions(enrolments: QuerySet, membership) -> QuerySet:
    """Per enrolment: sessions recorded, attended, late, excused, unexcused, the first and
    last session's date (annotations, in the enrolments' own query), and the missed
    sessions with their dates (`missed_sessions`, one prefetch for all enrolments)."""
    if not reaches(membership.role, Data.ATTENDANCE):
        return enrolments
    seen = Attendance.objects.visible_to(membership).filter(enrolment=OuterRef("pk")).order_by()

    def counted(*statuses):
        rows = seen.filter(status__in=statuses) if statuses else seen
        return Coalesce(Subquery(rows.values("enrolment").annotate(n=Count("pk")).values("n"),
                                 output_field=IntegerField()), 0)

    def day(aggregate):
        return Subquery(seen.values("enrolment").annotate(day=aggregate("session__held_on"))
                        .values("day"))

    missed = (Attendance.objects.visible_to(membership).filter(status__in=MISSED)
              .select_related("session").order_by("session__held_on"))
    return enrolments.annotate(
        sessions_recorded=counted(), sessions_attended=counted(*ATTENDED),
        sessions_late=counted(Status.LATE), sessions_excused=counted(Status.EXCUSED),
        sessions_unexcused=counted(Status.UNEXCUSED),
        sessions_first=day(Min), sessions_last=day(Max),
    ).prefetch_related(Prefetch("attendances", queryset=missed, to_attr="missed_sessions"))
