"""Reads of absence cases: "Heute", the list of cases, a case and a person's
Fehlzeitenübersicht. Each in a few queries, however many rows."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from jobcenters.models import Membership

from .absence import counted_after
from .models import AbsenceCase, AbsenceStep, Attendance, GroupSession

ABSENT = (Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED)


def absence_cases(membership: Membership) -> QuerySet:
    """The cases the member reaches, newest first, each with its person, group and last step
    (`last_kind`, `last_done_on`)."""
    last = AbsenceStep.objects.filter(case=OuterRef("pk")).order_by("-done_on", "-pk")
    return (AbsenceCase.objects.visible_to(membership)
            .select_related("enrolment__participant", "enrolment__cohort")
            .annotate(last_kind=Subquery(last.values("kind")[:1]),
                      last_done_on=Subquery(last.values("done_on")[:1]))
            .order_by("-opened_on", "-pk"))


def open_absence_cases(membership: Membership) -> QuerySet:
    """The open cases for "Heute": the oldest first, as they have waited longest."""
    return absence_cases(membership).filter(closed_on__isnull=True).order_by("opened_on", "pk")


def _steps(membership: Membership) -> QuerySet:
    """Steps with who recorded them and the absences a good reason covered."""
    return (AbsenceStep.objects.visible_to(membership).select_related("recorded_by")
            .prefetch_related(Prefetch("covered", Attendance.objects.visible_to(membership)
                                       .select_related("session"))))


def absences_of(enrolment_id: int, membership: Membership) -> QuerySet:
    """The person's absences (excused and unexcused) at held sessions, in order of date."""
    return (Attendance.objects.visible_to(membership)
            .filter(enrolment_id=enrolment_id, status__in=ABSENT,
                    session__status=GroupSession.Status.HELD)
            .select_related("session__module")
            .order_by("session__held_on", "session__starts_at", "pk"))


def absence_case_detail(case: AbsenceCase, membership: Membership) -> dict:
    """A case: its steps, the person's absences, and the unexcused ones a good reason may
    cover, those counted since earlier cases preselected."""
    earlier = (AbsenceCase.objects.visible_to(membership)
               .filter(enrolment_id=case.enrolment_id, opened_on__lte=case.opened_on)
               .exclude(pk=case.pk))
    after = counted_after(earlier)
    absences = list(absences_of(case.enrolment_id, membership))
    coverable = [a for a in absences if a.status == Attendance.Status.UNEXCUSED]
    return {"absences": absences, "steps": list(_steps(membership).filter(case=case)),
            "coverable": coverable,
            "preselected": [a.pk for a in coverable
                            if after is None or a.session.held_on > after]}


def absence_overview(enrolment, membership: Membership) -> dict:
    """A person's Fehlzeitenübersicht in one group: absences and cases with their steps."""
    absences = list(absences_of(enrolment.pk, membership))
    cases = list(AbsenceCase.objects.visible_to(membership).filter(enrolment=enrolment)
                 .prefetch_related(Prefetch("steps", _steps(membership)))
                 .order_by("opened_on", "pk"))
    held = Attendance.objects.visible_to(membership).filter(
        enrolment=enrolment, session__status=GroupSession.Status.HELD).count()
    return {"absences": absences, "cases": cases, "sessions_recorded": held,
            "excused": sum(a.status == Attendance.Status.EXCUSED for a in absences),
            "unexcused": sum(a.status == Attendance.Status.UNEXCUSED for a in absences)}
