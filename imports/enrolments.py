"""The enrolment list (FORMATS.md, "Enrolment list import"): one row per enrolment.

The engine (`imports.engine`) reads, checks and writes it all or nothing; this module
says what the columns mean. Existing rows are reused and never overwritten: a cohort
by its code, a participant by the customer number, an enrolment by (participant,
cohort), an integration by (enrolment, kind, start date). Only gaps of an existing
enrolment are filled: an empty assignment or joining date, a missing exit, and an open
12-month follow-up.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from cohorts.models import Cohort, Programme
from cohorts.services import cohort_save, programme_for_name
from employers.models import Employer, FollowUp, Integration
from employers.services import employer_for_name, followup_record, integration_record
from imports.engine import (
    Count,
    Entity,
    Known,
    Line,
    ListType,
    Plan,
    WritePass,
    Written,
    short_date,
)
from imports.tabular import Column, RowError, RowReader, Table, allowed_values, choice_map
from jobcenters.models import Jobcenter, Site
from jobcenters.plausible import birth_year_bounds
from jobcenters.services import site_for_name
from participants.fields import customer_number_error, normalise_customer_number
from participants.models import Enrolment, Participant
from participants.services import (
    enrolment_dates_complete,
    enrolment_exit,
    enrolment_save,
    participant_save,
)

_COLUMNS = (
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
    Column("followup_12m_checked_on", ("Verbleib12 geprüft am",)),
    # The Kooperationsplan replaced the Eingliederungsvereinbarung (§ 15 SGB II, 1 July 2023);
    # older lists still carry the old header.
    Column("cooperation_plan_on", ("Kooperationsplan", "Eingliederungsvereinbarung")),
)


def _naming_values(text, column: str):
    """A column's help with the values the import accepts, as the error messages name them
    (`allowed_values`), in the language of the page showing it."""
    return lazy(lambda: str(text) % {
        "values": allowed_values(ENROLMENTS.lookups[column]),
        "dropout": Enrolment.ExitReason.DROPOUT.label}, str)()


# What each column holds, for the upload page's help (FORMATS.md).
_COLUMN_HELP = {
    "cohort_code": gettext_lazy("Cohort code; a new cohort is created"),
    "programme": gettext_lazy("Programme name; needed for a new cohort"),
    "site": gettext_lazy("Site name; needed for a new cohort"),
    "cohort_start": gettext_lazy("Start of the cohort (date); needed for a new cohort"),
    "cohort_end": gettext_lazy("End of the cohort (date); needed for a new cohort"),
    "customer_number": gettext_lazy("Customer number; a new participant is created"),
    "first_name": gettext_lazy("First name; needed for a new participant"),
    "last_name": gettext_lazy("Last name; needed for a new participant"),
    "birth_year": gettext_lazy("Year of birth, 4 digits"),
    "gender": _naming_values(gettext_lazy("%(values)s or empty (w, m or d as well)"),
                             "gender"),
    "characteristics": _naming_values(gettext_lazy("Separated by “;”: %(values)s"),
                                      "characteristics"),
    "assigned_on": gettext_lazy("Date of assignment"),
    "joined_on": gettext_lazy("Date of joining; empty = assigned, not started"),
    "exit_on": gettext_lazy("Date of exit; only with an exit reason"),
    "exit_reason": _naming_values(gettext_lazy("Allowed: %(values)s"), "exit_reason"),
    "dropout_reason": _naming_values(
        gettext_lazy("Only with the exit reason “%(dropout)s”: %(values)s"), "dropout_reason"),
    "integration_kind": _naming_values(gettext_lazy("Allowed: %(values)s"), "integration_kind"),
    "integration_start_on": gettext_lazy("Date work started; with the kind of integration"),
    "employer_name": gettext_lazy("Employer of the integration; created if new"),
    "followup_12m": _naming_values(
        gettext_lazy("Still employed after 12 months: %(values)s"), "followup_12m"),
    "followup_12m_checked_on": gettext_lazy(
        "Date the follow-up was checked; empty = the day it was due"),
    "cooperation_plan_on": gettext_lazy(
        "Date of the Kooperationsplan; its review is due six months later"),
}

# The example file offered for download: the German headers and two rows, in the words of
# the application, with the programme and a site that every demo jobcenter has (`make run`)
# and customer numbers that no demo person has (the demo's agency numbers start at 101).
_EXAMPLE_ROWS = (
    ("WA-BEISPIEL-2024-01", "Werkakademie", "Standort Mitte", "04.03.2024", "12.04.2024",
     "100D000001", "Ayşe", "Yılmaz", "1985", "weiblich", "langzeitarbeitslos; alleinerziehend",
     "26.02.2024", "04.03.2024", "12.04.2024", "Arbeits- oder Ausbildungsaufnahme", "",
     "sozialversicherungspflichtige Beschäftigung", "15.04.2024", "Logistik Nord GmbH", "ja",
     "22.04.2025", "04.03.2024"),
    ("WA-BEISPIEL-2024-01", "Werkakademie", "Standort Mitte", "04.03.2024", "12.04.2024",
     "100D000002", "Max", "Becker", "1990", "männlich", "", "26.02.2024", "04.03.2024",
     "20.03.2024", "Abbruch", "gesundheitliche Gründe", "", "", "", "", "", ""),
)


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
            "no_show": ("Nichterscheinen", "Nichtantritt", "Motivation"),
            "health": ("Gesundheit", "Krankheit"),
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
        # Named by the answer to "still employed?": ja, nein, unbekannt.
        "followup_12m": choice_map(
            [(code, label) for code, label in FollowUp.Answer.choices if code],
            {"yes": ("ja", "j"), "no": ("nein", "n"), "unknown": ("unbekannt", "?")},
            shown=(gettext_lazy("yes"), gettext_lazy("no"), gettext_lazy("unknown")),
        ),
    }



# Validation ----------------------------------------------------------------------------------

@dataclass
class _Line(Line):
    """One parsed row."""

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
    followup_12m_checked_on: date | None = None
    cooperation_plan_on: date | None = None


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


def _parse(r: RowReader, lookups, today: date) -> _Line:
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
        followup_12m_checked_on=r.date("followup_12m_checked_on"),
        cooperation_plan_on=r.date("cooperation_plan_on"),
    )


def _check_row(r: RowReader, line: _Line, today: date):
    """The rules of one row (FORMATS.md); a column that failed to parse is not checked again."""
    def ok(column):
        return not r.failed(column)

    for column in ("cohort_code", "customer_number"):
        if not getattr(line, column) and ok(column):
            r.error(column, _("This column must not be empty."))
    if line.cohort_start and line.cohort_end and line.cohort_end < line.cohort_start:
        r.error("cohort_end", _("The end lies before the start (%(start)s).") % {
            "start": short_date(line.cohort_start)})

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
            "joined": short_date(line.joined_on)})

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
                    "due": short_date(due)})
    checked = line.followup_12m_checked_on
    if checked:
        if not line.followup_12m and ok("followup_12m"):
            r.error("followup_12m_checked_on", _("A check date needs the follow-up's answer."))
        elif checked > today:
            r.error("followup_12m_checked_on", _("This date lies in the future."))
        elif line.integration_start_on and checked < line.integration_start_on:
            r.error("followup_12m_checked_on", _(
                "The check lies before the start of work (%(start)s).") % {
                "start": short_date(line.integration_start_on)})


@dataclass
class _Plan(Plan):
    """The lines, and what the rows say about each cohort (by code) and participant (by
    customer number)."""

    cohorts: dict[str, Entity] = field(default_factory=dict)
    participants: dict[str, Entity] = field(default_factory=dict)
    enrolments: dict[tuple[str, str], int] = field(default_factory=dict)  # -> first row


def _missing(table: Table, entities: dict[str, Entity], existing, required, message):
    errors = []
    for key, entity in entities.items():
        if key in existing:
            continue
        for column in required:
            if column not in entity.facts and column not in entity.failed:
                errors.append(RowError(entity.first.number, table.label(column), "", message))
    return errors


# Writing ---------------------------------------------------------------------------------


class _Known(Known):
    """What the database holds for the file's cohorts and people, loaded in a few queries;
    each row looks up here instead of querying, so an import of a list that is already
    there costs almost nothing."""

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
        # To count the programmes, sites and employers that rows add on the way.
        self.programme_ids = set(Programme.objects.filter(
            jobcenter=jobcenter).values_list("pk", flat=True))
        self.site_ids = set(Site.objects.filter(jobcenter=jobcenter).values_list("pk", flat=True))
        self.employer_ids = set(Employer.objects.filter(
            jobcenter=jobcenter).values_list("pk", flat=True))


# Service field → file column, per step, and the column of the step's other errors.
_PROGRAMME = {"name": "programme"}, "programme"
_SITE = {"name": "site"}, "site"
_COHORT = {"code": "cohort_code", "programme": "programme", "site": "site",
           "planned_start": "cohort_start", "planned_end": "cohort_end"}, "cohort_code"
_PARTICIPANT = {**{name: code for code, name in CHARACTERISTICS.items()},
                "customer_number": "customer_number", "first_name": "first_name",
                "last_name": "last_name", "birth_year": "birth_year",
                "gender": "gender"}, "customer_number"
_ENROLMENT = {"assigned_on": "assigned_on", "joined_on": "joined_on",
              "cooperation_plan_on": "cooperation_plan_on",
              "cohort": "cohort_code", "participant": "customer_number"}, "cohort_code"
_EXIT = {"exit_on": "exit_on", "exit_reason": "exit_reason",
         "dropout_reason": "dropout_reason"}, "exit_on"
_EMPLOYER = {"employer_name": "employer_name", "name": "employer_name"}, "employer_name"
_INTEGRATION = {"kind": "integration_kind", "start_on": "integration_start_on",
                "employer": "employer_name"}, "integration_kind"
_FOLLOWUP = {"still_employed": "followup_12m",
             "checked_on": "followup_12m_checked_on"}, "followup_12m"


class EnrolmentList(ListType):
    kind = "enrolments"
    plan_class = _Plan
    columns = _COLUMNS
    column_help = _COLUMN_HELP
    example_rows = _EXAMPLE_ROWS
    counts = (
        Count("participants", ngettext_lazy("%(n)s participant", "%(n)s participants", "n")),
        Count("cohorts", ngettext_lazy("%(n)s cohort", "%(n)s cohorts", "n")),
        Count("enrolments", ngettext_lazy("%(n)s enrolment", "%(n)s enrolments", "n")),
        Count("integrations", ngettext_lazy("%(n)s integration", "%(n)s integrations", "n")),
        Count("programmes", ngettext_lazy("%(n)s new programme", "%(n)s new programmes", "n")),
        Count("sites", ngettext_lazy("%(n)s new site", "%(n)s new sites", "n")),
        Count("employers", ngettext_lazy("%(n)s new employer", "%(n)s new employers", "n")),
        Count("enrolment_dates", ngettext_lazy("%(n)s enrolment completed with dates",
                                               "%(n)s enrolments completed with dates", "n")),
        Count("exits", ngettext_lazy("%(n)s exit recorded", "%(n)s exits recorded", "n")),
        Count("followups", ngettext_lazy("%(n)s follow-up recorded",
                                         "%(n)s follow-ups recorded", "n")),
    )
    summary = ("created: {participants} participants, {cohorts} cohorts, "
               "{enrolments} enrolments, {integrations} integrations")
    extra_lines = ("created as well: {programmes} programmes, {sites} sites, "
                   "{employers} employers; updated: {enrolment_dates} enrolment dates, "
                   "{exits} exits, {followups} follow-ups",)

    @cached_property
    def lookups(self):
        return _lookups()

    def read_row(self, r: RowReader, plan: _Plan, today: date) -> _Line:
        line = _parse(r, self.lookups, today)
        _check_row(r, line, today)
        if line.cohort_code:
            cohort = plan.cohorts.setdefault(line.cohort_code, Entity(line))
            cohort.merge(r, line, _COHORT_FACTS, _(
                "Row %(row)s gives “%(other)s” for the same cohort."))
        if line.customer_number:
            person = plan.participants.setdefault(line.customer_number, Entity(line))
            person.merge(r, line, _PARTICIPANT_FACTS, _(
                "Row %(row)s gives “%(other)s” for the same customer number."))
        if line.cohort_code and line.customer_number:
            key = (line.customer_number, line.cohort_code)
            if key in plan.enrolments:
                r.error("customer_number", _(
                    "Row %(row)s already has this person in this cohort; one row per "
                    "enrolment.") % {"row": plan.enrolments[key]})
            else:
                plan.enrolments[key] = line.number
        return line

    def load_known(self, jobcenter: Jobcenter, plan: _Plan) -> _Known:
        return _Known(jobcenter, plan.cohorts, plan.participants)

    def check_known(self, table: Table, plan: _Plan, known: _Known) -> list[RowError]:
        """What a new cohort or participant needs, somewhere in its rows."""
        return (_missing(table, plan.cohorts, known.cohorts, _COHORT_FACTS,
                         _("Required for a new cohort."))
                + _missing(table, plan.participants, known.participants,
                           ("first_name", "last_name"), _("Required for a new participant.")))

    def dependencies(self, line: _Line):
        return ("cohort", line.cohort_code), ("participant", line.customer_number)

    def write_row(self, run: WritePass, line: _Line) -> Written:
        jobcenter, known, step = run.jobcenter, run.known, run.step
        counts = Counter()
        new = {"cohorts": {}, "participants": {}, "enrolments": {}, "integrations": {},
               "followups": {}, "programme_ids": set(), "site_ids": set(),
               "employer_ids": set()}

        def count_new(name, row, ids):
            if row.pk not in getattr(known, ids) and row.pk not in new[ids]:
                new[ids].add(row.pk)
                counts[name] += 1

        cohort = known.cohorts.get(line.cohort_code)
        if cohort is None:
            spec, creates = run.plan.cohorts[line.cohort_code], ("cohort", line.cohort_code)
            with step(line, *_PROGRAMME, creates=creates):
                programme = programme_for_name(jobcenter=jobcenter,
                                               name=spec.value("programme"))
            count_new("programmes", programme, "programme_ids")
            with step(line, *_SITE, creates=creates):
                site = site_for_name(jobcenter=jobcenter, name=spec.value("site"))
            count_new("sites", site, "site_ids")
            with step(line, *_COHORT, creates=creates):
                cohort = cohort_save(programme=programme, site=site, code=line.cohort_code,
                                     planned_start=spec.value("cohort_start"),
                                     planned_end=spec.value("cohort_end"))
            new["cohorts"][cohort.code] = cohort
            counts["cohorts"] += 1

        participant = known.participants.get(line.customer_number)
        if participant is None:
            spec = run.plan.participants[line.customer_number]
            flags = spec.value("characteristics") or []
            with step(line, *_PARTICIPANT, creates=("participant", line.customer_number)):
                participant = participant_save(
                    jobcenter=jobcenter, customer_number=line.customer_number,
                    first_name=spec.value("first_name"), last_name=spec.value("last_name"),
                    birth_year=spec.value("birth_year"), gender=spec.value("gender") or "",
                    **{name: code in flags for code, name in CHARACTERISTICS.items()},
                )
            new["participants"][participant.customer_number] = participant
            counts["participants"] += 1

        enrolment = known.enrolments.get((participant.pk, cohort.pk))
        if enrolment is None:
            with step(line, *_ENROLMENT):
                enrolment = enrolment_save(cohort=cohort, participant=participant,
                                           assigned_on=line.assigned_on,
                                           joined_on=line.joined_on,
                                           cooperation_plan_on=line.cooperation_plan_on)
            new["enrolments"][(participant.pk, cohort.pk)] = enrolment
            counts["enrolments"] += 1
        else:
            gaps = [name for name in ("assigned_on", "joined_on", "cooperation_plan_on")
                    if getattr(enrolment, name) is None and getattr(line, name) is not None]
            if gaps:
                with step(line, *_ENROLMENT):
                    enrolment_dates_complete(enrolment=enrolment, assigned_on=line.assigned_on,
                                             joined_on=line.joined_on,
                                             cooperation_plan_on=line.cooperation_plan_on)
                counts["enrolment_dates"] += 1

        if line.exit_on and enrolment.exit_on is None:
            with step(line, *_EXIT):
                enrolment_exit(enrolment=enrolment, exit_on=line.exit_on,
                               exit_reason=line.exit_reason, dropout_reason=line.dropout_reason)
            counts["exits"] += 1

        if line.integration_kind:
            key = (enrolment.pk, line.integration_kind, line.integration_start_on)
            integration = known.integrations.get(key)
            followup = known.followups.get(integration.pk) if integration else None
            if integration is None:
                employer = None
                if line.employer_name:
                    with step(line, *_EMPLOYER):
                        employer = employer_for_name(jobcenter=jobcenter,
                                                     name=line.employer_name)
                    count_new("employers", employer, "employer_ids")
                with step(line, *_INTEGRATION):
                    integration = integration_record(
                        enrolment=enrolment, kind=line.integration_kind,
                        start_on=line.integration_start_on, employer=employer)
                new["integrations"][key] = integration
                counts["integrations"] += 1
                if line.followup_12m:
                    followup = integration.followups.filter(
                        due_month=FollowUp.DueMonth.TWELVE).first()
            if line.followup_12m and followup is not None and not followup.still_employed:
                # Without a check date it counts as checked when it was due (METRICS.md),
                # so a report as of a day before the import still counts it.
                with step(line, *_FOLLOWUP):
                    followup_record(followup=followup, still_employed=line.followup_12m,
                                    checked_on=line.followup_12m_checked_on or followup.due_on)
                new["followups"][integration.pk] = followup
                counts["followups"] += 1
        return Written(counts, new)


ENROLMENTS = EnrolmentList()
