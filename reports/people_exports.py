"""Exports for people (FORMATS.md "Exports for people"): what a team lead downloads from the
dashboard and from a drill-down list, as the page shows it, for German Excel.

A `Download` names what it holds in its first rows (jobcenter, list, period, as-of date)
and carries tables of typed cells. `xlsx()` writes a sheet per table (rates are numbers
shown as percentages, dates are dates); `csv()` writes one table `;`-separated with decimal
commas, UTF-8 with a byte order mark. The figures are the dashboard's (rollup.report,
dashboard.drilldown): nothing is computed here. The machine format of the command
`export_report` is exports.py; both write through its `safe_cell()` and `Sheet`.
"""

import csv as csv_module
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet, Subquery
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook

from employers.models import Integration
from jobcenters.filenames import file_slug

from .dashboard import CARDS, DRILLDOWN_METRICS, reason_rows
from .exports import BOM, CONTENT_TYPES, DATE_FORMAT, Sheet, safe_cell, workbook_bytes
from .labels import DIMENSION_LABELS, TARGET_GROUP_LABELS
from .metrics import DROPPED_OUT, INTEGRATED, counting_integrations
from .periods import Period, parse_key, quarter_label

FORMATS = ("xlsx", "csv")

# How a cell reads: text, a whole number, a share (in percent), a ratio, a date.
TEXT, COUNT, RATE, RATIO, DATE = "text", "count", "rate", "ratio", "date"
XLSX_FORMATS = {RATE: "0.0 %", RATIO: "0.0", DATE: DATE_FORMAT}

_CARD_LABELS = {card.field: card.label for card in CARDS}


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    kind: str = TEXT
    link: str = ""  # on the page: "participant" or "cohort"
    nowrap: bool = False  # on the page: a code or date kept on one line


# The figures of a report row as the dashboard names them: its cards and table headings.
FIGURES = (
    Column("assigned", _("Assigned"), COUNT),
    Column("no_show", _("No-show before start"), COUNT),
    Column("entrants", _("Entrants"), COUNT),
    Column("integrated", _("Integrated"), COUNT),
    Column("dropped_out", _("Dropouts"), COUNT),
    Column("transferred", _("Transferred"), COUNT),
    Column("completed", _("Completed without integration"), COUNT),
    Column("other_exit", _("Other exit"), COUNT),
    Column("active", _("Still active"), COUNT),
    Column("integration_rate", _CARD_LABELS["integration_rate"], RATE),
    Column("dropout_rate", _CARD_LABELS["dropout_rate"], RATE),
    Column("transfer_rate", _("Transfer rate"), RATE),
    Column("completed_rate", _("Rate completed without integration"), RATE),
    Column("other_exit_rate", _("Rate of other exits"), RATE),
    Column("active_rate", _("Rate still active"), RATE),
    Column("positive_rate", _CARD_LABELS["positive_rate"], RATE),
    Column("median_days_to_integration", _CARD_LABELS["median_days_to_integration"], COUNT),
    Column("sustainability_rate_12m", _CARD_LABELS["sustainability_rate_12m"], RATE),
    Column("followups_unknown", _("12-month follow-ups open or unknown"), COUNT),
    Column("attendance_rate", _CARD_LABELS["attendance_rate"], RATE),
    Column("unexcused_rate", _("Unexcused absence rate"), RATE),
    Column("applications_per_entrant", _CARD_LABELS["applications_per_entrant"], RATIO),
    Column("hires_from_proposals", _CARD_LABELS["hires_from_proposals"], RATE),
)

# The dashboard's tables, in its order, and the heading of their first column.
DIMENSIONS = {"site": _("Site"), "programme": _("Programme"), "cohort": _("Cohort"),
              "quarter": _("Quarter"), "target_group": _("Target group")}

# What a file holds, in its name (`abbrueche-jobcenter-dortmund-2025.xlsx`).
REPORT_FILE = pgettext_lazy("file name", "report")
LIST_FILES = {
    "assigned": pgettext_lazy("file name", "assignments"),
    "entrants": pgettext_lazy("file name", "entrants"),
    "positive": pgettext_lazy("file name", "positive outcomes"),
    "integrated": pgettext_lazy("file name", "integrations"),
    "dropped_out": pgettext_lazy("file name", "dropouts"),
    "transferred": pgettext_lazy("file name", "transfers"),
    "completed": pgettext_lazy("file name", "completed without integration"),
    "other_exit": pgettext_lazy("file name", "other exits"),
    "active": pgettext_lazy("file name", "still active"),
}

