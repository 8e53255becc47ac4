"""Import of enrolment lists (FORMATS.md, "Enrolment list import").

One row per enrolment. The import is all or nothing and idempotent:

1. Every row is parsed and checked against the rules of the format and against the
   other rows of the file (`_validate`); any error there stops the import before it
   writes.
2. Inside one transaction each row is written through the services, each row in a
   savepoint so that a service's `ValidationError` becomes errors of that row and the
   next rows are still tried; with any error, or for a dry run, everything is rolled back.

Existing rows are reused and never overwritten: a cohort by its code, a participant
by the customer number, an enrolment by (participant, cohort), an integration by
(enrolment, kind, start date). Only gaps of an existing enrolment are filled: an
empty assignment or joining date, a missing exit, and an open 12-month follow-up.

The caller enters `django_scopes.scope(jobcenter=…)`.
"""

import csv
import io
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cohorts.models import Cohort, Programme
from cohorts.services import cohort_create, programme_for_name
from employers.models import Employer
from employers.services import employer_for_name, integration_record
from imports.tabular import (
    FILE_ROW,
    MAX_ROWS,
    Column,
    RowError,
    RowReader,
    Table,
    TabularError,
    choice_map,
    display,
    read_table,
)
from jobcenters.models import Jobcenter, Site
from jobcenters.plausible import birth_year_bounds
from jobcenters.services import site_for_name
from participants.fields import customer_number_error, normalise_customer_number
from participants.models import Enrolment, FollowUp, Integration, Participant
from participants.services import (
    enrolment_create,
    enrolment_exit,
    enrolment_update,
    followup_record,
    participant_create,
)

COLUMNS = (
    Column("cohort_code", ("Gruppe",), required=True),
    Column("programme", ("Format",)),
    Column("site", ("Standort",)),
    Column("cohort_start", ("Beginn",)),
    Column("cohort_end", ("Ende",)),
    Column("customer_number", ("Kundennummer",), required=True),
    Column("first_name", ("Vorname",)),
    Column("last_name", ("Nachname",)),
    Column("birth_year", ("Geburtsjahr",)),
    Column("gender", ("Geschlecht",)),
    Column("characteristics", ("Merkmale",)),
    Column("assigned_on", ("Zuweisung",)),
    Column("joined_on", ("Eintritt",)),
    Column("exit_on", ("Austritt",)),
    Column("exit_reason", ("Austrittsgrund",)),
    Column("dropout_reason", ("Abbruchgrund",)),
    Column("integration_kind", ("Integrationsart",)),
    Column("integration_start_on", ("Arbeitsaufnahme",)),
    Column("employer_name", ("Arbeitgeber",)),
    Column("followup_12m", ("Verbleib12",)),
)

# What each column holds, for the upload page's help (FORMATS.md).
COLUMN_HELP = {
    "cohort_code": gettext_lazy("Cohort code; a new cohort is created"),
    "programme": gettext_lazy("Programme name; needed for a new cohort"),
    "site": gettext_lazy("Site name; needed for a new cohort"),
    "cohort_start": gettext_lazy("Start of the cohort (date); needed for a new cohort"),
    "cohort_end": gettext_lazy("End of the cohort (date); needed for a new cohort"),
    "customer_number": gettext_lazy("Customer number; a new participant is created"),
    "first_name": gettext_lazy("First name; needed for a new participant"),
    "last_name": gettext_lazy("Last name; needed for a new participant"),
    "birth_year": gettext_lazy("Year of birth, 4 digits"),
    "gender": gettext_lazy("f (or w), m, d or empty"),
    "characteristics": gettext_lazy(
        "Separated by “;”: long_term_unemployed, topping_up, refugee, single_parent, health"),
    "assigned_on": gettext_lazy("Date of assignment"),
    "joined_on": gettext_lazy("Date of joining; empty = assigned, not started"),
    "exit_on": gettext_lazy("Date of exit; only with an exit reason"),
    "exit_reason": gettext_lazy("completed, dropout, job, transfer or other"),
    "dropout_reason": gettext_lazy(
        "Only with a dropout: no_show, health, family, moved, excluded or other"),
    "integration_kind": gettext_lazy(
        "employment, apprenticeship, self_employment, minijob or public_employment"),
    "integration_start_on": gettext_lazy("Date work started; with the kind of integration"),
    "employer_name": gettext_lazy("Employer of the integration; created if new"),
    "followup_12m": gettext_lazy("Still employed after 12 months: yes, no or unknown"),
}

