"""Daily counters from which every report figure of METRICS.md is rolled up.

Each figure is a sum over days (the day of entry for enrolments, of assignment for
`assigned`, of the session for attendance), except the median, which merges lists of
days-to-integration. So the engine counts once per day and cohort, in one grouped query
per source of rows (their number does not depend on the data), sums the dimensions from
it, and any period is an exact roll-up of those counters (rollup.py). A snapshot stores
the counters.

Shape: {dimension: {key: {"YYYY-MM-DD": {counter: number, "days": [...]}}}}; the
dimension "total" has the single key "".
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from coaching.models import Attendance, GroupSession
from employers.models import STAGE_ORDER, Application, ApplicationStep, FollowUp, Integration
from participants.models import Enrolment

from .metrics import (
    AFTER_EXIT_WINDOW,
    INTEGRATED,
    counting_integrations,
    entrants,
    with_outcome,
)

# Grouped by a column of the enrolment (the path from other rows is prefixed).
KEY_DIMENSIONS = {"cohort": "cohort__code", "site": "cohort__site__name",
                  "programme": "cohort__programme__name"}


def target_groups(path: str = "") -> dict[str, Q]:
    """Target groups of METRICS.md for rows reached from an enrolment by `path`.

    Age groups by age at joining (birth year only); the row's queryset must carry the
    alias `entry_age` (see `with_age`).
    """
    p = f"{path}participant__"
    return {
        "long_term_unemployed": Q(**{f"{p}long_term_unemployed": True}),
        "topping_up": Q(**{f"{p}topping_up": True}),
        "refugee": Q(**{f"{p}refugee": True}),
        "single_parent": Q(**{f"{p}single_parent": True}),
        "health": Q(**{f"{p}health_limitations": True}),
        "under_25": Q(entry_age__lt=25),
        "age_25_49": Q(entry_age__gte=25, entry_age__lt=50),
        "age_50_plus": Q(entry_age__gte=50),
    }


TARGET_GROUPS = tuple(target_groups())


def with_age(queryset: QuerySet, path: str = "") -> QuerySet:
    """Age at joining from the year of birth, or as kept for an anonymised person."""
    return queryset.alias(entry_age=Coalesce(
        ExtractYear(f"{path}joined_on") - F(f"{path}participant__birth_year"),
        F(f"{path}age_at_entry"), output_field=IntegerField()))


def population(jobcenter, *, site=None, programme=None, cohort=None, coach=None,
               target_group: str = "") -> QuerySet:
    """The jobcenter's enrolments, narrowed by a report's filters."""
    enrolments = with_age(Enrolment.objects.filter(jobcenter=jobcenter))
    if site is not None:
        enrolments = enrolments.filter(cohort__site=site)
    if programme is not None:
        enrolments = enrolments.filter(cohort__programme=programme)
    if cohort is not None:
        enrolments = enrolments.filter(cohort=cohort)
    if coach is not None:
        enrolments = enrolments.filter(cohort__cohort_coaches__user=coach)
    if target_group:
        enrolments = enrolments.filter(target_groups()[target_group])
    return enrolments


@dataclass(frozen=True)
class Source:
    """Rows counted per day: which rows, the date that places them, the path from them
    to their enrolment, and the counters (name → condition).

    Where conditions rest on an expensive expression (the outcome class, with its EXISTS),
    a source groups by `split` columns instead, and `names(group)` says which counters a
    group adds to: the database then evaluates the expression once per row, not once per
    conditional count.
    """

    rows: QuerySet
    day: str
    path: str
    counters: dict[str, Q] = field(default_factory=dict)
    split: tuple[str, ...] = ()
    names: Callable[[dict], list[str]] | None = None


def _entrant_counters(group: dict) -> list[str]:
    names = ["entrants", group["outcome"]]
    if group["exit_key"]:
        names.append(f"exit:{group['exit_key']}")
    if group["dropout_key"]:
        names.append(f"dropout:{group['dropout_key']}")
    return names


def sources(enrolments: QuerySet, as_of: date) -> list[Source]:
    exited = Q(exit_on__isnull=False, exit_on__lte=as_of)
    answered_by_d = Q(still_employed__in=("yes", "no"), checked_on__lte=as_of)
    ids = enrolments.values("pk")
    entrant_rows = with_outcome(entrants(enrolments, as_of), as_of).annotate(
        exit_key=Case(When(exited, then=F("exit_reason")), default=Value("")),
        dropout_key=Case(When(exited, then=F("dropout_reason")), default=Value("")))
    return [
        Source(entrant_rows, "joined_on", "", split=("outcome", "exit_key", "dropout_key"),
               names=_entrant_counters),
        Source(enrolments.filter(assigned_on__isnull=False, assigned_on__lte=as_of),
               "assigned_on", "", {
                   "assigned": Q(),
                   "assigned_joined": Q(joined_on__isnull=False, joined_on__lte=as_of),
               }),
        # Held sessions only: a planned one's attendance is not recorded yet (METRICS.md).
        Source(with_age(Attendance.objects.filter(
                   enrolment__in=ids, session__status=GroupSession.Status.HELD,
                   session__held_on__lte=as_of), "enrolment__"),
               "session__held_on", "enrolment__", {
                   "attendance_records": Q(),
                   "attended": Q(status__in=("present", "late")),
                   "unexcused": Q(status="unexcused"),
               }),
        Source(with_age(_entrants_applications(enrolments, as_of), "enrolment__"),
               "enrolment__joined_on", "enrolment__", {
                   "applications": Q(reached_applied=True),
                   "proposals": Q(source=Application.Source.PROPOSAL),
                   "proposal_hires": Q(source=Application.Source.PROPOSAL,
                                       stage=Application.Stage.HIRED),
               }),
        Source(with_age(_counted_followups(enrolments, as_of), "integration__enrolment__"),
               "integration__enrolment__joined_on", "integration__enrolment__", {
                   "followups_yes": answered_by_d & Q(still_employed="yes"),
                   "followups_answered": answered_by_d,
                   "followups_unknown": Q(due_on__lte=as_of) & ~answered_by_d,
               }),
    ]


def _entrants_applications(enrolments: QuerySet, as_of: date) -> QuerySet:
    """Applications of entrants; `reached_applied`: the stage ≥ applied of METRICS.md (an own
    application starts there; a proposal counts once it got that far)."""
    later = STAGE_ORDER[1:]
    return Application.objects.filter(
        enrolment__in=entrants(enrolments, as_of).values("pk")).alias(
        reached_applied=ExpressionWrapper(
            Q(source=Application.Source.OWN_INITIATIVE) | Q(stage__in=later)
            | Q(Exists(ApplicationStep.objects.filter(application=OuterRef("pk"),
                                                      stage__in=later))),
            output_field=BooleanField()))


def _counted_followups(enrolments: QuerySet, as_of: date) -> QuerySet:
    """12-month follow-ups of the integrations that count for their enrolment as of D."""
    since_exit = ExpressionWrapper(
        F("integration__start_on") - F("integration__enrolment__exit_on"),
        output_field=DurationField(),
    )
    return FollowUp.objects.alias(since_exit=since_exit).filter(
        integration__enrolment__in=entrants(enrolments, as_of).values("pk"),
        integration__kind__in=Integration.COUNTING_KINDS,
        integration__start_on__gte=F("integration__enrolment__joined_on"),
        integration__start_on__lte=as_of,
        due_month=FollowUp.DueMonth.TWELVE,
    ).filter(
        Q(integration__enrolment__exit_on__isnull=True)
        | Q(integration__enrolment__exit_on__gt=as_of)
        | Q(since_exit__lte=AFTER_EXIT_WINDOW)
    )


def _add(counters: dict, dimension: str, key, day: date, values: dict):
    """Into one jobcenter's counters."""
    slot = counters.setdefault(dimension, {}).setdefault(str(key), {}).setdefault(
        day.isoformat(), {})
    for name, value in values.items():
        if value:
            slot[name] = slot.get(name, 0) + value


