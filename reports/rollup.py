"""Report figures for a period, rolled up from the counters of engine.py."""

from datetime import date
from math import floor
from statistics import median

from jobcenters.collation import german_key
from participants.models import Enrolment

from .metrics import INTEGRATED, OUTCOME_CLASSES, RATE_NAMES, TRANSFERRED, rate

GROUP_DIMENSIONS = ("cohort", "site", "programme", "quarter", "target_group")
COUNT_FIELDS = ("assigned", "entrants", *OUTCOME_CLASSES)


def _in_period(span: str, start: date | None, end: date | None) -> bool:
    """Whether a span of the counters (a day, or "first/last") lies in [start, end]; one
    that lies only partly in it means the counters are too coarse for that period."""
    first, _, last = span.partition("/")
    last = last or first
    if (start is None or first >= start.isoformat()) and (end is None or last <= end.isoformat()):
        return True
    if (start is not None and last < start.isoformat()) or (end is not None
                                                             and first > end.isoformat()):
        return False
    raise ValueError(f"the span {span} is cut by the period {start}–{end}: use daily counters")


def add_counts(total: dict, values: dict):
    """Add one set of counters to another: numbers are summed, the histogram of days to
    integration (days → how many) merged. Zeros are left out."""
    for name, value in values.items():
        if name == "days":
            histogram = total.setdefault(name, {})
            for item, count in value.items():
                histogram[item] = histogram.get(item, 0) + count
        elif value:
            total[name] = total.get(name, 0) + value


def _sum(spans: dict, start: date | None, end: date | None) -> dict:
    total: dict = {}
    for span, values in spans.items():
        if _in_period(span, start, end):
            add_counts(total, values)
    return total


def figures(counts: dict) -> dict:
    """The fields of a report row (FORMATS.md) from summed counters."""
    n = {name: counts.get(name, 0) for name in COUNT_FIELDS}
    entrants = n["entrants"]
    row = dict(n)
    for name in OUTCOME_CLASSES:
        row[RATE_NAMES[name]] = rate(n[name], entrants)
    row["positive_rate"] = rate(n[INTEGRATED] + n[TRANSFERRED], entrants)
    # No-show before start: of those assigned in the period, who has not joined by D.
    row["no_show"] = n["assigned"] - counts.get("assigned_joined", 0)
    days = [int(value) for value, count in counts.get("days", {}).items()
            for _ in range(count)]
    # Whole days, rounded half-up (round() would take 10.5 to the even 10).
    row["median_days_to_integration"] = floor(median(days) + 0.5) if days else None
    row["sustainability_rate_12m"] = rate(counts.get("followups_yes", 0),
                                          counts.get("followups_answered", 0))
    row["followups_unknown"] = counts.get("followups_unknown", 0)
    row["attendance_rate"] = rate(counts.get("attended", 0), counts.get("attendance_records", 0))
    row["unexcused_rate"] = rate(counts.get("unexcused", 0), counts.get("attendance_records", 0))
    row["applications_per_entrant"] = rate(counts.get("applications", 0), entrants)
    row["hires_from_proposals"] = rate(counts.get("proposal_hires", 0),
                                       counts.get("proposals", 0))
    return row


def _quarter(span: str) -> str:
    """The quarter of a span (spans never cross one)."""
    return f"{span[:4]}-Q{(int(span[5:7]) - 1) // 3 + 1}"


def total_counts(counters: dict, start: date | None = None, end: date | None = None) -> dict:
    """The jobcenter's counters summed over entry in [start, end] (before `figures`)."""
    return _sum(counters.get("total", {}).get("", {}), start, end)


def report(counters: dict, start: date | None = None, end: date | None = None) -> dict:
    """Totals, groups and exit/dropout reason counts for entry in [start, end]."""
    total_spans = counters.get("total", {}).get("", {})
    totals = _sum(total_spans, start, end)
    groups = {}
    for dimension in ("cohort", "site", "programme", "target_group"):
        rows = []
        for key, spans in sorted(counters.get(dimension, {}).items(),
                                 key=lambda item: german_key(str(item[0]))):
            summed = _sum(spans, start, end)
            if summed:
                rows.append({"key": key, **figures(summed)})
        groups[dimension] = rows
    by_quarter: dict = {}
    for span, values in total_spans.items():
        if _in_period(span, start, end):
            by_quarter.setdefault(_quarter(span), {})[span] = values
    # Quarters of entry: a quarter with sessions but nobody joining is not one.
    quarters = ((q, figures(_sum(spans, None, None))) for q, spans in sorted(by_quarter.items()))
    groups["quarter"] = [{"key": q, **row} for q, row in quarters if row["entrants"]]
    return {
        "totals": figures(totals),
        "groups": {d: groups[d] for d in GROUP_DIMENSIONS},
        "reasons": {
            "exit_reason": {r: totals.get(f"exit:{r}", 0) for r in Enrolment.ExitReason.values},
            "dropout_reason": {r: totals.get(f"dropout:{r}", 0)
                               for r in Enrolment.DropoutReason.values},
        },
    }