MAX_NAME = 150


def file_name(*parts) -> str:
    return file_slug(*map(str, parts))[:MAX_NAME].strip("-")


def group_label(dimension: str, key: str) -> str:
    """A group as the dashboard names it: target groups and quarters in words."""
    if dimension == "target_group":
        return str(TARGET_GROUP_LABELS.get(key, key))
    if dimension == "quarter" and (parsed := parse_key(key)) and parsed[1]:
        return quarter_label(*parsed)
    return key


Cell = tuple[object, str]  # a value and how it reads


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Download:
    name: str  # the file name without its extension
    preamble: list[tuple[str, Cell]]
    sheets: list[Table]
    csv_table: Table  # a CSV holds one table


def _preamble(jobcenter, period: Period, as_of: date, heading: str = "") -> list:
    span = ""
    if period.start and period.end:
        span = f" ({period.start:%d.%m.%Y}–{period.end:%d.%m.%Y})"
    rows = [(_("Jobcenter"), (jobcenter.name, TEXT))]
    if heading:
        rows.append((_("List"), (heading, TEXT)))
    rows += [(_("Period"), (f"{period.label}{span}", TEXT)), (_("As of"), (as_of, DATE))]
    return [(str(label), cell) for label, cell in rows]


def _figures(row: dict) -> list[Cell]:
    return [(row.get(column.field), column.kind) for column in FIGURES]


def report_download(*, jobcenter, period: Period, as_of: date, report: dict) -> Download:
    """The dashboard: a sheet "Gesamt" (figure and value), one per table of the page, and
    the exit and dropout reasons; the CSV has the totals and every group row."""
    totals = report["totals"]
    labels = [str(column.label) for column in FIGURES]
    sheets = [Table(str(_("Total")), [str(_("Figure")), str(_("Value"))],
                    [[(column.label, TEXT), (totals.get(column.field), column.kind)]
                     for column in FIGURES])]
    flat = Table(str(_("Total")), [str(_("Breakdown")), str(_("Designation")), *labels],
                 [[(_("Total"), TEXT), (jobcenter.name, TEXT), *_figures(totals)]])
    for dimension, heading in DIMENSIONS.items():
        table = Table(str(DIMENSION_LABELS[dimension]), [str(heading), *labels])
        for row in report["groups"][dimension]:
            name = (group_label(dimension, row["key"]), TEXT)
            table.rows.append([name, *_figures(row)])
            flat.rows.append([(table.title, TEXT), name, *_figures(row)])
        sheets.append(table)
    reasons = reason_rows(report["reasons"])
    for title, kind in ((_("Exit reasons of entrants"), "exit_reason"),
                        (_("Dropout reasons"), "dropout_reason")):
        sheets.append(Table(str(title), [str(_("Reason")), str(_("Enrolments"))],
                            [[(label, TEXT), (count, COUNT)] for label, count in reasons[kind]]))
    return Download(name=file_name(REPORT_FILE, jobcenter.name, period.label),
                    preamble=_preamble(jobcenter, period, as_of), sheets=sheets, csv_table=flat)


# Drill-down lists ----------------------------------------------------------------------------

# The list behind a figure shows what explains it: when the person was assigned, why they
# dropped out, when and where their job started.
_EXPLAINING = {
    "assigned": ("assigned_on",),
    DROPPED_OUT: ("dropout_reason",),
    INTEGRATED: ("job_start_on", "employer"),
    "positive": ("job_start_on", "employer"),
}
_LIST_COLUMNS = (
    Column("name", _("Name"), link="participant"),
    Column("customer_number", _("Customer number"), nowrap=True),
    Column("cohort", _("Cohort"), link="cohort", nowrap=True),
    Column("assigned_on", _("Assigned on"), DATE, nowrap=True),
    Column("joined_on", _("Joined"), DATE, nowrap=True),
    Column("job_start_on", _("Start of work"), DATE, nowrap=True),
    Column("employer", _("Employer")),
    Column("exit_on", _("Exit"), DATE, nowrap=True),
    Column("exit_reason", _("Exit reason")),
    Column("dropout_reason", _("Dropout reason")),
)
_OPTIONAL = {name for names in _EXPLAINING.values() for name in names}


def list_columns(metric: str) -> list[Column]:
    shown = set(_EXPLAINING.get(metric, ()))
    return [c for c in _LIST_COLUMNS if c.field not in _OPTIONAL or c.field in shown]


