"""Import of the employer service's employer lists (`.csv` or `.xlsx`).

One row per employer, or per contact person of an employer. The import is all or
nothing and idempotent, like the enrolment import:

1. Every row is parsed and checked on its own and against the other rows of the file
   (`_validate`); any error there stops the import before it writes.
2. Inside one transaction each row is written through the services, each row in a
   savepoint so that a refusal becomes errors of that row and the next rows are still
   tried; with any error, or for a dry run, everything is rolled back.

An employer is identified by its name and town as `employer_duplicates` compares them
(`matching.name_key` and `matching.town_key`): "Müller GmbH" and "Mueller Gmbh." in
Dortmund are one employer. Rows of the file that match each other are one employer (the
first row's spelling is kept); an employer that matches an existing one reuses it and
is never changed. A contact person is added to an employer unless it already has a
contact with that name (ignoring case and repeated blanks).

The caller enters `django_scopes.scope(jobcenter=…)`.
"""

import csv
import io
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from employers.matching import name_key, town_key
from employers.models import ContactPerson, Employer
from employers.services import DuplicateEmployer, employer_save
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

COLUMNS = (
    Column("name", ("Arbeitgeber", "Name"), required=True),
    Column("sector", ("Branche",)),
    Column("town", ("Ort",)),
    Column("contact_person", ("Ansprechperson", "Ansprechpartner")),
    Column("phone", ("Telefon",)),
    Column("email", ("E-Mail",)),
)

# What each column holds, for an upload page's help.
COLUMN_HELP = {
    "name": gettext_lazy("Name of the employer; an existing employer of the same name in the "
                         "same town is reused"),
    "sector": gettext_lazy("Sector; only for a new employer"),
    "town": gettext_lazy("Town; the same name in another town is another employer"),
    "contact_person": gettext_lazy("Name of a contact person; added unless the employer "
                                   "already has a contact of that name"),
    "phone": gettext_lazy("Phone number of the contact person"),
    "email": gettext_lazy("E-mail address of the contact person"),
}

# The example file offered for download: the German headers and two rows.
EXAMPLE_ROWS = (
    ("Logistik Nord GmbH", "Logistik", "Dortmund", "Petra Schmidt", "0231 123456",
     "p.schmidt@logistik-nord.example"),
    ("Logistik Nord GmbH", "Logistik", "Dortmund", "Jan Weber", "", ""),
)

# Where the model fields and the columns of the file meet: (column, model, field).
_FIELDS = (
    ("name", Employer, "name"),
    ("sector", Employer, "sector"),
    ("town", Employer, "town"),
    ("contact_person", ContactPerson, "name"),
    ("phone", ContactPerson, "phone"),
    ("email", ContactPerson, "email"),
)
# Service/model field → column, for the errors of a write; the second item takes the rest.
_EMPLOYER_COLUMNS = ({"name": "name", "sector": "sector", "town": "town"}, "name")
_CONTACT_COLUMNS = ({"name": "contact_person", "phone": "phone", "email": "email"},
                    "contact_person")


def example_csv() -> str:
    """The example file: `;`-separated as German Excel writes it, with a BOM."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(column.aliases[0] for column in COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    return "\ufeff" + text.getvalue()


# Results -----------------------------------------------------------------------------------


@dataclass
class Created:
    employers: int = 0
    contacts: int = 0


@dataclass
class EmployerImportResult:
    created: Created = field(default_factory=Created)
    reused: int = 0  # existing employers the file refers to
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes_anything(self) -> bool:
        return bool(self.created.employers or self.created.contacts)

    def summary(self) -> str:
        """The command's summary line; not translated."""
        return (f"created: {self.created.employers} employers, {self.created.contacts} "
                f"contacts; reused: {self.reused} employers")

    def phrases(self) -> list[str]:
        """What was (or would be) created and reused, in words, leaving out zeros."""
        c = self.created
        candidates = [
            (c.employers, ngettext("%(n)s new employer", "%(n)s new employers", c.employers)),
            (c.contacts, ngettext("%(n)s new contact person", "%(n)s new contact people",
                                  c.contacts)),
            (self.reused, ngettext("%(n)s existing employer", "%(n)s existing employers",
                                   self.reused)),
        ]
        return [text % {"n": n} for n, text in candidates if n]


# Validation ----------------------------------------------------------------------------------


def _same(text: str) -> str:
    """How names and other texts of two rows are compared: ignoring case and blanks."""
    return " ".join(text.split()).casefold()


