"""The report periods offered in the dashboards, by key: all, last12, 2025, 2025-Q3."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _


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


def _quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
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


def period_for(key: str, as_of: date) -> Period | None:
    """The period of a key, or None for an unknown key."""
    if key == "all":
        return Period("all", str(_("All time")), None, None)
    if key == "last12":
        return Period("last12", str(_("Last 12 months")), as_of - timedelta(days=364), as_of)
    try:
        if "-Q" in key:
            year, quarter = int(key[:4]), int(key.split("-Q")[1])
            if not 1 <= quarter <= 4:
                return None
            start, end = _quarter_bounds(year, quarter)
            return Period(key, quarter_label(year, quarter), start, end)
        year = int(key)
    except ValueError:
        return None
    return Period(key, str(year), date(year, 1, 1), date(year, 12, 31))


def periods_between(first: date, as_of: date) -> list[Period]:
    """The choices of the period picker, newest first."""
    choices = [period_for("last12", as_of), period_for("all", as_of)]
    for year in range(as_of.year, first.year - 1, -1):
        choices.append(period_for(str(year), as_of))
        for quarter in range(4, 0, -1):
            start, _end = _quarter_bounds(year, quarter)
            if first <= _end and start <= as_of:
                choices.append(period_for(f"{year}-Q{quarter}", as_of))
    return choices
