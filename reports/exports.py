"""The report export of FORMATS.md ("Report export"): one document, three formats.

`report_document()` turns a report of rollup.py into the JSON document of the contract;
`to_json()`, `to_csv()` / `csv_bytes()` and `to_xlsx()` write it. This machine format is
for the command `export_report`; what people download from the browser is written by
people_exports.py with the same cells and sheets (`safe_cell()`, `Sheet`).

Spreadsheets execute what looks like a formula: every text cell goes through
`safe_cell()` (OWASP "CSV injection"), numbers stay numbers.
"""

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .rollup import GROUP_DIMENSIONS

# The fields of `totals` and of every group row, in the order of FORMATS.md.
FIELDS = (
    "assigned", "entrants",
    "integrated", "dropped_out", "transferred", "completed", "other_exit", "active",
    "integration_rate", "dropout_rate", "transfer_rate", "completed_rate", "other_exit_rate",
    "active_rate", "positive_rate",
    "median_days_to_integration",
    "sustainability_rate_12m", "followups_unknown",
    "attendance_rate", "unexcused_rate",
)
RATE_FIELDS = frozenset(name for name in FIELDS if "_rate" in name)
CSV_HEADER = ("dimension", "key", *FIELDS)

FORMATS = ("json", "csv", "xlsx")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

PERCENT = "0%"
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
BOM = "\ufeff"

# A cell starting with one of these is a formula (or becomes one) in Excel/LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value fit for a spreadsheet cell: text that a spreadsheet would read as a
    formula gets a leading `'` (OWASP); anything that is not text is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# The document ----------------------------------------------------------------------------


def _row(figures: Mapping) -> dict:
    return {name: figures[name] for name in FIELDS}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def report_document(*, jobcenter, as_of: date, start: date | None, end: date | None,
                    report: Mapping) -> dict:
    """The JSON document of FORMATS.md for a report of `rollup.report()`.

    `jobcenter` is a Jobcenter or its code. The report's exit/dropout reason counts are
    not part of the contract and are left out.
    """
    groups = report["groups"]
    return {
        "jobcenter": getattr(jobcenter, "code", jobcenter),
        "as_of": as_of.isoformat(),
        "period": {"from": _iso(start), "to": _iso(end)},
        "totals": _row(report["totals"]),
        "groups": {
            dimension: [{"key": row["key"], **_row(row)} for row in groups.get(dimension, ())]
            for dimension in GROUP_DIMENSIONS
        },
    }


def to_json(document: Mapping) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


# CSV -------------------------------------------------------------------------------------


def _csv_rows(document: Mapping) -> Iterable[list]:
    """One row per group row, as FORMATS.md says (the totals are in the JSON and XLSX)."""
    for dimension in GROUP_DIMENSIONS:
        for row in document["groups"][dimension]:
            yield [dimension, row["key"], *(row[name] for name in FIELDS)]


def to_csv(document: Mapping) -> str:
    """`,`-separated, a header row, then one row per group row."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(CSV_HEADER)
    for row in _csv_rows(document):
        writer.writerow("" if value is None else safe_cell(value) for value in row)
    return text.getvalue()


def csv_bytes(document: Mapping) -> bytes:
    """The CSV as UTF-8 with a byte order mark, so that Excel reads the umlauts."""
    return (BOM + to_csv(document)).encode("utf-8")


# XLSX ------------------------------------------------------------------------------------


def _cell_value(value):
    """A Python value as openpyxl should store it: text made safe, dates as dates."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)  # Excel has no time zones: local time
        return value
    if isinstance(value, bool | int | float | Decimal | date) or value is None:
        return value
    # Anything else (e.g. a lazy translation) is text. XML cannot hold most control
    # characters: openpyxl would refuse the whole workbook, so they are dropped.
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _number_format(value) -> str | None:
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    return None


class Sheet:
    """A worksheet written row by row: bold, frozen header; widths fitted to the content.

    `preamble` rows (what the sheet holds, for people) come first, a blank row after them;
    their text runs over the empty cells beside it, so it does not widen the columns.
    `frozen_columns` stay in view when scrolling sideways. A `wrap_header` breaks its
    labels into lines, so that long ones do not make their columns wide.
    """

    MIN_WIDTH, MAX_WIDTH = 8, 50

    def __init__(self, workbook: Workbook, title: str, header: Sequence, *, first=False,
                 preamble: Sequence[tuple[Sequence, Sequence]] = (), frozen_columns=0,
                 wrap_header=False):
        self.sheet = workbook.active if first else workbook.create_sheet()
        self.sheet.title = title
        self.widths = [0] * max([len(header), *(len(values) for values, _f in preamble)])
        self.rows = 0
        for values, formats in preamble:
            self.append(values, formats, measure=False)
        if preamble:
            self.rows += 1
        self.append(header, bold=True, wrap=wrap_header)
        self.sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{self.rows + 1}"

    def append(self, values: Sequence, formats: Sequence[str | None] = (), *, bold=False,
               measure=True, wrap=False):
        self.rows += 1
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.rows, column=column, value=_cell_value(value))
            number_format = (formats[column - 1] if column <= len(formats) else None
                             ) or _number_format(value)
            if number_format:
                cell.number_format = number_format
            if bold:
                cell.font = Font(bold=True)
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if measure:
                width = (max(map(len, str(value).split()), default=0) if wrap
                         else _width(cell.value))
                self.widths[column - 1] = max(self.widths[column - 1], width)

    def fit_columns(self):
        for column, width in enumerate(self.widths, start=1):
            self.sheet.column_dimensions[get_column_letter(column)].width = min(
                self.MAX_WIDTH, max(self.MIN_WIDTH, width + 2))


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return len(DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT)
    if isinstance(value, float):
        return 6  # shown as a percentage or a short number
    return len(str(value))


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_xlsx(document: Mapping) -> bytes:
    """A sheet `totals` (field/value rows: the jobcenter, as-of date and period, then
    the fields) and one sheet per dimension (header: key and the fields; a row per
    group row). Rates are numbers shown as percentages, dates are Excel dates."""
    workbook = Workbook()
    totals = Sheet(workbook, "totals", ("field", "value"), first=True)
    period = document["period"]
    totals.append(("jobcenter", document["jobcenter"]))
    for name, day in (("as_of", document["as_of"]), ("from", period["from"]),
                      ("to", period["to"])):
        totals.append((name, date.fromisoformat(day) if day else None))
    for name in FIELDS:
        totals.append((name, document["totals"][name]),
                      (None, PERCENT if name in RATE_FIELDS else None))
    totals.fit_columns()

    formats = (None, *(PERCENT if name in RATE_FIELDS else None for name in FIELDS))
    for dimension in GROUP_DIMENSIONS:
        sheet = Sheet(workbook, dimension, ("key", *FIELDS))
        for row in document["groups"][dimension]:
            sheet.append((row["key"], *(row[name] for name in FIELDS)), formats)
        sheet.fit_columns()
    return workbook_bytes(workbook)
