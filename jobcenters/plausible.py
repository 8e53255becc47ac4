"""What a date or a year of birth may plausibly be, wherever a person types or imports one.

One definition for the forms (`jobcenters.forms.DateField`), the list imports
(`imports.tabular.RowReader`) and the report periods: a mistyped `01.01.0202` is
refused where it is typed instead of growing every list that spans the data.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST_DATE = date(1990, 1, 1)
YEARS_AHEAD = 2  # plans (cohorts, sessions, vacancies) reach at most this far ahead
OLDEST_BIRTH_YEAR = 1930
YOUNGEST_AGE = 16


def _today(today: date | None) -> date:
    return timezone.localdate() if today is None else today


def latest_date(today: date | None = None) -> date:
    """Two years ahead of today (a 29 February becomes the 28th)."""
    today = _today(today)
    day = 28 if today.month == 2 and today.day == 29 else today.day
    return today.replace(year=today.year + YEARS_AHEAD, day=day)


def date_bounds(today: date | None = None) -> tuple[date, date]:
    return EARLIEST_DATE, latest_date(today)


def is_plausible_date(value: date, today: date | None = None) -> bool:
    earliest, latest = date_bounds(today)
    return earliest <= value <= latest


def date_message(today: date | None = None) -> str:
    earliest, latest = date_bounds(today)
    return _("Please enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": date_format(earliest, "SHORT_DATE_FORMAT"),
        "latest": date_format(latest, "SHORT_DATE_FORMAT")}


def validate_date(value) -> None:
    """Validator of every date field a person fills in."""
    if value is not None and not is_plausible_date(value):
        raise ValidationError(date_message(), code="implausible_date")


def birth_year_bounds(today: date | None = None) -> tuple[int, int]:
    return OLDEST_BIRTH_YEAR, _today(today).year - YOUNGEST_AGE


def birth_year_message(today: date | None = None) -> str:
    oldest, youngest = birth_year_bounds(today)
    return _("The year of birth must lie between %(oldest)s and %(youngest)s.") % {
        "oldest": oldest, "youngest": youngest}


def validate_birth_year(value) -> None:
    if value is None:
        return
    oldest, youngest = birth_year_bounds()
    if not oldest <= value <= youngest:
        raise ValidationError(birth_year_message(), code="implausible_birth_year")