# The example file offered for download: the German headers and two rows.
EXAMPLE_ROWS = (
    ("WA-DO-2024-03", "Werkakademie", "Dortmund Mitte", "04.03.2024", "12.04.2024",
     "123D000001", "Ayşe", "Yılmaz", "1985", "w", "long_term_unemployed; single_parent",
     "26.02.2024", "04.03.2024", "12.04.2024", "job", "", "employment", "15.04.2024",
     "Logistik Nord GmbH", "yes"),
    ("WA-DO-2024-03", "Werkakademie", "Dortmund Mitte", "04.03.2024", "12.04.2024",
     "123D000002", "Max", "Becker", "1990", "m", "", "26.02.2024", "04.03.2024", "20.03.2024",
     "dropout", "health", "", "", "", ""),
)


def example_csv() -> str:
    """The example file: `;`-separated as German Excel writes it, with a BOM."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(column.aliases[0] for column in COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    return "\ufeff" + text.getvalue()


# `characteristics` codes → the participant's flag fields.
CHARACTERISTICS = {
    "long_term_unemployed": "long_term_unemployed",
    "topping_up": "topping_up",
    "refugee": "refugee",
    "single_parent": "single_parent",
    "health": "health_limitations",
}

_COHORT_FACTS = ("programme", "site", "cohort_start", "cohort_end")
_PARTICIPANT_FACTS = ("first_name", "last_name", "birth_year", "gender", "characteristics")


def _lookups():
    """Allowed codes with their labels (English and German) and common German words."""
    flags = [(code, Participant._meta.get_field(name).verbose_name)
             for code, name in CHARACTERISTICS.items()]
    return {
        "gender": choice_map(Participant.Gender.choices, {
            "f": ("w", "weiblich", "Frau"), "m": ("männlich", "Mann"), "d": ("divers",)}),
        "characteristics": choice_map(flags, {
            "long_term_unemployed": ("Langzeitarbeitslos", "LZA"),
            "topping_up": ("Ergänzer", "Aufstocker"),
            "refugee": ("Geflüchtet", "Fluchthintergrund"),
            "single_parent": ("Alleinerziehend",),
            "health": ("Gesundheit", "gesundheitliche Einschränkungen"),
        }),
        "exit_reason": choice_map(Enrolment.ExitReason.choices, {
            "completed": ("Regulär", "reguläres Ende", "beendet"),
            "dropout": ("Abbruch",),
            "job": ("Arbeit", "Arbeitsaufnahme"),
            "transfer": ("Wechsel", "Übergang"),
            "other": ("Sonstiges", "sonstiger Grund"),
        }),
        "dropout_reason": choice_map(Enrolment.DropoutReason.choices, {
            "no_show": ("Nichterscheinen", "Motivation"),
            "health": ("Gesundheit",),
            "family": ("Familie", "Kinderbetreuung"),
            "moved": ("Umzug", "verzogen"),
            "excluded": ("Ausschluss", "ausgeschlossen"),
            "other": ("Sonstiges",),
        }),
        "integration_kind": choice_map(Integration.Kind.choices, {
            "employment": ("sozialversicherungspflichtig", "SV-pflichtig", "Beschäftigung"),
            "apprenticeship": ("Ausbildung",),
            "self_employment": ("Selbstständigkeit", "selbständig", "selbstständig"),
            "minijob": ("geringfügig",),
            "public_employment": ("16i", "§ 16i", "geförderte Beschäftigung"),
        }),
        "followup_12m": choice_map(
            [(code, label) for code, label in FollowUp.Answer.choices if code],
            {"yes": ("ja", "j"), "no": ("nein", "n"), "unknown": ("unbekannt", "?")},
        ),
    }


# Results -----------------------------------------------------------------------------------


@dataclass
class Created:
    participants: int = 0
    cohorts: int = 0
    enrolments: int = 0
    integrations: int = 0
    programmes: int = 0
    sites: int = 0
    employers: int = 0

    def add(self, other: "Created"):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Updated:
    enrolments: int = 0  # an empty assignment or joining date filled in
    exits: int = 0
    followups: int = 0

    def add(self, other: "Updated"):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ImportResult:
    created: Created = field(default_factory=Created)
    updated: Updated = field(default_factory=Updated)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes_anything(self) -> bool:
        return any(vars(self.created).values()) or any(vars(self.updated).values())

    def summary(self) -> str:
        """The command's summary line (FORMATS.md); not translated."""
        c = self.created
        return (f"created: {c.participants} participants, {c.cohorts} cohorts, "
                f"{c.enrolments} enrolments, {c.integrations} integrations")

    def phrases(self) -> list[str]:
        """What was (or would be) created and updated, in words, leaving out zeros."""
        c, u = self.created, self.updated
        candidates = [
            (c.participants, ngettext("%(n)s participant", "%(n)s participants", c.participants)),
            (c.cohorts, ngettext("%(n)s cohort", "%(n)s cohorts", c.cohorts)),
            (c.enrolments, ngettext("%(n)s enrolment", "%(n)s enrolments", c.enrolments)),
            (c.integrations, ngettext("%(n)s integration", "%(n)s integrations",
                                      c.integrations)),
            (c.programmes, ngettext("%(n)s new programme", "%(n)s new programmes",
                                    c.programmes)),
            (c.sites, ngettext("%(n)s new site", "%(n)s new sites", c.sites)),
            (c.employers, ngettext("%(n)s new employer", "%(n)s new employers", c.employers)),
            (u.enrolments, ngettext("%(n)s enrolment completed with dates",
                                    "%(n)s enrolments completed with dates", u.enrolments)),
            (u.exits, ngettext("%(n)s exit recorded", "%(n)s exits recorded", u.exits)),
            (u.followups, ngettext("%(n)s follow-up recorded", "%(n)s follow-ups recorded",
                                   u.followups)),
        ]
        return [text % {"n": n} for n, text in candidates if n]


