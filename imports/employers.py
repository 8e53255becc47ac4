"""The employer list of the employer service (Arbeitgeber-Service), `.csv` or `.xlsx`.

One row per employer, or per contact person of an employer. The engine
(`imports.engine`) reads, checks and writes it all or nothing and idempotent, like the
enrolment list; this module says what the columns mean.

An employer is identified by its name and town as `employer_duplicates` compares them
(`matching.name_key` and `matching.town_key`): "Müller GmbH" and "Mueller Gmbh." in
Dortmund are one employer. Rows of the file that match each other are one employer (the
first row's spelling is kept); an employer that matches an existing one reuses it and
is never changed. A contact person is added to an employer unless it already has a
contact with that name (ignoring case and repeated blanks).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from employers.matching import name_key, town_key
from employers.models import ContactPerson, Employer
from employers.services import DuplicateEmployer, contact_save, employer_save
from imports.engine import (
    Count,
    Entity,
    Known,
    Line,
    ListType,
    Plan,
    WritePass,
    Written,
    same,
)
from imports.tabular import Column, RowReader
from jobcenters.models import Jobcenter

_COLUMNS = (
    Column("name", ("Arbeitgeber", "Name"), required=True),
    Column("sector", ("Branche",)),
    Column("town", ("Ort",)),
    Column("contact_person", ("Ansprechperson", "Ansprechpartner")),
    Column("phone", ("Telefon",)),
    Column("email", ("E-Mail",)),
)

# What each column holds, for an upload page's help.
_COLUMN_HELP = {
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
_EXAMPLE_ROWS = (
    ("Logistik Nord GmbH", "Logistik", "Dortmund", "Petra Schmidt", "0231 123456",
     "p.schmidt@logistik-nord.example"),
    ("Logistik Nord GmbH", "Logistik", "Dortmund", "Jan Weber", "", ""),
)

_FIELDS = (
    ("name", Employer, "name"),
    ("sector", Employer, "sector"),
    ("town", Employer, "town"),
    ("contact_person", ContactPerson, "name"),
    ("phone", ContactPerson, "phone"),
    ("email", ContactPerson, "email"),
)
# Service/model field → column, for the errors of a write; the second item takes the rest.
_EMPLOYER_COLUMNS = {"name": "name", "sector": "sector", "town": "town"}, "name"
_CONTACT_COLUMNS = {"name": "contact_person", "phone": "phone", "email": "email"}, "contact_person"


# Validation ----------------------------------------------------------------------------------


@dataclass
class _Line(Line):
    """One parsed row."""

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
        return same(self.contact_person)


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
class _Plan(Plan):
    """The lines, and what the rows say about each employer (by name and town) and each of
    its contact people (by name)."""

    employers: dict[tuple[str, str], Entity] = field(default_factory=dict)
    contacts: dict[tuple[tuple[str, str], str], Entity] = field(default_factory=dict)


# Writing ---------------------------------------------------------------------------------


class _Known(Known):
    """The jobcenter's employers that the file names, and their contact people's names.

    Loaded in two queries. Employers are matched as `employer_duplicates` matches them
    (same `name_key`, same town); `employer_save` still checks every new employer itself.
    """

    def __init__(self, jobcenter: Jobcenter, employer_keys):
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
            (employer_id, same(name)) for employer_id, name in ContactPerson.objects.filter(
                jobcenter=jobcenter, employer__in=[e.pk for e in self.employers.values()],
            ).values_list("employer_id", "name")
        }
        self.created: set[int] = set()  # ids of the employers this import created
        self.reused: set[int] = set()  # ids of the existing employers the file names


class EmployerList(ListType):
    kind = "employers"
    plan_class = _Plan
    columns = _COLUMNS
    column_help = _COLUMN_HELP
    example_rows = _EXAMPLE_ROWS
    counts = (
        Count("employers", ngettext_lazy("%(n)s new employer", "%(n)s new employers", "n")),
        Count("contacts", ngettext_lazy("%(n)s new contact person", "%(n)s new contact people",
                                        "n")),
        Count("reused", ngettext_lazy("%(n)s existing employer", "%(n)s existing employers",
                                      "n"), changes=False),
    )
    summary = "created: {employers} employers, {contacts} contacts; reused: {reused} employers"

    def read_row(self, r: RowReader, plan: _Plan, today: date) -> _Line:
        line = _parse(r)
        _check_row(r, line)
        key = line.employer_key
        if key is not None and not r.failed("town"):
            employer = plan.employers.setdefault(key, Entity(line))
            employer.merge(r, line, ("sector",), _(
                "Row %(row)s gives “%(other)s” for the same employer."))
            if line.contact_person:
                contact = plan.contacts.setdefault((key, line.contact_key), Entity(line))
                contact.merge(r, line, ("phone", "email"), _(
                    "Row %(row)s gives “%(other)s” for the same contact person."))
        return line

    def load_known(self, jobcenter: Jobcenter, plan: _Plan) -> _Known:
        return _Known(jobcenter, plan.employers)

    def dependencies(self, line: _Line):
        return (("employer", line.employer_key),)

    def write_row(self, run: WritePass, line: _Line) -> Written:
        known, key = run.known, line.employer_key
        counts = Counter()
        new = {"employers": {}, "created": set(), "reused": set(), "contacts": set()}

        employer = known.employers.get(key)
        if employer is None:
            spec = run.plan.employers[key]
            with run.step(line, *_EMPLOYER_COLUMNS, creates=("employer", key)):
                try:
                    employer = employer_save(jobcenter=run.jobcenter, name=spec.first.name,
                                             town=spec.first.town, sector=spec.value("sector", ""))
                    new["created"].add(employer.pk)
                    counts["employers"] += 1
                except DuplicateEmployer as duplicate:
                    # The service knows a match the lookup above missed: reuse it as well.
                    employer = min(duplicate.duplicates, key=lambda e: e.pk)
            new["employers"][key] = employer
        if not (employer.pk in new["created"] or employer.pk in known.created
                or employer.pk in known.reused):
            new["reused"].add(employer.pk)
            counts["reused"] += 1

        if line.contact_person and (employer.pk, line.contact_key) not in known.contacts:
            spec = run.plan.contacts[(key, line.contact_key)]
            with run.step(line, *_CONTACT_COLUMNS):
                contact_save(employer=employer, name=spec.first.contact_person,
                             phone=spec.value("phone", ""), email=spec.value("email", ""))
            new["contacts"].add((employer.pk, line.contact_key))
            counts["contacts"] += 1
        return Written(counts, new)


EMPLOYERS = EmployerList()