def with_job_start(enrolments: QuerySet, *, metric: str, as_of: date) -> QuerySet:
    """For a list that shows job starts: each enrolment's first counting job start, the one
    that makes it count as integrated (metrics.counting_integrations)."""
    if "job_start_on" not in _EXPLAINING.get(metric, ()):
        return enrolments
    first = counting_integrations(as_of).order_by("start_on", "pk").values("pk")[:1]
    return enrolments.annotate(job_start_id=Subquery(first))


@dataclass
class ListRow:
    participant_id: int
    cohort_id: int
    cells: list[tuple[Column, object]]


def list_rows(membership, enrolments: Iterable, columns: list[Column]) -> list[ListRow]:
    """The rows of a drill-down list (from `with_job_start`), on the page and in its file;
    job starts and employers as far as the member reaches them."""
    enrolments = list(enrolments)
    starts = [e.job_start_id for e in enrolments if getattr(e, "job_start_id", None)]
    jobs = (Integration.objects.visible_to(membership).select_related("employer")
            .in_bulk(starts)) if starts else {}
    rows = []
    for e in enrolments:
        job = jobs.get(getattr(e, "job_start_id", None))
        values = {
            "name": str(e.participant), "customer_number": e.participant.customer_number,
            "cohort": e.cohort.code, "assigned_on": e.assigned_on, "joined_on": e.joined_on,
            "exit_on": e.exit_on, "exit_reason": e.get_exit_reason_display(),
            "dropout_reason": e.get_dropout_reason_display(),
            "job_start_on": job and job.start_on,
            "employer": job and job.employer and job.employer.name,
        }
        rows.append(ListRow(e.participant_id, e.cohort_id,
                            [(column, values[column.field] or None) for column in columns]))
    return rows


def list_download(*, jobcenter, metric: str, heading: str, group: str, period: Period,
                  as_of: date, columns: list[Column], rows: list[ListRow]) -> Download:
    table = Table(str(DRILLDOWN_METRICS[metric]), [str(c.label) for c in columns],
                  [[(value, column.kind) for column, value in row.cells] for row in rows])
    return Download(name=file_name(LIST_FILES[metric], group, jobcenter.name, period.label),
                    preamble=_preamble(jobcenter, period, as_of, heading), sheets=[table],
                    csv_table=table)


# Writers ----------------------------------------------------------------------------------

_NOT_IN_SHEET_TITLES = str.maketrans("", "", "[]:*?/\\")


def xlsx(download: Download) -> bytes:
    workbook = Workbook()
    preamble = [((label, value), (None, XLSX_FORMATS.get(kind)))
                for label, (value, kind) in download.preamble]
    for number, table in enumerate(download.sheets):
        sheet = Sheet(workbook, table.title.translate(_NOT_IN_SHEET_TITLES)[:31], table.header,
                      first=number == 0, preamble=preamble, frozen_columns=1, wrap_header=True)
        for row in table.rows:
            sheet.append([value for value, _kind in row],
                         [XLSX_FORMATS.get(kind) for _value, kind in row])
        sheet.fit_columns()
    return workbook_bytes(workbook)


def _decimal_comma(number: Decimal) -> str:
    return str(number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).replace(".", ",")


def csv_cell(value, kind: str) -> str:
    """A cell as German Excel reads it: 88,7 %, 1,3, 31.12.2025; text made safe."""
    if value is None:
        return ""
    if kind == RATE:
        return f"{_decimal_comma(Decimal(str(value)) * 100)} %"
    if kind == RATIO:
        return _decimal_comma(Decimal(str(value)))
    if kind == DATE:
        return f"{value:%d.%m.%Y}"
    if kind == COUNT:
        return str(value)
    return safe_cell(str(value))


def csv(download: Download) -> bytes:
    text = io.StringIO()
    writer = csv_module.writer(text, delimiter=";")
    for label, (value, kind) in download.preamble:
        writer.writerow([csv_cell(label, TEXT), csv_cell(value, kind)])
    writer.writerow([])
    table = download.csv_table
    writer.writerow([csv_cell(label, TEXT) for label in table.header])
    for row in table.rows:
        writer.writerow([csv_cell(value, kind) for value, kind in row])
    return (BOM + text.getvalue()).encode("utf-8")


def http_response(download: Download, fmt: str) -> HttpResponse:
    """The download as an attachment in `fmt` (one of FORMATS)."""
    body = xlsx(download) if fmt == "xlsx" else csv(download)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{download.name}.{fmt}"'
    return response