def _count(by_jobcenter: dict, source: Source):
    """Per source one grouped query, by day and cohort (a cohort has one site and one
    programme), with the target groups as conditional counts; the total and every
    dimension are summed from its rows, so the database reads the rows once."""
    groups = target_groups(source.path)
    if source.split:
        counts = {"n": Count("pk"),
                  **{f"{group}|n": Count("pk", filter=where) for group, where in groups.items()}}
    else:
        counts = {
            **{name: Count("pk", filter=condition)
               for name, condition in source.counters.items()},
            **{f"{group}|{name}": Count("pk", filter=where & condition)
               for group, where in groups.items()
               for name, condition in source.counters.items()},
        }
    # Named apart from the model's own fields ("cohort").
    keys = {f"by_{dimension}": F(f"{source.path}{column}")
            for dimension, column in KEY_DIMENSIONS.items()}
    rows = source.rows.values(*source.split, "jobcenter", day=F(source.day), **keys).annotate(
        **counts).order_by()
    for row in rows:
        counters = by_jobcenter.setdefault(row["jobcenter"], {})
        if source.split:
            names = source.names(row)
            values = dict.fromkeys(names, row["n"])
            by_group = {group: dict.fromkeys(names, row[f"{group}|n"]) for group in groups}
        else:
            values = {name: row[name] for name in source.counters}
            by_group = {group: {name: row[f"{group}|{name}"] for name in source.counters}
                        for group in groups}
        day = row["day"]
        _add(counters, "total", "", day, values)
        for dimension in KEY_DIMENSIONS:
            _add(counters, dimension, row[f"by_{dimension}"], day, values)
        for group, group_values in by_group.items():
            _add(counters, "target_group", group, day, group_values)