@dataclass
class _Line:
    """One parsed row."""

    number: int
    cells: dict
    name: str = ""
    sector: str = ""
    town: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""

    @property
    def employer_key(self) -> tuple[str, str] | None:
        """The employer as `employer_duplicates` identifies it: name and town."""
        key = name_key(self.name)
        return (key, town_key(self.town)) if key else None

    @property
    def contact_key(self) -> str:
        return _same(self.contact_person)


def _parse(r: RowReader) -> _Line:
    """The row's cells as text, checked against the model fields' own validators."""
    values = {}
    for column, model, name in _FIELDS:
        model_field = model._meta.get_field(name)
        value = " ".join(r.text(column, max_length=model_field.max_length).split())
        if value:
            try:
                model_field.run_validators(value)
            except ValidationError as error:
                for message in error.messages:
                    r.error(column, message)
                value = ""
        values[column] = value
    return _Line(number=r.row.number, cells=r.row.cells, **values)


def _check_row(r: RowReader, line: _Line):
    if not r.failed("name"):
        if not line.name:
            r.error("name", _("This column must not be empty."))
        elif line.employer_key is None:
            r.error("name", _("This is not an employer's name."))
    if (line.phone or line.email) and not line.contact_person and not r.failed("contact_person"):
        r.error("contact_person", _("A phone number or e-mail address needs the name of the "
                                    "contact person."))


@dataclass
class _Entity:
    """What the rows of a file say about one employer or one contact person."""

    first: _Line
    facts: dict = field(default_factory=dict)  # column -> (value, row number)

    def merge(self, r: RowReader, line: _Line, columns: Iterable[str], message: str):
        for column in columns:
            value = getattr(line, column)
            if not value or r.failed(column):
                continue
            if column not in self.facts:
                self.facts[column] = (value, line.number)
                continue
            known, row = self.facts[column]
            if _same(known) != _same(value):
                r.error(column, message % {"row": row, "other": known})

    def value(self, column: str) -> str:
        return self.facts.get(column, ("", None))[0]


def _validate(table: Table):
    """Parse and check every row on its own and against the other rows of the file.

    Returns (lines, employers, contacts, errors); the entities merge what the rows say
    about each employer (by name and town) and each of its contact people (by name).
    """
    lines: list[_Line] = []
    errors: list[RowError] = []
    employers: dict[tuple[str, str], _Entity] = {}
    contacts: dict[tuple[tuple[str, str], str], _Entity] = {}
    for row in table.rows:
        r = RowReader(table, row)
        line = _parse(r)
        _check_row(r, line)
        key = line.employer_key
        if key is not None and not r.failed("town"):
            employer = employers.setdefault(key, _Entity(line))
            employer.merge(r, line, ("sector",), _(
                "Row %(row)s gives “%(other)s” for the same employer."))
            if line.contact_person:
                contact = contacts.setdefault((key, line.contact_key), _Entity(line))
                contact.merge(r, line, ("phone", "email"), _(
                    "Row %(row)s gives “%(other)s” for the same contact person."))
        errors += r.errors
        lines.append(line)
    return lines, employers, contacts, errors


# Writing ---------------------------------------------------------------------------------


class _Known:
    """The jobcenter's employers that the file names, and their contact people's names.

    Loaded in two queries; rows written later add what they created (`remember`).
    Employers are matched as `employer_duplicates` matches them (same `name_key`, same
    town); `employer_save` still checks every new employer itself.
    """

    def __init__(self, jobcenter: Jobcenter, employer_keys: Iterable[tuple[str, str]]):
        keys = set(employer_keys)
        self.employers: dict[tuple[str, str], Employer] = {}
        candidates = Employer.objects.filter(
            jobcenter=jobcenter, name_key__in=sorted({name for name, _town in keys}),
        ).order_by("pk")
        for employer in candidates:
            key = (employer.name_key, town_key(employer.town))
            if key in keys:
                self.employers.setdefault(key, employer)  # of two duplicates, the oldest
        self.contacts: set[tuple[int, str]] = {
            (employer_id, _same(name)) for employer_id, name in ContactPerson.objects.filter(
                jobcenter=jobcenter, employer__in=[e.pk for e in self.employers.values()],
            ).values_list("employer_id", "name")
        }
        self.created: set[int] = set()  # ids of the employers this import created
        self.reused: set[int] = set()  # ids of the existing employers the file names
        self.contacts_created = 0

    def remember(self, new: "_New"):
        self.employers.update(new.employers)
        self.created |= new.created
        self.reused |= new.reused
        self.contacts |= new.contacts
        self.contacts_created += len(new.contacts)


