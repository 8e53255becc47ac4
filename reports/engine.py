"""The counters from which every report figure of METRICS.md is rolled up.

Each figure is a sum over days (the day of entry for enrolments, of assignment for
`assigned`, of the session for attendance), except the median, which merges histograms of
days-to-integration. So the engine counts once per span of days and cohort, in one grouped
query per source of rows (their number does not depend on the data), sums the dimensions
from it, and a period is an exact roll-up of the spans it covers (rollup.py).

Spans (`Grain`): single days, for a report over any dates (`daily_counters`); or the
pieces into which the periods the application offers cut the calendar (quarters, split
where the last twelve months and the twelve before them begin), which is all a snapshot
needs and a hundredth of the rows (`period_counters`).

Shape: {dimension: {key: {span: {counter: number, "days": {days: number}}}}}, a span being
"YYYY-MM-DD" or "YYYY-MM-DD/YYYY-MM-DD" (first and last day); the dimension "total" has
the single key "".
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear, TruncQuarter
from django_cte import CTE, with_cte

from coaching.models import Attendance, GroupSession
from cohorts.models import Cohort
from employers.models import STAGE_ORDER, Application, ApplicationStep, FollowUp, Integration
from participants.models import Enrolment

from .metrics import (
    AFTER_EXIT_WINDOW,
    entrants,
    with_outcome,
)
from .periods import period_for, quarter_bounds
from .rollup import add_counts

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
    """Rows counted per span: which rows, the date that places them, the path from them
    to their enrolment, and the counters (name → condition).

    Where conditions rest on an expensive expression (the outcome class, with its
    subquery), a source groups by `split` columns instead, and `values(group, n)` says
    what a group of n rows adds: the database then evaluates the expression once per row,
    not once per conditional count.

    A source with many rows per enrolment (attendance, applications) is counted per
    enrolment first, in a CTE, and only those sums are added up by cohort and target group
    for the enrolments `per_enrolment`: each row's conditions are evaluated once, the target
    groups once per enrolment and span instead of once per row and counter, and the rows
    need no join to be narrowed to those enrolments.
    """

    rows: QuerySet
    day: str
    path: str
    counters: dict[str, Q] = field(default_factory=dict)
    split: tuple[str, ...] = ()
    values: Callable[[dict, int], dict] | None = None
    per_enrolment: QuerySet | None = None


class Grain(Protocol):
    """Where a row's day puts it: the columns it is grouped by (of the types in `fields`),
    and the span they name."""

    fields: dict

    def columns(self, day: str) -> dict: ...

    def span(self, row: dict) -> str: ...


class Days(Grain):
    fields = {"day": DateField()}

    def columns(self, day: str) -> dict:
        return {"day": F(day)}

    def span(self, row: dict) -> str:
        return row["day"].isoformat()


class Periods(Grain):
    """Quarters, cut where the last twelve months and the twelve before them begin: each
    period the dashboards offer (periods.py) covers whole spans, so its roll-up is exact."""

    fields = {"quarter": DateField(), "window": CharField()}

    def __init__(self, as_of: date):
        last12 = period_for("last12", as_of)
        self.windows = {"L": last12, "P": last12.previous()}
        self._spans: dict[tuple, str] = {}

    def columns(self, day: str) -> dict:
        # A date and a letter: cheap to sort and compare, unlike EXTRACT's numerics.
        last, previous = self.windows["L"].start, self.windows["P"].start
        return {"quarter": TruncQuarter(day),
                "window": Case(When(**{f"{day}__gte": last}, then=Value("L")),
                               When(**{f"{day}__gte": previous}, then=Value("P")),
                               default=Value(""))}

    def span(self, row: dict) -> str:
        key = (row["quarter"], row["window"])
        if key not in self._spans:
            first = row["quarter"]
            last = quarter_bounds(first.year, (first.month - 1) // 3 + 1)[1]
            if row["window"]:
                window = self.windows[row["window"]]
                first, last = max(first, window.start), min(last, window.end)
            else:
                last = min(last, self.windows["P"].start - timedelta(days=1))
            self._spans[key] = f"{first.isoformat()}/{last.isoformat()}"
        return self._spans[key]


def _entrant_values(group: dict, n: int) -> dict:
    values = {"entrants": n, group["outcome"]: n}
    if group["exit_key"]:
        values[f"exit:{group['exit_key']}"] = n
    if group["dropout_key"]:
        values[f"dropout:{group['dropout_key']}"] = n
    if group["to_integration"] is not None:  # days to integration, for the median
        values["days"] = {str(group["to_integration"].days): n}
    return values


def sources(enrolments: QuerySet, as_of: date) -> list[Source]:
    exited = Q(exit_on__isnull=False, exit_on__lte=as_of)
    answered_by_d = Q(still_employed__in=("yes", "no"), checked_on__lte=as_of)
    entrant_rows = with_outcome(entrants(enrolments, as_of), as_of).annotate(
        exit_key=Case(When(exited, then=F("exit_reason")), default=Value("")),
        dropout_key=Case(When(exited, then=F("dropout_reason")), default=Value("")),
        to_integration=ExpressionWrapper(F("first_start") - F("joined_on"),
                                         output_field=DurationField()))
    return [
        Source(entrant_rows, "joined_on", "",
               split=("outcome", "exit_key", "dropout_key", "to_integration"),
               values=_entrant_values),
        Source(enrolments.filter(assigned_on__isnull=False, assigned_on__lte=as_of),
               "assigned_on", "", {
                   "assigned": Q(),
                   "assigned_joined": Q(joined_on__isnull=False, joined_on__lte=as_of),
               }),
        # Held sessions only: a planned one's attendance is not recorded yet (METRICS.md).
        Source(Attendance.objects.filter(session__status=GroupSession.Status.HELD,
                                         session__held_on__lte=as_of),
               "session__held_on", "enrolment__", {
                   "attendance_records": Q(),
                   "attended": Q(status__in=("present", "late")),
                   "unexcused": Q(status="unexcused"),
               }, per_enrolment=enrolments),
        Source(_applications(),
               "enrolment__joined_on", "enrolment__", {
                   "applications": Q(reached_applied=True),
                   "proposals": Q(source=Application.Source.PROPOSAL),
                   "proposal_hires": Q(source=Application.Source.PROPOSAL,
                                       stage=Application.Stage.HIRED),
               }, per_enrolment=entrants(enrolments, as_of)),
        Source(with_age(_counted_followups(enrolments, as_of), "integration__enrolment__"),
               "integration__enrolment__joined_on", "integration__enrolment__", {
                   "followups_yes": answered_by_d & Q(still_employed="yes"),
                   "followups_answered": answered_by_d,
                   "followups_unknown": Q(due_on__lte=as_of) & ~answered_by_d,
               }),
    ]


def _applications() -> QuerySet:
    """Applications (counted for entrants); `reached_applied`: the stage ≥ applied of
    METRICS.md (an own application starts there; a proposal counts once it got that far)."""
    later = STAGE_ORDER[1:]
    return Application.objects.alias(
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


def _add(counters: dict, dimension: str, key, span: str, values: dict):
    """Into one jobcenter's counters."""
    add_counts(counters.setdefault(dimension, {}).setdefault(str(key), {}).setdefault(span, {}),
               values)