# Validation ----------------------------------------------------------------------------------


@dataclass
class _Line:
    """One parsed row."""

    number: int
    cells: dict
    cohort_code: str = ""
    programme: str = ""
    site: str = ""
    cohort_start: date | None = None
    cohort_end: date | None = None
    customer_number: str = ""
    first_name: str = ""
    last_name: str = ""
    birth_year: int | None = None
    gender: str = ""
    characteristics: list[str] = field(default_factory=list)
    assigned_on: date | None = None
    joined_on: date | None = None
    exit_on: date | None = None
    exit_reason: str = ""
    dropout_reason: str = ""
    integration_kind: str = ""
    integration_start_on: date | None = None
    employer_name: str = ""
    followup_12m: str = ""


def _max_length(model, name):
    return model._meta.get_field(name).max_length


def _customer_number(r: RowReader) -> str:
    """Trimmed and in upper case, as stored: `888d873087` is the same person as `888D873087`."""
    value = normalise_customer_number(r.text(
        "customer_number", max_length=_max_length(Participant, "customer_number")))
    if message := customer_number_error(value):
        r.error("customer_number", message)
        return ""
    return value


def _parse(reader: RowReader, lookups, today: date) -> _Line:
    r = reader
    oldest, youngest = birth_year_bounds(today)
    return _Line(
        number=r.row.number,
        cells=r.row.cells,
        cohort_code=r.text("cohort_code", max_length=_max_length(Cohort, "code")),
        programme=r.text("programme", max_length=_max_length(Programme, "name")),
        site=r.text("site", max_length=_max_length(Site, "name")),
        cohort_start=r.date("cohort_start"),
        cohort_end=r.date("cohort_end"),
        customer_number=_customer_number(r),
        first_name=r.text("first_name", max_length=_max_length(Participant, "first_name")),
        last_name=r.text("last_name", max_length=_max_length(Participant, "last_name")),
        birth_year=r.year("birth_year", minimum=oldest, maximum=youngest),
        gender=r.choice("gender", lookups["gender"]),
        characteristics=r.multi_choice("characteristics", lookups["characteristics"]),
        assigned_on=r.date("assigned_on"),
        joined_on=r.date("joined_on"),
        exit_on=r.date("exit_on"),
        exit_reason=r.choice("exit_reason", lookups["exit_reason"]),
        dropout_reason=r.choice("dropout_reason", lookups["dropout_reason"]),
        integration_kind=r.choice("integration_kind", lookups["integration_kind"]),
        integration_start_on=r.date("integration_start_on"),
        employer_name=r.text("employer_name", max_length=_max_length(Employer, "name")),
        followup_12m=r.choice("followup_12m", lookups["followup_12m"]),
    )


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _check_row(r: RowReader, line: _Line, today: date):
    """The rules of one row (FORMATS.md); a column that failed to parse is not checked again."""
    def ok(column):
        return not r.failed(column)

    for column in ("cohort_code", "customer_number"):
        if not getattr(line, column) and ok(column):
            r.error(column, _("This column must not be empty."))
    if line.cohort_start and line.cohort_end and line.cohort_end < line.cohort_start:
        r.error("cohort_end", _("The end lies before the start (%(start)s).") % {
            "start": _short(line.cohort_start)})

    if line.exit_on and not line.exit_reason and ok("exit_reason"):
        r.error("exit_reason", _("An exit needs a reason."))
    if line.exit_reason and not line.exit_on and ok("exit_on"):
        r.error("exit_on", _("An exit needs a date."))
    if line.exit_reason == Enrolment.ExitReason.DROPOUT:
        if not line.dropout_reason and ok("dropout_reason"):
            r.error("dropout_reason", _("Please give the reason for the dropout."))
    elif line.dropout_reason and ok("exit_reason"):
        r.error("dropout_reason", _("A dropout reason is only possible for a dropout."))
    if line.exit_on and line.joined_on and line.exit_on < line.joined_on:
        r.error("exit_on", _("The exit lies before joining (%(joined)s).") % {
            "joined": _short(line.joined_on)})

    has_kind = bool(line.integration_kind) or not ok("integration_kind")
    if line.integration_kind and not line.integration_start_on and ok("integration_start_on"):
        r.error("integration_start_on", _("An integration needs the date work started."))
    if line.integration_start_on and not line.integration_kind and ok("integration_kind"):
        r.error("integration_kind", _("Please give the kind of integration."))
    if line.employer_name and not has_kind:
        r.error("employer_name", _("An employer is only recorded with an integration."))
    if line.followup_12m:
        if not has_kind:
            r.error("followup_12m", _("A follow-up is only possible with an integration."))
        elif line.integration_kind and line.integration_kind not in Integration.COUNTING_KINDS:
            r.error("followup_12m", _(
                "Only employment, apprenticeship and self-employment have follow-ups."))
        elif line.integration_start_on:
            due = FollowUp.due_date(line.integration_start_on, FollowUp.DueMonth.TWELVE)
            if due > today:
                r.error("followup_12m", _("The 12-month follow-up is only due on %(due)s.") % {
                    "due": _short(due)})