@dataclass
class _New:
    """What one row wrote: remembered only once its savepoint has been released."""

    employers: dict = field(default_factory=dict)  # employer key -> Employer
    created: set = field(default_factory=set)  # employer ids
    reused: set = field(default_factory=set)  # employer ids
    contacts: set = field(default_factory=set)  # (employer id, contact key)


class _RowFailed(Exception):
    def __init__(self, errors: list[RowError], employer_failed: bool):
        self.errors = errors
        self.employer_failed = employer_failed


class _Rollback(Exception):
    pass


@contextmanager
def _step(table: Table, line: _Line, columns, *, employer: bool):
    """Turn a refusal of a service or model into errors of this row, in the file's names."""
    fields, default = columns
    try:
        yield
    except ValidationError as error:
        items = (error.message_dict.items() if hasattr(error, "error_dict")
                 else [(NON_FIELD_ERRORS, error.messages)])
        raise _RowFailed([
            RowError(line.number, table.label(fields.get(f, default)),
                     display(line.cells.get(fields.get(f, default))), message)
            for f, messages in items for message in messages
        ], employer_failed=employer) from error


def _write_line(jobcenter: Jobcenter, table: Table, line: _Line, employers, contacts,
                known: _Known) -> _New:
    """Write one row through the services; returns what it created and reused."""
    new = _New()
    key = line.employer_key

    employer = known.employers.get(key)
    if employer is None:
        spec = employers[key]
        with _step(table, line, _EMPLOYER_COLUMNS, employer=True):
            try:
                employer = employer_save(jobcenter=jobcenter, name=spec.first.name,
                                         town=spec.first.town, sector=spec.value("sector"))
                new.created.add(employer.pk)
            except DuplicateEmployer as duplicate:
                # The service knows a match the lookup above missed: reuse it as well.
                employer = min(duplicate.duplicates, key=lambda e: e.pk)
        new.employers[key] = employer
    if employer.pk not in known.created and employer.pk not in new.created:
        new.reused.add(employer.pk)

    if line.contact_person and (employer.pk, line.contact_key) not in known.contacts:
        spec = contacts[(key, line.contact_key)]
        contact = ContactPerson(jobcenter=jobcenter, employer=employer,
                                name=spec.first.contact_person, phone=spec.value("phone"),
                                email=spec.value("email"))
        with _step(table, line, _CONTACT_COLUMNS, employer=False):
            contact.full_clean()
            contact.save()
        new.contacts.add((employer.pk, line.contact_key))
    return new


def import_employers(*, jobcenter: Jobcenter, file, filename: str, dry_run: bool = False,
                     max_rows: int = MAX_ROWS) -> EmployerImportResult:
    """Import an employer list (`.csv` or `.xlsx`; file-like object or bytes).

    All or nothing: with any error nothing is written and `errors` lists them all;
    `dry_run` writes nothing either and reports what would be created and reused.
    """
    result = EmployerImportResult(dry_run=dry_run)
    try:
        table = read_table(file, filename, COLUMNS, max_rows=max_rows)
    except TabularError as error:
        result.errors = error.errors
        return result
    result.rows = len(table.rows)
    if not table.rows:
        result.errors = [RowError(FILE_ROW, "", "", _("The file has no rows below the header."))]
        return result

    lines, employers, contacts, errors = _validate(table)
    if errors:
        result.errors = sorted(errors, key=lambda e: e.row)
        return result

    failed_employers = set()
    try:
        with transaction.atomic():
            # One import per jobcenter at a time: two at once (a double click on "import")
            # would both find an employer missing and create it twice.
            Jobcenter.objects.select_for_update().get(pk=jobcenter.pk)
            known = _Known(jobcenter, employers)
            for line in lines:
                if line.employer_key in failed_employers:
                    continue  # the row that failed to create it has the error
                try:
                    with transaction.atomic():
                        new = _write_line(jobcenter, table, line, employers, contacts, known)
                except _RowFailed as failure:
                    errors += failure.errors
                    if failure.employer_failed:
                        failed_employers.add(line.employer_key)
                    continue
                known.remember(new)
            if errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if errors:
        result.errors = errors
    else:
        result.created = Created(employers=len(known.created), contacts=known.contacts_created)
        result.reused = len(known.reused)
    return result