def _cohort_keys(enrolments: QuerySet) -> dict[int, tuple]:
    """Jobcenter and the key of each dimension per cohort id: the engine groups by the id
    (narrow rows to sort), the names come from here."""
    columns = [column.removeprefix("cohort__") for column in KEY_DIMENSIONS.values()]
    return {pk: (jobcenter, dict(zip(KEY_DIMENSIONS, keys, strict=True)))
            for pk, jobcenter, *keys in Cohort.objects.filter(
                pk__in=enrolments.values("cohort")).values_list("pk", "jobcenter", *columns)}


def _grouped(source: Source, grain: Grain, groups: dict[str, Q]) -> QuerySet:
    """A source's rows by span and cohort (named apart from the model's field "cohort")."""
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
    return source.rows.values(*source.split, **grain.columns(source.day),
                              by_cohort=F(f"{source.path}cohort")).annotate(**counts).order_by()


def _grouped_per_enrolment(source: Source, grain: Grain, groups: dict[str, Q],
                           jobcenters: set[int]) -> QuerySet:
    """The same, counted per enrolment first. A day on the enrolment (entry) is taken from
    the outer query, a day of the row's own (a session's) inside."""
    own_day = not source.day.startswith(source.path)
    inner_columns = grain.columns(source.day) if own_day else {}
    per_enrolment = CTE(source.rows.filter(jobcenter__in=jobcenters).values(
        of_enrolment=F(source.path.removesuffix("__")), **inner_columns).annotate(**{
            name: Count("pk", filter=condition) for name, condition in source.counters.items()
        }).order_by(), name="per_enrolment")
    column = functools.partial(getattr, per_enrolment.col)
    # Typed again: a CTE's column forgets that the span's first day is a date.
    columns = ({name: Cast(column(name), grain.fields[name]) for name in inner_columns}
               if own_day else grain.columns(source.day.removeprefix(source.path)))
    sums = {
        **{name: Coalesce(Sum(column(name)), 0) for name in source.counters},
        **{f"{group}|{name}": Coalesce(Sum(column(name), filter=where), 0)
           for group, where in groups.items() for name in source.counters},
    }
    enrolments = per_enrolment.join(source.per_enrolment, pk=per_enrolment.col.of_enrolment)
    return with_cte(per_enrolment, select=enrolments).values(
        **columns, by_cohort=F("cohort")).annotate(**sums).order_by()


