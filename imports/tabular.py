"""Reading tables that staff keep in Excel: `.csv` or `.xlsx`, no domain knowledge.

`read_table()` turns a file into rows keyed by canonical column names; header names
are matched without regard to case, surrounding blanks and `-`/`_`/space, and aliases
(the German names) are accepted. `RowReader` parses one row's cells (dates, years,
choices, text) and collects a `RowError` per bad cell instead of raising.

Row numbers are those the user sees in Excel: the header is row 1, the first data row
is row 2. Errors about the file as a whole have row 0; errors about the header row 1.
Imports of any kind (enrolments, employers, …) build on this module.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.utils import translation
from django.utils.translation import gettext as _

from jobcenters.plausible import date_message, is_plausible_date

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx is a zip archive: its content unpacked
EXTENSIONS = (".csv", ".xlsx")
FILE_ROW = 0  # RowError.row of an error about the whole file


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str

    def __str__(self):
        """`row N, column X: message (found: 'value')` — for logs and the command line."""
        where = "file" if self.row == FILE_ROW else f"row {self.row}"
        if self.column:
            where += f", column {self.column}"
        text = f"{where}: {self.message}"
        if self.value:
            text += f" (found: {self.value!r})"
        return text


class TabularError(Exception):
    """The file cannot be read as a table: wrong type, too big, unusable header."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Column:
    """A column the reader knows: canonical name, accepted aliases, required or not."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def match_keys(self) -> set[str]:
        return {header_key(n) for n in (self.name, *self.aliases)}


@dataclass
class Row:
    number: int
    cells: dict[str, object]  # canonical column name -> raw cell (str, date, number or None)


@dataclass
class Table:
    headers: dict[str, str]  # canonical column name -> header as written in the file
    rows: list[Row] = field(default_factory=list)

    def label(self, column: str) -> str:
        """The column as the user wrote it in the file (the canonical name if absent)."""
        return self.headers.get(column, column)


_SEPARATORS = re.compile(r"[\s_\-]+")


def header_key(text: str) -> str:
    """Key for matching names: ignores case, surrounding blanks and `-`, `_`, spaces."""
    return _SEPARATORS.sub("", str(text)).casefold()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def display(value) -> str:
    """A cell as text for an error message."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# Reading -----------------------------------------------------------------------------------


