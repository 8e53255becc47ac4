"""The network view: key rates per jobcenter, aggregates only, small numbers suppressed."""

from statistics import median

from django_scopes import scope

from .models import ReportSnapshot
from .periods import Period
from .rollup import report

# METRICS.md, network view: counts of 1 or 2 are shown as "<3"; a rate whose denominator
# is below 10 is not shown ("n<10").
SMALL_COUNT = 3
MIN_DENOMINATOR = 10
NETWORK_RATES = ("integration_rate", "dropout_rate", "positive_rate", "attendance_rate")


def shown_count(n: int) -> int | str:
    return "<3" if 0 < n < SMALL_COUNT else n


def shown_rate(rate: float | None, denominator: int) -> float | str | None:
    return "n<10" if denominator < MIN_DENOMINATOR else rate


def network_rows(network, period: Period) -> tuple[list[dict], dict]:
    """One row per jobcenter of the network and the network median of each shown rate."""
    jobcenters = list(network.jobcenters.order_by("name"))
    with scope(jobcenter=jobcenters):
        snapshots = {s.jobcenter_id: s for s in ReportSnapshot.objects.all()}
    rows = []
    for jobcenter in jobcenters:
        snapshot = snapshots.get(jobcenter.pk)
        totals = report(snapshot.payload, period.start, period.end)["totals"] if snapshot else None
        row = {"jobcenter": jobcenter, "snapshot": snapshot, "entrants": None, "rates": {}}
        if totals is not None:
            row["entrants"] = shown_count(totals["entrants"])
            # Every rate is gated by the entrants: for the attendance rate (whose own
            # denominator, attendance records, is larger) that is the stricter choice.
            row["rates"] = {name: shown_rate(totals[name], totals["entrants"])
                            for name in NETWORK_RATES}
        rows.append(row)
    medians = {}
    for name in NETWORK_RATES:
        values = [r["rates"][name] for r in rows
                  if isinstance(r["rates"].get(name), float)]
        medians[name] = median(values) if values else None
    return rows, medians