def _fact_key(value):
    """How two rows' values are compared: names ignoring case and repeated blanks."""
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    if isinstance(value, list):
        return tuple(sorted(value))
    return value


@dataclass
class _Entity:
    """What the rows of a file say about one cohort or one participant."""

    first_row: int
    facts: dict = field(default_factory=dict)  # column -> (value, row number)
    failed: set = field(default_factory=set)  # columns that failed to parse in some row

    def merge(self, r: RowReader, line: _Line, columns, message: str):
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
            if _fact_key(known) != _fact_key(value):
                r.error(column, message % {"row": row, "other": display(_show(known))})

    def value(self, column):
        return self.facts.get(column, (None, None))[0]


def _show(value):
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, date):
        return _short(value)
    return value


def _validate(table: Table, today: date):
    """Parse and check every row on its own and against the other rows of the file.

    Returns (lines, cohorts, participants, errors); the entities merge what the rows
    say about each cohort (by code) and participant (by customer number).
    """
    lookups = _lookups()
    lines: list[_Line] = []
    errors: list[RowError] = []
    cohorts: dict[str, _Entity] = {}
    participants: dict[str, _Entity] = {}
    enrolments: dict[tuple[str, str], int] = {}
    for row in table.rows:
        r = RowReader(table, row)
        line = _parse(r, lookups, today)
        _check_row(r, line, today)
        if line.cohort_code:
            cohort = cohorts.setdefault(line.cohort_code, _Entity(line.number))
            cohort.merge(r, line, _COHORT_FACTS, _(
                "Row %(row)s gives “%(other)s” for the same cohort."))
        if line.customer_number:
            person = participants.setdefault(line.customer_number, _Entity(line.number))
            person.merge(r, line, _PARTICIPANT_FACTS, _(
                "Row %(row)s gives “%(other)s” for the same customer number."))
        if line.cohort_code and line.customer_number:
            key = (line.customer_number, line.cohort_code)
            if key in enrolments:
                r.error("customer_number", _(
                    "Row %(row)s already has this person in this cohort; one row per enrolment."
                ) % {"row": enrolments[key]})
            else:
                enrolments[key] = line.number
        errors += r.errors
        lines.append(line)

    return lines, cohorts, participants, errors


