"""The report figures of METRICS.md, computed in the database.

An entrant's outcome class as of D is one CASE expression over the enrolment, so counts
per class are conditional counts in one aggregate query, whatever the number of rows.
"""

from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import GreaterThan, IsNull

from employers.models import Integration
from participants.models import Enrolment

# An integration after the exit still counts within this many days (METRICS.md: W).
AFTER_EXIT_WINDOW = timedelta(days=183)

INTEGRATED = "integrated"
DROPPED_OUT = "dropped_out"
TRANSFERRED = "transferred"
COMPLETED = "completed"
OTHER_EXIT = "other_exit"
ACTIVE = "active"
OUTCOME_CLASSES = (INTEGRATED, DROPPED_OUT, TRANSFERRED, COMPLETED, OTHER_EXIT, ACTIVE)
RATE_NAMES = {
    INTEGRATED: "integration_rate", DROPPED_OUT: "dropout_rate", TRANSFERRED: "transfer_rate",
    COMPLETED: "completed_rate", OTHER_EXIT: "other_exit_rate", ACTIVE: "active_rate",
}


def entrants(enrolments: QuerySet, as_of: date) -> QuerySet:
    """Enrolments that joined on or before D (the period filter is the caller's)."""
    return enrolments.filter(joined_on__isnull=False, joined_on__lte=as_of)


def counting_integrations(as_of: date) -> QuerySet:
    """The outer enrolment's counting job starts between joining and min(D, W)."""
    # The enrolment's dates from the outer row: no join back to it per integration.
    since_exit = ExpressionWrapper(F("start_on") - OuterRef("exit_on"),
                                   output_field=DurationField())
    return Integration.objects.alias(since_exit=since_exit).filter(
        enrolment=OuterRef("pk"),
        kind__in=Integration.COUNTING_KINDS,
        start_on__gte=OuterRef("joined_on"),
        start_on__lte=as_of,
    ).filter(
        Q(IsNull(OuterRef("exit_on"), True))
        | Q(GreaterThan(OuterRef("exit_on"), as_of))
        | Q(since_exit__lte=AFTER_EXIT_WINDOW)
    )


def with_outcome(enrolments: QuerySet, as_of: date) -> QuerySet:
    """Annotate each enrolment with its outcome class as of D, in the order of METRICS.md,
    and `first_start`, its first counting job start (None unless integrated)."""
    exited = Q(exit_on__isnull=False, exit_on__lte=as_of)
    reason = Enrolment.ExitReason
    first_start = Subquery(counting_integrations(as_of).order_by("start_on").values(
        "start_on")[:1])
    return enrolments.alias(first_start=first_start).annotate(
        outcome=Case(
            When(first_start__isnull=False, then=Value(INTEGRATED)),
            When(exited & Q(exit_reason=reason.DROPOUT), then=Value(DROPPED_OUT)),
            When(exited & Q(exit_reason=reason.TRANSFER), then=Value(TRANSFERRED)),
            When(exited & Q(exit_reason__in=(reason.COMPLETED, reason.JOB)),
                 then=Value(COMPLETED)),
            When(exited & Q(exit_reason=reason.OTHER), then=Value(OTHER_EXIT)),
            default=Value(ACTIVE),
            output_field=CharField(),
        )
    )


def rate(numerator: int, denominator: int) -> float | None:
    """A fraction, or None (never 0) when there is nothing to divide by."""
    return numerator / denominator if denominator else None


def outcome_counts(enrolments: QuerySet, as_of: date) -> dict:
    """Entrants, the count of each outcome class and their rates, in one query."""
    counts = with_outcome(entrants(enrolments, as_of), as_of).aggregate(
        entrants=Count("pk"),
        **{name: Count("pk", filter=Q(outcome=name)) for name in OUTCOME_CLASSES},
    )
    total = counts["entrants"]
    figures = dict(counts)
    for name in OUTCOME_CLASSES:
        figures[RATE_NAMES[name]] = rate(counts[name], total)
    figures["positive_rate"] = rate(counts[INTEGRATED] + counts[TRANSFERRED], total)
    return figures
