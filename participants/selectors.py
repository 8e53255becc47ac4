from datetime import date, timedelta

from django.core import signing
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Enrolment, FollowUp, Integration, Participant

# How far ahead the lists of due follow-ups look.
FOLLOWUP_HORIZON = timedelta(days=14)


def enrolled_on(day: date) -> Q:
    """Enrolments that count as present on `day`: joined by then and not exited before."""
    return Q(joined_on__isnull=False, joined_on__lte=day) & (
        Q(exit_on__isnull=True) | Q(exit_on__gte=day)
    )


def cohort_enrolments_on(cohort, day: date) -> QuerySet:
    """Who is expected at a session of the cohort on `day` (late joiners only from joining)."""
    return (
        Enrolment.objects.filter(cohort=cohort)
        .filter(enrolled_on(day))
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def cohort_enrolments(cohort) -> QuerySet:
    """The cohort's enrolments with what the participant list shows about each."""
    counting = Integration.objects.filter(
        enrolment=OuterRef("pk"), kind__in=Integration.COUNTING_KINDS
    )
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    return (
        Enrolment.objects.filter(cohort=cohort)
        .select_related("participant")
        .annotate(
            is_integrated=Exists(counting),
            # Work First: the participant's own applications recorded this week.
            applications_this_week=Count("applications", filter=Q(
                applications__source="own", applications__created_at__date__gte=monday)),
        )
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def participant_search(membership, query: str) -> QuerySet:
    """Find people by customer number or name among those the member may see.

    An exact customer number also finds a person of the jobcenter the member does not
    see yet: whoever knows the number is enrolling that person, and must not create a
    duplicate.
    """
    query = query.strip()
    visible = Participant.objects.visible_to(membership)
    if not query:
        return visible.none()
    by_name = Q()
    for word in query.split():
        by_name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    matches = visible.filter(by_name | Q(customer_number__iexact=query))
    exact = Participant.objects.for_jobcenter(membership.jobcenter).filter(
        customer_number__iexact=query
    )
    return (matches | exact).distinct().order_by("last_name", "first_name")[:50]


_CHOICE = signing.TimestampSigner(salt="participants.enrol-choice")
CHOICE_MAX_AGE = 4 * 3600


def choice_token(participant: Participant) -> str:
    """The link value that picks a person found by the search for enrolment. Signed, so
    that nobody can step through numbers to read people the search would not show them."""
    return _CHOICE.sign(str(participant.pk))


def chosen_participant(jobcenter, token: str) -> Participant | None:
    try:
        pk = int(_CHOICE.unsign(token, max_age=CHOICE_MAX_AGE))
    except (signing.BadSignature, ValueError):
        return None
    return Participant.objects.for_jobcenter(jobcenter).filter(pk=pk).first()


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