def _check_new(table: Table, cohorts, participants, known: "_Known") -> list[RowError]:
    """What a new cohort or participant needs, somewhere in its rows."""
    return (_missing(table, cohorts, known.cohorts, _COHORT_FACTS,
                     _("Required for a new cohort."))
            + _missing(table, participants, known.participants, ("first_name", "last_name"),
                       _("Required for a new participant.")))


def _missing(table, entities: Mapping[str, _Entity], existing, required, message):
    errors = []
    for key, entity in entities.items():
        if key in existing:
            continue
        for column in required:
            if column not in entity.facts and column not in entity.failed:
                errors.append(RowError(entity.first_row, table.label(column), "", message))
    return errors


# Writing ---------------------------------------------------------------------------------


class _Known:
    """What the database holds for the file's cohorts and people, loaded in a few queries.

    Rows written later add what they created (`remember`), so each row looks up here
    instead of querying: an import of a list that is already there costs almost nothing.
    """

    def __init__(self, jobcenter: Jobcenter, cohort_codes, customer_numbers):
        self.cohorts = {c.code: c for c in Cohort.objects.filter(
            jobcenter=jobcenter, code__in=list(cohort_codes))}
        self.participants = {p.customer_number: p for p in Participant.objects.filter(
            jobcenter=jobcenter, customer_number__in=list(customer_numbers))}
        cohort_ids = [c.pk for c in self.cohorts.values()]
        self.enrolments = {(e.participant_id, e.cohort_id): e for e in Enrolment.objects.filter(
            jobcenter=jobcenter, cohort__in=cohort_ids)}
        self.integrations = {
            (i.enrolment_id, i.kind, i.start_on): i for i in Integration.objects.filter(
                jobcenter=jobcenter, enrolment__cohort__in=cohort_ids)}
        self.followups = {f.integration_id: f for f in FollowUp.objects.filter(
            jobcenter=jobcenter, integration__enrolment__cohort__in=cohort_ids,
            due_month=FollowUp.DueMonth.TWELVE)}

    def remember(self, new: dict):
        for name, items in new.items():
            getattr(self, name).update(items)


class _RowFailed(Exception):
    def __init__(self, step: str, errors: list[RowError]):
        self.step = step
        self.errors = errors


class _Rollback(Exception):
    pass


