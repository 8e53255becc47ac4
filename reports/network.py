"""The network view: key rates per jobcenter, aggregates only, small numbers suppressed."""

from statistics import median

from django_scopes import scope

from .metrics import DROPPED_OUT, INTEGRATED, OUTCOME_CLASSES, TRANSFERRED
from .models import ReportSnapshot
from .periods import Period, period_for
from .rollup import figures, total_counts
from .suppression import LESS_THAN_3, MIN_DENOMINATOR, SMALL, SMALL_BASE, Figure, suppress

# METRICS.md, network view: counts of 1 or 2 are shown as "<3"; a rate whose denominator
# is below 10 is not shown ("n<10"), nor one whose numerator is 1 or 2 ("<3"); and no
# difference of shown figures gives back a count of 1 or 2 (suppression.py).
SMALL_COUNT = 3
NETWORK_RATES = ("integration_rate", "dropout_rate", "positive_rate", "attendance_rate")

ENTRANTS = frozenset(OUTCOME_CLASSES)
RECORDS = frozenset({"attended", "not_attended"})
# One row's figures, in order of importance: the last is withheld first.
ROW_FIGURES = (
    Figure("entrants", ENTRANTS),
    Figure("integration_rate", frozenset({INTEGRATED}), ENTRANTS),
    Figure("dropout_rate", frozenset({DROPPED_OUT}), ENTRANTS),
    Figure("positive_rate", frozenset({INTEGRATED, TRANSFERRED}), ENTRANTS),
    Figure("attendance_rate", frozenset({"attended"}), RECORDS),
)


def shown_count(n: int) -> int | str:
    return LESS_THAN_3 if n in SMALL else n


def shown_rate(rate: float | None, denominator: int) -> float | str | None:
    return SMALL_BASE if denominator < MIN_DENOMINATOR else rate


def row_cells(counts: dict) -> dict[str, int]:
    """A jobcenter's disjoint groups: entrants by outcome class, attendance records by
    attended or not."""
    cells = {name: counts.get(name, 0) for name in OUTCOME_CLASSES}
    cells["attended"] = counts.get("attended", 0)
    cells["not_attended"] = counts.get("attendance_records", 0) - cells["attended"]
    return cells


def shown_row(counts: dict) -> tuple[int | str, dict]:
    """Entrants and rates of one jobcenter as shown: a value or its mark."""
    totals = figures(counts)
    marks = suppress(row_cells(counts), ROW_FIGURES)
    if totals["entrants"] < MIN_DENOMINATOR:
        # Every rate of a jobcenter with few entrants is withheld, the attendance rate
        # too (its own denominator, attendance records, is larger): the stricter choice.
        marks.update(dict.fromkeys(NETWORK_RATES, SMALL_BASE))
    entrants = marks["entrants"] or totals["entrants"]
    return entrants, {name: marks[name] or totals[name] for name in NETWORK_RATES}


def network_rows(network, period: Period) -> tuple[list[dict], dict]:
    """One row per jobcenter of the network and the network median of each shown rate."""
    jobcenters = list(network.jobcenters.order_by("name"))
    with scope(jobcenter=jobcenters):
        snapshots = {s.jobcenter_id: s for s in ReportSnapshot.objects.all()}
    rows = []
    for jobcenter in jobcenters:
        snapshot = snapshots.get(jobcenter.pk)
        row = {"jobcenter": jobcenter, "snapshot": snapshot, "entrants": None, "rates": {}}
        if snapshot is not None:
            # The period as of the snapshot's day, which its counters are cut for.
            own = period_for(period.key, snapshot.as_of) or period
            row["entrants"], row["rates"] = shown_row(
                total_counts(snapshot.counters_of("total"), own.start, own.end))
        rows.append(row)
    # Over shown rates only: a median is one of them or the mean of two, so it tells
    # nothing that the rows do not.
    medians = {}
    for name in NETWORK_RATES:
        values = [r["rates"][name] for r in rows
                  if isinstance(r["rates"].get(name), float)]
        medians[name] = median(values) if values else None
    return rows, medians