def _days_to_integration(by_jobcenter: dict, enrolments: QuerySet, as_of: date):
    """Lists of days from joining to the first counting job start, per day of entry."""
    first_start = Subquery(counting_integrations(as_of).order_by("start_on").values(
        "start_on")[:1])
    groups = target_groups()
    integrated = with_outcome(entrants(enrolments, as_of), as_of).filter(outcome=INTEGRATED)
    rows = integrated.annotate(
        first_start=first_start,
        **{f"in_{group}": ExpressionWrapper(where, output_field=BooleanField())
           for group, where in groups.items()},
    ).values("jobcenter", "joined_on", "first_start", *KEY_DIMENSIONS.values(),
             *(f"in_{g}" for g in groups))
    for row in rows:
        counters = by_jobcenter.setdefault(row["jobcenter"], {})
        day, days = row["joined_on"], (row["first_start"] - row["joined_on"]).days
        keys = [("total", "")] + [(d, row[c]) for d, c in KEY_DIMENSIONS.items()]
        keys += [("target_group", g) for g in groups if row[f"in_{g}"]]
        for dimension, key in keys:
            slot = counters.setdefault(dimension, {}).setdefault(str(key), {}).setdefault(
                day.isoformat(), {})
            slot.setdefault("days", []).append(days)


def counters_by_jobcenter(enrolments: QuerySet, as_of: date) -> dict[int, dict]:
    """All counters of these enrolments' reports as of D, per jobcenter id, in a fixed
    number of queries however many jobcenters the enrolments span (the nightly refresh
    reads all of them in one pass)."""
    by_jobcenter: dict = {}
    enrolments = with_age(enrolments)
    for source in sources(enrolments, as_of):
        _count(by_jobcenter, source)
    _days_to_integration(by_jobcenter, enrolments, as_of)
    return by_jobcenter


def daily_counters(enrolments: QuerySet, as_of: date) -> dict:
    """The counters of one jobcenter's enrolments (or a part of them)."""
    by_jobcenter = counters_by_jobcenter(enrolments, as_of)
    if len(by_jobcenter) > 1:
        raise ValueError("daily_counters takes the enrolments of one jobcenter")
    return next(iter(by_jobcenter.values()), {})
