from django.db.models import Count, Q, QuerySet

from participants.models import Enrolment

from .models import Attendance, GroupSession

ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)
# Unexcused absences in a row from which a participant is flagged on the matrix.
UNEXCUSED_STREAK_FLAG = 2


def _with_rates(queryset: QuerySet, path: str) -> QuerySet:
    return queryset.annotate(
        records=Count(path),
        attended=Count(path, filter=Q(**{f"{path}__status__in": ATTENDED})),
        unexcused=Count(path, filter=Q(**{f"{path}__status": Attendance.Status.UNEXCUSED})),
    )


def cohort_sessions(cohort) -> QuerySet:
    """The cohort's sessions with their attendance counts."""
    return _with_rates(
        GroupSession.objects.filter(cohort=cohort).select_related("module"), "attendances"
    ).order_by("held_on", "starts_at", "pk")


def longest_unexcused_streak(statuses: list[str]) -> int:
    longest = current = 0
    for status in statuses:
        current = current + 1 if status == Attendance.Status.UNEXCUSED else 0
        longest = max(longest, current)
    return longest


def attendance_matrix(cohort) -> dict:
    """Participants × sessions with a status per cell where the person was enrolled.

    Three queries whatever the size: sessions and enrolments with their counts, and the
    cohort's attendance records.
    """
    sessions = list(cohort_sessions(cohort))
    enrolments = list(
        _with_rates(
            Enrolment.objects.filter(cohort=cohort, joined_on__isnull=False)
            .select_related("participant"),
            "attendances",
        ).order_by("participant__last_name", "participant__first_name", "pk")
    )
    status = {
        (a["enrolment_id"], a["session_id"]): a["status"]
        for a in Attendance.objects.filter(session__cohort=cohort).values(
            "enrolment_id", "session_id", "status")
    }
    rows = []
    for enrolment in enrolments:
        cells = [
            {"session": s, "status": status.get((enrolment.pk, s.pk)),
             "expected": enrolment.is_enrolled_on(s.held_on)}
            for s in sessions
        ]
        streak = longest_unexcused_streak([c["status"] for c in cells if c["status"]])
        rows.append({"enrolment": enrolment, "cells": cells, "streak": streak,
                     "flagged": streak >= UNEXCUSED_STREAK_FLAG})
    return {"sessions": sessions, "rows": rows}