def read_table(file, filename: str, columns: Iterable[Column], *, max_rows: int = MAX_ROWS,
               max_bytes: int = MAX_BYTES) -> Table:
    """Read a `.csv` or `.xlsx` file (file-like object or bytes) into a `Table`.

    Raises `TabularError` when the file as a whole is unusable: unknown type, too big,
    too many rows, not readable, a missing required column or an unknown column.
    Completely empty rows are skipped.
    """
    columns = tuple(columns)
    extension = PurePath(filename or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise TabularError([RowError(FILE_ROW, "", filename or "", _(
            "Please upload a .csv or .xlsx file."))])
    data = file if isinstance(file, bytes) else file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TabularError([RowError(FILE_ROW, "", "", _(
            "The file is larger than %(size)s MB. Please split it into several files."
        ) % {"size": max_bytes // (1024 * 1024)})])
    lines = _csv_rows(data) if extension == ".csv" else _xlsx_rows(data)
    return _to_table(lines, columns, max_rows)


def _csv_rows(data: bytes) -> Iterator[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TabularError([RowError(FILE_ROW, "", "", _(
            "The file is not UTF-8 encoded. In Excel, save it as “CSV UTF-8”."
        ))]) from error
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise TabularError([RowError(FILE_ROW, "", "", _(
            "The file cannot be read as CSV: %(reason)s"
        ) % {"reason": error})]) from error


def _xlsx_rows(data: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    unreadable = TabularError([RowError(FILE_ROW, "", "", _(
        "The file cannot be read as an Excel workbook (.xlsx)."
    ))])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise unreadable from error
    if unpacked > MAX_UNPACKED_BYTES:  # a "zip bomb" would fill the memory
        raise unreadable
    # With defusedxml installed (a dependency), openpyxl refuses entity declarations
    # (XML bombs, external entities) with an exception of its own: here, as every other
    # fault of a broken or foreign file, it makes the file unreadable. A read-only sheet
    # is parsed while its rows are read, so reading the rows is guarded too.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # whatever a broken or foreign file raises, it is unusable
        raise unreadable from error
    try:
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # some writers store wrong dimensions; read every row
            rows = sheet.iter_rows(min_row=1, values_only=True)
        except Exception as error:
            raise unreadable from error
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as error:  # as when loading: the file is unusable
                raise unreadable from error
            yield list(row)
    finally:
        workbook.close()


def _to_table(lines: Iterator[list], columns: tuple[Column, ...], max_rows: int) -> Table:
    by_key = {key: column for column in columns for key in column.match_keys()}
    table = None
    positions: dict[int, str] = {}
    stray: list[RowError] = []
    for number, cells in enumerate(lines, start=1):
        if all(is_blank(cell) for cell in cells):
            continue
        if table is None:
            table, positions = _match_header(cells, number, by_key, columns)
            continue
        if len(table.rows) >= max_rows:
            raise TabularError([RowError(number, "", "", _(
                "The file has more than %(max)s rows. Please split it into several files."
            ) % {"max": max_rows})])
        values = {}
        for position, cell in enumerate(cells):
            name = positions.get(position)
            if name is not None:
                values[name] = cell.strip() if isinstance(cell, str) else cell
            elif not is_blank(cell):
                stray.append(RowError(number, "", display(cell), _(
                    "This value stands in a column without a heading."
                )))
        table.rows.append(Row(number, values))
    if table is None:
        raise TabularError([RowError(FILE_ROW, "", "", _("The file is empty."))])
    if stray:
        raise TabularError(stray)
    return table


def _match_header(cells: list, number: int, by_key: Mapping[str, Column],
                  columns: tuple[Column, ...]) -> tuple[Table, dict[int, str]]:
    headers: dict[str, str] = {}
    positions: dict[int, str] = {}
    errors: list[RowError] = []
    unknown = []
    for position, cell in enumerate(cells):
        if is_blank(cell):
            continue
        written = display(cell)
        column = by_key.get(header_key(written))
        if column is None:
            unknown.append(written)
        elif column.name in headers:
            errors.append(RowError(number, written, written, _(
                "The column “%(column)s” appears twice."
            ) % {"column": headers[column.name]}))
        else:
            headers[column.name] = written
            positions[position] = column.name
    if unknown:
        errors.append(RowError(number, "", ", ".join(unknown), _(
            "Unknown columns: %(unknown)s. Known columns are: %(known)s."
        ) % {"unknown": ", ".join(unknown), "known": ", ".join(_names(columns))}))
    missing = [c for c in columns if c.required and c.name not in headers]
    if missing:
        errors.append(RowError(number, "", "", _(
            "Required columns are missing: %(missing)s."
        ) % {"missing": ", ".join(_names(missing))}))
    if errors:
        raise TabularError(errors)
    return Table(headers), positions


def _names(columns: Iterable[Column]) -> list[str]:
    """`Kundennummer (customer_number)`: the first alias, with the canonical name."""
    return [f"{c.aliases[0]} ({c.name})" if c.aliases else c.name for c in columns]


# Parsing cells -----------------------------------------------------------------------------

_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?")


class ParseError(ValueError):
    """A cell's value does not fit its column; the message is for the user."""


def parse_date(value) -> date | None:
    """ISO `2024-03-01`, German `01.03.2024`, or a date cell. Empty → None."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if match := _GERMAN_DATE.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ParseError(_("This is not a date. Please write it as 01.03.2024 or 2024-03-01."))
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ParseError(_("This date does not exist.")) from error


def parse_year(value, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A 4-digit year (text or number cell). Empty → None."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ParseError(_("Please give the year with 4 digits, e.g. 1985."))
    year = int(text)
    if (minimum is not None and year < minimum) or (maximum is not None and year > maximum):
        raise ParseError(_("The year must lie between %(min)s and %(max)s.") % {
            "min": minimum, "max": maximum})
    return year


def parse_text(value) -> str:
    """Text with blanks stripped; whole numbers from Excel without `.0`. Empty → ''."""
    return display(value)


class ChoiceLookup(dict):
    """Lookup key → code, and the values to name when a cell fits none (`shown`, lazy
    labels: in the language active when the message is written)."""

    shown: tuple = ()


def allowed_values(lookup: Mapping[str, str]) -> str:
    """What a message names as allowed: the labels, else the codes."""
    shown = getattr(lookup, "shown", ()) or sorted(set(lookup.values()))
    return ", ".join(str(value) for value in shown)


def choice_map(choices: Iterable[tuple[str, object]],
               aliases: Mapping[str, Iterable[str]] | None = None,
               languages: Iterable[str] = ("en", "de"),
               shown: Iterable[object] | None = None) -> ChoiceLookup:
    """Lookup key → code from `(code, label)` pairs (e.g. `TextChoices.choices`).

    Codes, their labels in each language and the extra aliases are accepted; a code
    wins over another code's label. Empty codes are left out. Messages name `shown`,
    by default the labels.
    """
    choices = list(choices)
    lookup = ChoiceLookup()
    lookup.shown = tuple(shown if shown is not None else (label for code, label in choices
                                                          if code))
    for code, label in choices:
        if not code:
            continue
        for language in languages:
            with translation.override(language):
                lookup.setdefault(header_key(_(str(label))), code)
    for code, names in (aliases or {}).items():
        for name in names:
            lookup.setdefault(header_key(name), code)
    for code, _label in choices:
        if code:
            lookup[header_key(code)] = code
    return lookup


def parse_choice(value, lookup: Mapping[str, str]) -> str:
    """The code for a cell (matched like headers). Empty → ''."""
    if is_blank(value):
        return ""
    code = lookup.get(header_key(display(value)))
    if code is None:
        raise ParseError(_("Unknown value. Allowed: %(allowed)s.") % {
            "allowed": allowed_values(lookup)})
    return code


def parse_multi_choice(value, lookup: Mapping[str, str]) -> list[str]:
    """`;`-separated choices → list of codes without repeats."""
    if is_blank(value):
        return []
    codes, unknown = [], []
    for part in display(value).split(";"):
        if not part.strip():
            continue
        code = lookup.get(header_key(part))
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise ParseError(_("Unknown values: %(unknown)s. Allowed: %(allowed)s.") % {
            "unknown": ", ".join(unknown), "allowed": allowed_values(lookup)})
    return codes


class RowReader:
    """Parses the cells of one row, collecting a `RowError` per bad cell.

    A bad cell yields None (or '' / []) so that checks can go on; `failed(column)`
    tells whether a column already has an error (to avoid follow-on errors).
    """

    def __init__(self, table: Table, row: Row):
        self.table = table
        self.row = row
        self.errors: list[RowError] = []

    def raw(self, column: str):
        return self.row.cells.get(column)

    def error(self, column: str, message: str, value=None):
        shown = display(self.raw(column) if value is None else value)
        self.errors.append(RowError(self.row.number, self.table.label(column) if column else "",
                                    shown, str(message)))

    def failed(self, column: str) -> bool:
        label = self.table.label(column)
        return any(e.column == label for e in self.errors)

    def _parse(self, column, parser, empty, *args, **kwargs):
        try:
            return parser(self.raw(column), *args, **kwargs)
        except ParseError as error:
            self.error(column, str(error))
            return empty

    def text(self, column: str, *, max_length: int | None = None) -> str:
        value = parse_text(self.raw(column))
        if max_length is not None and len(value) > max_length:
            self.error(column, _("At most %(max)s characters, please.") % {"max": max_length})
            return ""
        return value

    def date(self, column: str) -> date | None:
        """A date between 1990 and two years ahead (`plausible.py`), as in the forms."""
        value = self._parse(column, parse_date, None)
        if value is not None and not is_plausible_date(value):
            self.error(column, date_message())
            return None
        return value

    def year(self, column: str, **bounds) -> int | None:
        return self._parse(column, parse_year, None, **bounds)

    def choice(self, column: str, lookup: Mapping[str, str]) -> str:
        return self._parse(column, parse_choice, "", lookup)

    def multi_choice(self, column: str, lookup: Mapping[str, str]) -> list[str]:
        return self._parse(column, parse_multi_choice, [], lookup)
