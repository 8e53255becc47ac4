"""The import engine: one list (`.csv` or `.xlsx`) into one jobcenter, all or nothing.

A kind of list is a `ListType`: it declares its columns and wording, parses and checks
its rows, and writes one row through the domain services. The engine does the rest,
the same for every list (FORMATS.md):

1. The file is read (`tabular.read_table`); every row is parsed and checked on its own
   and against the other rows of the file (`ListType.validate`). Any error there stops
   the import before it writes.
2. One transaction first locks the jobcenter's row, so that two imports into one
   jobcenter run one after the other, and only then loads what the database already
   holds for the file (`ListType.load_known`, a few queries for the whole file): the
   second import finds the first one's rows and reuses them. What a new entity needs
   is checked against that (`ListType.check_known`).
3. Each row is written in a savepoint (`ListType.write_row`): a service's
   `ValidationError` becomes errors of that row, in the file's column names, and the
   next rows are still tried; rows that depend on an entity whose creation failed are
   skipped (that row has the error). What a row wrote is remembered only once its
   savepoint is released. With any error, or for a dry run, everything is rolled back.

Errors are sorted by row. The caller enters `django_scopes.scope(jobcenter=…)`.
"""

import csv
import io
import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imports.tabular import (
    FILE_ROW,
    MAX_ROWS,
    Column,
    RowError,
    RowReader,
    Table,
    TabularError,
    display,
    read_table,
)
from jobcenters.models import Jobcenter

# Declarations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """A number the import reports: its name in `ImportResult.counts` and its phrase,
    `ngettext_lazy("%(n)s …", "%(n)s …", "n")`. `changes` is False for a count of things
    that were found, not written (reused employers)."""

    name: str
    phrase: object
    changes: bool = True


@dataclass
class Line:
    """One parsed row; a list's own line adds its columns' values."""

    number: int
    cells: dict


@dataclass
class Plan:
    """What `validate` made of the file: its lines, and whatever else the list merged
    from them (the cohorts, people or employers the rows describe)."""

    lines: list


class Known:
    """What the database holds for the file, loaded once; a list's own class loads its
    attributes (dicts or sets). `remember` adds what a written row created."""

    def remember(self, new: Mapping[str, Iterable]):
        for name, items in new.items():
            getattr(self, name).update(items)


@dataclass
class Written:
    """What one row wrote: counts to add, and for `Known.remember` attribute → items."""

    counts: Counter = field(default_factory=Counter)
    new: dict = field(default_factory=dict)


class ListType:
    """A kind of list. Subclasses declare the attributes and implement the hooks."""

    kind: str = ""  # "enrolments", "employers"
    columns: tuple[Column, ...] = ()
    column_help: Mapping[str, object] = {}  # column name → lazy text for the upload page
    example_rows: tuple[tuple[str, ...], ...] = ()
    counts: tuple[Count, ...] = ()  # in the order of `ImportResult.phrases()`
    summary: str = ""  # the command's summary line, `str.format` of the counts
    extra_lines: tuple[str, ...] = ()  # more lines the command prints, formatted alike

    plan_class: type[Plan] = Plan

    def validate(self, table: Table, today: date) -> tuple[Plan, list[RowError]]:
        """Parse every row and check it on its own and against the other rows."""
        plan, errors = self.plan_class(lines=[]), []
        for row in table.rows:
            r = RowReader(table, row)
            plan.lines.append(self.read_row(r, plan, today))
            errors += r.errors
        return plan, errors

    def read_row(self, r: RowReader, plan: Plan, today: date) -> Line:
        """Parse one row and check it; merge it into the plan, checking it against the
        rows before. Errors go to `r`."""
        raise NotImplementedError

    def load_known(self, jobcenter: Jobcenter, plan: Plan) -> Known:
        """Load what the database holds for the plan, in a few queries for the whole file."""
        raise NotImplementedError

    def check_known(self, table: Table, plan: Plan, known: Known) -> list[RowError]:
        """Errors that depend on what exists already (what a new entity needs)."""
        return []

    def dependencies(self, line: Line) -> Iterable[Hashable]:
        """Keys of the entities the row needs: if a row failed to create one (see
        `WritePass.step(creates=…)`), the later rows that need it are skipped."""
        return ()

    def write_row(self, run: "WritePass", line: Line) -> Written:
        """Write one row through the services, each call in `run.step(…)`."""
        raise NotImplementedError

    def example_csv(self) -> str:
        """The example file: `;`-separated as German Excel writes it, with a BOM."""
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(column.aliases[0] for column in self.columns)
        writer.writerows(self.example_rows)
        return "\ufeff" + text.getvalue()


def example_csv(list_type: ListType) -> str:
    return list_type.example_csv()


# Helpers for the lists -----------------------------------------------------------------------


def same(value):
    """How two rows' values are compared: texts ignoring case and repeated blanks."""
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    if isinstance(value, list):
        return tuple(sorted(value))
    return value


