"""The report periods offered in the dashboards, by key: all, last12, 2025, 2025-Q3."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from jobcenters.plausible import EARLIEST_DATE, YEARS_AHEAD


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: date | None
    end: date | None

    def previous(self) -> "Period | None":
        """The period of the same length just before, for the change on the cards."""
        if self.start is None or self.end is None:
            return None
        return period_for(_previous_key(self.key), self.end) if self.key != "last12" else Period(
            "prev12", "", self.start - timedelta(days=365), self.start - timedelta(days=1))


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)


def _previous_key(key: str) -> str:
    if "-Q" in key:
        year, quarter = int(key[:4]), int(key[-1])
        return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    return str(int(key) - 1)


def quarter_label(year: int, quarter: int) -> str:
    return str(_("%(quarter)s. quarter %(year)s") % {"quarter": quarter, "year": year})


# The keys of a year and a quarter, nothing else: no blanks, signs or line breaks.
_YEAR_OR_QUARTER = re.compile(r"([0-9]{4})(?:-Q([1-4]))?")


def parse_key(key, as_of: date | None = None) -> tuple[int, int | None] | None:
    """(year, quarter or None) of a key such as `2025` or `2025-Q3`, or None.

    The one place where period and quarter keys from the address are read. With `as_of`,
    a year before 1990 or more than two years after it (the plausible dates,
    `jobcenters/plausible.py`) is no period either; without, any year a date can have
    (a quarter of the data, which may hold a mistyped day from before the checks).
    """
    match = _YEAR_OR_QUARTER.fullmatch(key) if isinstance(key, str) else None
    if match is None:
        return None
    year = int(match[1])
    earliest, latest = ((EARLIEST_DATE.year, as_of.year + YEARS_AHEAD) if as_of is not None
                        else (date.min.year, date.max.year))
    if not earliest <= year <= latest:
        return None
    return year, int(match[2]) if match[2] else None


def period_for(key: str, as_of: date) -> Period | None:
    """The period of a key, or None for an unknown key."""
    if key == "all":
        return Period("all", str(_("All time")), None, None)
    if key == "last12":
        return Period("last12", str(_("Last 12 months")), as_of - timedelta(days=364), as_of)
    parsed = parse_key(key, as_of)
    if parsed is None:
        return None
    year, quarter = parsed
    if quarter is not None:
        start, end = quarter_bounds(year, quarter)
        return Period(key, quarter_label(year, quarter), start, end)
    return Period(key, str(year), date(year, 1, 1), date(year, 12, 31))


def periods_between(first: date, as_of: date) -> list[Period]:
    """The choices of the period picker, newest first."""
    choices = [period_for("last12", as_of), period_for("all", as_of)]
    for year in range(as_of.year, max(first.year, EARLIEST_DATE.year) - 1, -1):
        choices.append(period_for(str(year), as_of))
        for quarter in range(4, 0, -1):
            start, _end = quarter_bounds(year, quarter)
            if first <= _end and start <= as_of:
                choices.append(period_for(f"{year}-Q{quarter}", as_of))
    return choices


# The picker offers at most the years of the last two decades that hold data.
MAX_PICKER_YEARS = 20


def periods_with_data(days: Iterable[str], as_of: date) -> list[Period]:
    """The choices of the period picker: the years and quarters that hold data (days as
    ISO strings, as the report counters keep them), newest first, after the last
    12 months and all time. A mistyped day far in the past (`0202-01-01`) or future adds
    no choice: only years of plausible dates count, and at most MAX_PICKER_YEARS."""
    quarters: dict[int, set[int]] = {}
    for day in days:
        parsed = parse_key(day[:4], as_of)
        if parsed is not None and day[:10] <= as_of.isoformat():
            quarters.setdefault(parsed[0], set()).add((int(day[5:7]) - 1) // 3 + 1)
    choices = [period_for("last12", as_of), period_for("all", as_of)]
    for year in sorted(quarters, reverse=True)[:MAX_PICKER_YEARS]:
        choices.append(period_for(str(year), as_of))
        choices += [period_for(f"{year}-Q{q}", as_of) for q in sorted(quarters[year], reverse=True)]
    return choices