# Service field → file column, per step; the second item is the column of other errors.
_STEPS = {
    "programme": ({"name": "programme"}, "programme"),
    "site": ({"name": "site"}, "site"),
    "cohort": ({"code": "cohort_code", "programme": "programme", "site": "site",
                "planned_start": "cohort_start", "planned_end": "cohort_end"}, "cohort_code"),
    "participant": ({**{name: code for code, name in CHARACTERISTICS.items()},
                     "customer_number": "customer_number", "first_name": "first_name",
                     "last_name": "last_name", "birth_year": "birth_year",
                     "gender": "gender"}, "customer_number"),
    "enrolment": ({"assigned_on": "assigned_on", "joined_on": "joined_on",
                   "cohort": "cohort_code", "participant": "customer_number"}, "cohort_code"),
    "exit": ({"exit_on": "exit_on", "exit_reason": "exit_reason",
              "dropout_reason": "dropout_reason"}, "exit_on"),
    "employer": ({"employer_name": "employer_name", "name": "employer_name"}, "employer_name"),
    "integration": ({"kind": "integration_kind", "start_on": "integration_start_on",
                     "employer": "employer_name"}, "integration_kind"),
    "followup": ({"still_employed": "followup_12m", "checked_on": "followup_12m"},
                 "followup_12m"),
}


@contextmanager
def _step(table: Table, line: _Line, name: str):
    """Turn a service's refusal into errors of this row, in the file's column names."""
    fields, default = _STEPS[name]
    try:
        yield
    except ValidationError as error:
        items = (error.message_dict.items() if hasattr(error, "error_dict")
                 else [(NON_FIELD_ERRORS, error.messages)])
        raise _RowFailed(name, [
            RowError(line.number, table.label(fields.get(f, default)),
                     display(line.cells.get(fields.get(f, default))), message)
            for f, messages in items for message in messages
        ]) from error
    except IntegrityError as error:  # another import wrote the same row just now
        raise _RowFailed(name, [RowError(line.number, table.label(default),
                                   display(line.cells.get(default)),
                                   _("Changed at the same time by someone else; "
                                     "please import again."))]) from error


def _write_line(jobcenter, table, line: _Line, cohorts, participants, known: _Known, today):
    """Write one row through the services. Returns (created, updated, new objects)."""
    created, updated = Created(), Updated()
    new = {"cohorts": {}, "participants": {}, "enrolments": {}, "integrations": {},
           "followups": {}}

    cohort = known.cohorts.get(line.cohort_code)
    if cohort is None:
        spec = cohorts[line.cohort_code]
        with _step(table, line, "programme"):
            programme = programme_for_name(jobcenter=jobcenter, name=spec.value("programme"))
        with _step(table, line, "site"):
            site = site_for_name(jobcenter=jobcenter, name=spec.value("site"))
        with _step(table, line, "cohort"):
            cohort = cohort_create(programme=programme, site=site, code=line.cohort_code,
                                   planned_start=spec.value("cohort_start"),
                                   planned_end=spec.value("cohort_end"))
        new["cohorts"][cohort.code] = cohort
        created.cohorts += 1

    participant = known.participants.get(line.customer_number)
    if participant is None:
        spec = participants[line.customer_number]
        flags = spec.value("characteristics") or []
        with _step(table, line, "participant"):
            participant = participant_create(
                jobcenter=jobcenter, customer_number=line.customer_number,
                first_name=spec.value("first_name"), last_name=spec.value("last_name"),
                birth_year=spec.value("birth_year"), gender=spec.value("gender") or "",
                **{name: code in flags for code, name in CHARACTERISTICS.items()},
            )
        new["participants"][participant.customer_number] = participant
        created.participants += 1

    enrolment = known.enrolments.get((participant.pk, cohort.pk))
    if enrolment is None:
        with _step(table, line, "enrolment"):
            enrolment = enrolment_create(cohort=cohort, participant=participant,
                                         assigned_on=line.assigned_on, joined_on=line.joined_on)
        new["enrolments"][(participant.pk, cohort.pk)] = enrolment
        created.enrolments += 1
    else:
        gaps = {name: getattr(line, name) for name in ("assigned_on", "joined_on")
                if getattr(enrolment, name) is None and getattr(line, name) is not None}
        if gaps:
            with _step(table, line, "enrolment"):
                enrolment_update(enrolment=enrolment, **gaps)
            updated.enrolments += 1

    if line.exit_on and enrolment.exit_on is None:
        with _step(table, line, "exit"):
            enrolment_exit(enrolment=enrolment, exit_on=line.exit_on,
                           exit_reason=line.exit_reason, dropout_reason=line.dropout_reason)
        updated.exits += 1

    if line.integration_kind:
        key = (enrolment.pk, line.integration_kind, line.integration_start_on)
        integration = known.integrations.get(key)
        followup = known.followups.get(integration.pk) if integration else None
        if integration is None:
            employer = None
            if line.employer_name:
                with _step(table, line, "employer"):
                    employer = employer_for_name(jobcenter=jobcenter, name=line.employer_name)
            with _step(table, line, "integration"):
                integration = integration_record(
                    enrolment=enrolment, kind=line.integration_kind,
                    start_on=line.integration_start_on, employer=employer)
            new["integrations"][key] = integration
            created.integrations += 1
            if line.followup_12m:
                followup = integration.followups.filter(
                    due_month=FollowUp.DueMonth.TWELVE).first()
        if line.followup_12m and followup is not None and not followup.still_employed:
            with _step(table, line, "followup"):
                followup_record(followup=followup, still_employed=line.followup_12m,
                                checked_on=today)
            new["followups"][integration.pk] = followup
            updated.followups += 1
    return created, updated, new


