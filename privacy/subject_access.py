"""Subject access (Art. 15 GDPR): everything stored about one participant, in one document.

One description of what a person's data consists of feeds both forms of the answer: the
JSON file (every stored field, machine-readable; `SubjectAccessEncoder` takes decimals,
dates, times, UUIDs and whatever else a field may hold) and the printable page (the same
fields in words: German labels, choice labels, dates and numbers as staff write them).
Every concrete field of a row is in it, so a new field is covered without a change here;
only the links that the nesting already expresses are left out.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format, time_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participants.models import Participant

from .personal_data import PERSONAL_DATA

# Links that the document's nesting already says (the person, the enrolment, the parent
# row), and the tenant: left out of each row.
STRUCTURAL = frozenset({"jobcenter", "participant", "enrolment"})
PARENTS = {"FollowUp": {"integration"}, "Attendance": {"session"},
           "ApplicationStep": {"application"}}
# Of a group session, what says something about this person's attendance; the session's
# own notes are about the whole group (other people), its version is bookkeeping.
SESSION_FIELDS = ("held_on", "starts_at", "ends_at", "module", "room", "coaches")
# More columns than this, in a table of one row, are shown as a list of labels and values.
WIDE = 8


class SubjectAccessEncoder(DjangoJSONEncoder):
    """Django's encoder (Decimal, date, datetime, time, timedelta, UUID, lazy text); any
    other value as its text, so that no field's content can make the answer fail."""

    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _fields(row, only=None) -> list[models.Field]:
    """The row's concrete and many-to-many fields that belong in the document, in order."""
    # A model's `subject_access_hidden` fields are keys, not data about the person.
    left_out = (STRUCTURAL | PARENTS.get(type(row).__name__, set())
                | set(getattr(row, "subject_access_hidden", ())))
    fields = [*row._meta.concrete_fields, *row._meta.many_to_many]
    if only is not None:
        return [f for name in only for f in fields if f.name == name]
    return [f for f in fields if f.name not in left_out]


def _raw(row, field):
    """The stored value as data: a related row by its name, many-to-many as a list."""
    if field.many_to_many:
        return [str(obj) for obj in getattr(row, field.name).all()]
    if field.is_relation:
        related = getattr(row, field.name)
        return None if related is None else str(related)
    return field.value_from_object(row)


def _data(row, only=None) -> dict:
    return {field.name: _raw(row, field) for field in _fields(row, only)}


def _enrolments(participant: Participant):
    return participant.enrolments.select_related("cohort").prefetch_related(
        "integrations__employer", "integrations__followups",
        "attendances__session__module", "attendances__session__coaches",
        "individual_sessions__coach",
        "applications__employer", "applications__vacancy__employer",
        "applications__integration", "applications__steps__by",
    )


def subject_data(participant: Participant) -> dict:
    """The participant's data with every enrolment and what hangs off it (a few queries)."""
    return {
        "participant": _data(participant),
        "jobcenter": participant.jobcenter.name,
        "enrolments": [
            {
                **_data(e),
                "integrations": [{**_data(i), "followups": [_data(f) for f in
                                                             i.followups.all()]}
                                 for i in e.integrations.all()],
                "attendances": [{**_data(a), "session": _data(a.session, SESSION_FIELDS)}
                                for a in _by_session_date(e.attendances.all())],
                "individual_sessions": [_data(s) for s in e.individual_sessions.all()],
                "applications": [{**_data(a), "steps": [_data(s) for s in a.steps.all()]}
                                 for a in e.applications.all()],
            }
            for e in _enrolments(participant)
        ],
        **{part.key: [_data(row) for row in part.rows(participant)]
           for part in PERSONAL_DATA.values()},
    }


def _by_session_date(attendances) -> list:
    return sorted(attendances, key=lambda a: (a.session.held_on, a.session.starts_at or time()))


# The printable page: the same data in words, for the person it is about.


def _value(row, field) -> str:
    """A field's value as the person reads it; "–" where nothing is stored."""
    if field.many_to_many:
        return ", ".join(str(obj) for obj in getattr(row, field.name).all()) or "–"
    value = getattr(row, field.name)
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
    if isinstance(field, models.FileField):  # the file itself: its name is in another field
        return gettext("stored")
    if field.is_relation:
        return str(value)
    if isinstance(field, models.BooleanField):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value,
                           "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, time):
        return time_format(value, "TIME_FORMAT")
    if isinstance(value, (Decimal, float)):
        return number_format(value)
    return str(value)


def _readable(row, only=None) -> list[tuple[str, str]]:
    """(label, value) of every field of the row that says something about the person
    (the row's number is for the file, not for the reader)."""
    return [(str(capfirst(field.verbose_name)), _value(row, field))
            for field in _fields(row, only) if not field.primary_key]


def _table(rows, before=None) -> dict | None:
    """Rows as a table; `before(row)` gives (label, value) columns put first."""
    rows = list(rows)
    if not rows:
        return None
    readable = [[*(before(row) if before else ()), *_readable(row)] for row in rows]
    # A single wide row (a profile) reads better as label and value, one under the other.
    pairs = readable[0] if len(readable) == 1 and len(readable[0]) > WIDE else None
    return {"columns": [label for label, _ in readable[0]],
            "rows": [[value for _, value in row] for row in readable], "pairs": pairs}


def _session_columns(attendance) -> list[tuple[str, str]]:
    return _readable(attendance.session, SESSION_FIELDS)


def _followup_columns(followup) -> list[tuple[str, str]]:
    return [(str(capfirst(_("job start"))), str(followup.integration))]


def _step_columns(step) -> list[tuple[str, str]]:
    return [(str(capfirst(_("employer"))), step.application.employer.name)]


def subject_page(participant: Participant) -> dict:
    """Person and enrolments as labelled values, the related rows as tables (a few queries)."""
    enrolments = []
    for e in _enrolments(participant):
        integrations = list(e.integrations.all())
        applications = list(e.applications.all())
        tables = (
            (_("Job starts"), _table(integrations)),
            (_("Follow-ups"), _table([f for i in integrations for f in i.followups.all()],
                                     _followup_columns)),
            (_("Attendance"), _table(_by_session_date(e.attendances.all()), _session_columns)),
            (_("Individual coaching"), _table(e.individual_sessions.all())),
            (_("Applications"), _table(applications)),
            (_("Application steps"), _table([s for a in applications for s in a.steps.all()],
                                            _step_columns)),
        )
        enrolments.append({"cohort": e.cohort.code, "fields": _readable(e),
                           "tables": [(title, table) for title, table in tables if table]})
    other = ((part.title, _table(part.rows(participant))) for part in PERSONAL_DATA.values())
    return {"person": _readable(participant), "enrolments": enrolments,
            "other": [(title, table) for title, table in other if table]}