def short_date(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def shown(value) -> str:
    """A parsed value as an error message quotes it."""
    if isinstance(value, list):
        value = "; ".join(value)
    elif isinstance(value, date):
        value = short_date(value)
    return display(value)


@dataclass
class Entity:
    """What the rows of a file say about one thing (a cohort, a person, an employer):
    the first row's line, and the first value each column gives."""

    first: Line
    facts: dict = field(default_factory=dict)  # column -> (value, row number)
    failed: set = field(default_factory=set)  # columns that failed to parse in some row

    def merge(self, r: RowReader, line: Line, columns: Iterable[str], message: str):
        """Take the row's values; one that contradicts an earlier row is an error,
        `message % {"row": …, "other": …}` naming that row and its value."""
        for column in columns:
            if r.failed(column):
                self.failed.add(column)
                continue
            value = getattr(line, column)
            if value in (None, "", []):
                continue
            if column not in self.facts:
                self.facts[column] = (value, line.number)
                continue
            known, row = self.facts[column]
            if same(known) != same(value):
                r.error(column, message % {"row": row, "other": shown(known)})

    def value(self, column: str, default=None):
        return self.facts.get(column, (default, None))[0]


# Writing -------------------------------------------------------------------------------------


class RowFailed(Exception):
    def __init__(self, errors: list[RowError], creates: Hashable | None):
        self.errors = errors
        self.creates = creates


@dataclass
class WritePass:
    """The import being written: what `write_row` needs besides the line."""

    jobcenter: Jobcenter
    table: Table
    plan: Plan
    known: Known
    today: date

    @contextmanager
    def step(self, line: Line, fields: Mapping[str, str], default: str, *,
             creates: Hashable | None = None):
        """Turn a service's refusal into errors of this row, in the file's column names.

        `fields` maps the service's field names to columns, `default` is the column of
        other errors; `creates` is the key (see `ListType.dependencies`) of the entity
        this step creates, so that later rows needing it are skipped if it fails.
        """
        try:
            yield
        except ValidationError as error:
            items = (error.message_dict.items() if hasattr(error, "error_dict")
                     else [(NON_FIELD_ERRORS, error.messages)])
            raise RowFailed([
                self._error(line, fields.get(name, default), message)
                for name, messages in items for message in messages
            ], creates) from error
        except IntegrityError as error:  # another import or a user wrote the same row just now
            raise RowFailed([self._error(line, default, _(
                "Changed at the same time by someone else; please import again."))],
                creates) from error

    def _error(self, line: Line, column: str, message) -> RowError:
        return RowError(line.number, self.table.label(column),
                        display(line.cells.get(column)), str(message))


# Results -------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    list_type: ListType
    counts: dict = field(default_factory=dict)  # Count.name -> number
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    dry_run: bool = False

    def __post_init__(self):
        self.counts = {count.name: self.counts.get(count.name, 0)
                       for count in self.list_type.counts}

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes_anything(self) -> bool:
        return any(self.counts[count.name] for count in self.list_type.counts if count.changes)

    def summary(self) -> str:
        """The command's summary line (FORMATS.md); not translated."""
        return self.list_type.summary.format(**self.counts)

    def extra_lines(self) -> list[str]:
        """The command's further lines; not translated."""
        return [line.format(**self.counts) for line in self.list_type.extra_lines]

    def phrases(self) -> list[str]:
        """What was (or would be) written, in words, leaving out zeros."""
        return [count.phrase % {"n": self.counts[count.name]}
                for count in self.list_type.counts if self.counts[count.name]]

    def error_lines(self) -> list[str]:
        """The errors as the command prints them, one line each."""
        return [str(error) for error in self.errors]


class _Rollback(Exception):
    pass


def run_import(list_type: ListType, *, jobcenter: Jobcenter, file, filename: str,
               dry_run: bool = False, max_rows: int = MAX_ROWS,
               progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import a list (`.csv` or `.xlsx`; file-like object or bytes) into the jobcenter.

    All or nothing: with any error nothing is written and `errors` lists them all;
    `dry_run` writes nothing either and reports what would be written. `progress`, if
    given, is called as `progress(done_rows, total_rows)` about every 1 % of the rows
    written and at the end.
    """
    result = ImportResult(list_type, dry_run=dry_run)
    try:
        table = read_table(file, filename, list_type.columns, max_rows=max_rows)
    except TabularError as error:
        result.errors = error.errors
        return result
    result.rows = len(table.rows)
    if not table.rows:
        result.errors = [RowError(FILE_ROW, "", "", _("The file has no rows below the header."))]
        return result

    today = timezone.localdate()
    plan, errors = list_type.validate(table, today)
    if errors:  # name what the rows lack as well, without waiting for another import
        errors += list_type.check_known(table, plan, list_type.load_known(jobcenter, plan))
        result.errors = sorted(errors, key=lambda e: e.row)
        return result

    counts = Counter()
    try:
        with transaction.atomic():
            # One import per jobcenter at a time; what exists is loaded after the lock.
            Jobcenter.objects.select_for_update().get(pk=jobcenter.pk)
            run = WritePass(jobcenter, table, plan, list_type.load_known(jobcenter, plan), today)
            errors = list_type.check_known(table, plan, run.known)
            if not errors:
                errors = _write(list_type, run, counts, progress)
            if errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if errors:
        result.errors = sorted(errors, key=lambda e: e.row)
    else:
        result.counts.update(counts)
    return result


def _write(list_type: ListType, run: WritePass, counts: Counter, progress) -> list[RowError]:
    errors: list[RowError] = []
    failed: set = set()  # keys of the entities that a row failed to create
    lines = run.plan.lines
    every = max(1, math.ceil(len(lines) / 100))  # at most about 100 reports
    for done, line in enumerate(lines, start=1):
        if failed.isdisjoint(list_type.dependencies(line)):
            try:
                with transaction.atomic():
                    written = list_type.write_row(run, line)
            except RowFailed as failure:
                errors += failure.errors
                if failure.creates is not None:
                    failed.add(failure.creates)
            else:
                counts.update(written.counts)
                run.known.remember(written.new)
        if progress is not None and (done % every == 0 or done == len(lines)):
            progress(done, len(lines))
    return errors