def _totals(jobcenter):
    return (Programme.objects.filter(jobcenter=jobcenter).count(),
            Site.objects.filter(jobcenter=jobcenter).count(),
            Employer.objects.filter(jobcenter=jobcenter).count())


def import_enrolments(*, jobcenter: Jobcenter, file, filename: str, dry_run: bool = False,
                      max_rows: int = MAX_ROWS) -> ImportResult:
    """Import an enrolment list (`.csv` or `.xlsx`; file-like object or bytes).

    All or nothing: with any error nothing is written and `errors` lists them all;
    `dry_run` writes nothing either and reports what would be created.
    """
    result = ImportResult(dry_run=dry_run)
    today = timezone.localdate()
    try:
        table = read_table(file, filename, COLUMNS, max_rows=max_rows)
    except TabularError as error:
        result.errors = error.errors
        return result
    result.rows = len(table.rows)
    if not table.rows:
        result.errors = [RowError(FILE_ROW, "", "", _("The file has no rows below the header."))]
        return result

    lines, cohorts, participants, errors = _validate(table, today)
    known = _Known(jobcenter, cohorts, participants)
    errors += _check_new(table, cohorts, participants, known)
    if errors:
        result.errors = sorted(errors, key=lambda e: e.row)
        return result

    created, updated = Created(), Updated()
    failed_cohorts, failed_people = set(), set()
    try:
        with transaction.atomic():
            before = _totals(jobcenter)
            for line in lines:
                if line.cohort_code in failed_cohorts or line.customer_number in failed_people:
                    continue  # the row that failed to create it has the error
                try:
                    with transaction.atomic():
                        row_created, row_updated, row_new = _write_line(
                            jobcenter, table, line, cohorts, participants, known, today)
                except _RowFailed as failure:
                    errors += failure.errors
                    if failure.step in ("programme", "site", "cohort"):
                        failed_cohorts.add(line.cohort_code)
                    elif failure.step == "participant":
                        failed_people.add(line.customer_number)
                    continue
                created.add(row_created)
                updated.add(row_updated)
                known.remember(row_new)
            created.programmes, created.sites, created.employers = (
                after - first for after, first in zip(_totals(jobcenter), before, strict=True))
            if errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if errors:
        result.errors = errors
    else:
        result.created, result.updated = created, updated
    return result

