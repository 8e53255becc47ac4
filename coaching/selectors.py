from datetime import date, time, timedelta

from django.db.models import Count, Q, QuerySet

from participants.models import Enrolment

from .models import Attendance, GroupSession

ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)
# Unexcused absences in a row from which a participant is flagged on the matrix.
UNEXCUSED_STREAK_FLAG = 2
# How far back "Heute" lists planned sessions whose attendance is not recorded.
UNRECORDED_DAYS = 14
Status = GroupSession.Status


def _with_rates(queryset: QuerySet, path: str, only: Q | None = None) -> QuerySet:
    """Attendance records, attended and unexcused along `path`, those matching `only`."""
    only = only or Q()
    return queryset.annotate(
        records=Count(path, filter=only),
        attended=Count(path, filter=only & Q(**{f"{path}__status__in": ATTENDED})),
        unexcused=Count(path, filter=only & Q(
            **{f"{path}__status": Attendance.Status.UNEXCUSED})),
    )


def cohort_sessions(cohort) -> QuerySet:
    """The cohort's held sessions with their attendance counts."""
    return _with_rates(
        GroupSession.objects.filter(cohort=cohort, status=Status.HELD).select_related("module"),
        "attendances",
    ).order_by("held_on", "starts_at", "pk")


def planned_in_slot(*, cohort, held_on: date, starts_at: time | None) -> GroupSession | None:
    """The cohort's planned session at this day and start time, if any."""
    return GroupSession.objects.filter(cohort=cohort, held_on=held_on, starts_at=starts_at,
                                       status=Status.PLANNED).first()


def _coached_by(membership) -> QuerySet:
    return _with_rates(
        GroupSession.objects.visible_to(membership)
        .filter(coaches=membership.user_id).select_related("cohort", "module"),
        "attendances",
    )


def todays_sessions(*, membership, today: date) -> QuerySet:
    """Today's planned and held sessions that the member coaches, with attendance counts."""
    return _coached_by(membership).filter(
        held_on=today, status__in=(Status.PLANNED, Status.HELD)).order_by("starts_at", "pk")


def unrecorded_sessions(*, membership, today: date) -> QuerySet:
    """Planned sessions of the last days before today that the member coaches and whose
    attendance nobody recorded ("nicht erfasst")."""
    return _coached_by(membership).filter(
        status=Status.PLANNED, held_on__gte=today - timedelta(days=UNRECORDED_DAYS),
        held_on__lt=today).order_by("held_on", "starts_at", "pk")


def longest_unexcused_streak(statuses: list[str]) -> int:
    longest = current = 0
    for status in statuses:
        current = current + 1 if status == Attendance.Status.UNEXCUSED else 0
        longest = max(longest, current)
    return longest


def attendance_matrix(cohort, *, today: date) -> dict:
    """Participants × sessions with a status per cell where the person was enrolled.

    The held sessions, and the planned ones up to `today` as columns "nicht erfasst" (their
    attendance is due); later planned ones are not shown. Rates and streaks count held
    sessions only. Three queries whatever the size: sessions and enrolments with their
    counts, and the cohort's attendance records.
    """
    sessions = list(_with_rates(
        GroupSession.objects.filter(cohort=cohort).filter(
            Q(status=Status.HELD) | Q(status=Status.PLANNED, held_on__lte=today))
        .select_related("module"), "attendances",
    ).order_by("held_on", "starts_at", "pk"))
    enrolments = list(
        _with_rates(
            Enrolment.objects.filter(cohort=cohort, joined_on__isnull=False)
            .select_related("participant"),
            "attendances", Q(attendances__session__status=Status.HELD),
        ).order_by("participant__last_name", "participant__first_name", "pk")
    )
    status = {
        (a["enrolment_id"], a["session_id"]): a["status"]
        for a in Attendance.objects.filter(session__cohort=cohort,
                                           session__status=Status.HELD).values(
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
    return {"sessions": sessions, "rows": rows, "today": today}
