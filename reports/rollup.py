"""Report figures for a period, rolled up from the daily counters of engine.py."""

from datetime import date
from math import floor
from statistics import median

from jobcenters.collation import german_key
from participants.models import Enrolment

from .metrics import INTEGRATED, OUTCOME_CLASSES, RATE_NAMES, TRANSFERRED, rate

GROUP_DIMENSIONS = ("cohort", "site", "programme", "quarter", "target_group")
COUNT_FIELDS = ("assigned", "entrants", *OUTCOME_CLASSES)


def _in_period(day: str, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start.isoformat()) and (end is None or day <= end.isoformat())


def _sum(days: dict, start: date | None, end: date | None) -> dict:
    total: dict = {}
    for day, values in days.items():
        if not _in_period(day, start, end):
            continue
        for name, value in values.items():
            if isinstance(value, list):
                total.setdefault(name, []).extend(value)
            else:
                total[name] = total.get(name, 0) + value
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
    days = counts.get("days", [])
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


def _quarter(day: str) -> str:
    return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"


def total_counts(counters: dict, start: date | None = None, end: date | None = None) -> dict:
    """The jobcenter's counters summed over entry in [start, end] (before `figures`)."""
    return _sum(counters.get("total", {}).get("", {}), start, end)


def report(counters: dict, start: date | None = None, end: date | None = None) -> dict:
    """Totals, groups and exit/dropout reason counts for entry in [start, end]."""
    total_days = counters.get("total", {}).get("", {})
    totals = _sum(total_days, start, end)
    groups = {}
    for dimension in ("cohort", "site", "programme", "target_group"):
        rows = []
        for key, days in sorted(counters.get(dimension, {}).items(),
                                key=lambda item: german_key(str(item[0]))):
            summed = _sum(days, start, end)
            if summed:
                rows.append({"key": key, **figures(summed)})
        groups[dimension] = rows
    by_quarter: dict = {}
    for day, values in total_days.items():
        if _in_period(day, start, end):
            by_quarter.setdefault(_quarter(day), {})[day] = values
    # Quarters of entry: a quarter with sessions but nobody joining is not one.
    quarters = ((q, figures(_sum(days, None, None))) for q, days in sorted(by_quarter.items()))
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