def _count(by_jobcenter: dict, source: Source, grain: Grain, cohorts: dict):
    """Per source one grouped query, by span and cohort (a cohort has one jobcenter, site
    and programme), with the target groups as conditional counts, so the database reads
    the rows once; the total, site and programme are summed from the cohorts afterwards
    (`_sum_up`)."""
    if source.per_enrolment is not None:
        groups = target_groups()
        rows = _grouped_per_enrolment(source, grain, groups,
                                      {jobcenter for jobcenter, _ in cohorts.values()})
    else:
        groups = target_groups(source.path)
        rows = _grouped(source, grain, groups)
    for row in rows:
        jobcenter, keys = cohorts[row["by_cohort"]]
        counters = by_jobcenter.setdefault(jobcenter, {})
        # Most rows are in few target groups: only those are added to.
        if source.split:
            values = source.values(row, row["n"])
            by_group = {group: source.values(row, row[f"{group}|n"]) for group in groups
                        if row[f"{group}|n"]}
        else:
            values = {name: row[name] for name in source.counters}
            by_group = {group: {name: row[f"{group}|{name}"] for name in source.counters}
                        for group in groups
                        if any(row[f"{group}|{name}"] for name in source.counters)}
        span = grain.span(row)
        _add(counters, "cohort", keys["cohort"], span, values)
        for group, group_values in by_group.items():
            _add(counters, "target_group", group, span, group_values)


def _sum_up(by_jobcenter: dict, cohorts: dict):
    """The total, site and programme counters from those of their cohorts."""
    for jobcenter, keys in cohorts.values():
        counters = by_jobcenter.get(jobcenter)
        spans = counters and counters.get("cohort", {}).get(keys["cohort"])
        if not spans:
            continue
        for dimension, key in (("total", ""), ("site", keys["site"]),
                               ("programme", keys["programme"])):
            for span, values in spans.items():
                _add(counters, dimension, key, span, values)


def counters_by_jobcenter(enrolments: QuerySet, as_of: date,
                          grain: Grain | None = None) -> dict[int, dict]:
    """All counters of these enrolments' reports as of D, per jobcenter id, in a fixed
    number of queries however many jobcenters the enrolments span (the nightly refresh
    reads all of them in one pass); by default in the spans of the offered periods."""
    grain = grain or Periods(as_of)
    by_jobcenter: dict = {}
    enrolments = with_age(enrolments)
    with transaction.atomic():
        _tune_for_reports()
        cohorts = _cohort_keys(enrolments)
        for source in sources(enrolments, as_of):
            _count(by_jobcenter, source, grain, cohorts)
    _sum_up(by_jobcenter, cohorts)
    return by_jobcenter


def _tune_for_reports():
    """PostgreSQL, for the engine's statements only: no JIT (compiling them cost more than
    running them: 2.7 of 3.2 s for the applications' statement on the bench network), and
    room to sort and hash their groups in memory instead of on disk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")


def _one_jobcenter(enrolments: QuerySet, as_of: date, grain: Grain) -> dict:
    by_jobcenter = counters_by_jobcenter(enrolments, as_of, grain)
    if len(by_jobcenter) > 1:
        raise ValueError("the counters of one jobcenter's enrolments only")
    return next(iter(by_jobcenter.values()), {})


def period_counters(enrolments: QuerySet, as_of: date) -> dict:
    """The counters of one jobcenter's enrolments (or a part of them) for the periods the
    dashboards offer: what a snapshot stores."""
    return _one_jobcenter(enrolments, as_of, Periods(as_of))


def daily_counters(enrolments: QuerySet, as_of: date) -> dict:
    """The same, per day: for a report over any dates (`export_report --from --to`)."""
    return _one_jobcenter(enrolments, as_of, Days())
