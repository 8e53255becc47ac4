"""Subject access (Art. 15 GDPR): everything stored about one participant, in one document."""

from datetime import date, datetime

from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participants.models import Participant

# Per enrolment: the related rows a person's data consists of.
ENROLMENT_PARTS = ("integrations", "attendances", "individual_sessions", "applications")


def _plain(row, exclude=("jobcenter",)) -> dict:
    data = model_to_dict(row, exclude=exclude)
    data["id"] = row.pk
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def subject_data(participant: Participant) -> dict:
    """The participant's data with every enrolment and what hangs off it (a few queries)."""
    enrolments = participant.enrolments.select_related("cohort").prefetch_related(
        "integrations__followups", "attendances__session", "individual_sessions",
        "applications__employer", "applications__steps")
    return {
        "participant": _plain(participant),
        "jobcenter": participant.jobcenter.name,
        "enrolments": [
            {
                **_plain(e),
                "cohort": e.cohort.code,
                "integrations": [{**_plain(i), "followups": [_plain(f) for f in
                                                              i.followups.all()]}
                                 for i in e.integrations.all()],
                "attendances": [{**_plain(a), "date": a.session.held_on.isoformat()}
                                for a in e.attendances.all()],
                "individual_sessions": [_plain(s) for s in e.individual_sessions.all()],
                "applications": [{**_plain(a), "employer": a.employer.name,
                                  "steps": [_plain(s) for s in a.steps.all()]}
                                 for a in e.applications.all()],
            }
            for e in enrolments
        ],
    }


# The printable page: the same data in words, for the person it is about.
_LEFT_OUT = {"id", "jobcenter", "participant", "enrolment", "integration", "application",
             "session", "cohort"}


def _value(row, field) -> str:
    value = getattr(row, field.name)
    if value is None or value == "":
        return "–"
    if field.choices:
        return getattr(row, f"get_{field.name}_display")()
    if isinstance(field, models.BooleanField):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _readable(row) -> list[tuple[str, str]]:
    """(label, value) of every field of the row that says something about the person."""
    return [(capfirst(field.verbose_name), _value(row, field))
            for field in row._meta.concrete_fields if field.name not in _LEFT_OUT]


def _table(rows) -> dict | None:
    rows = list(rows)
    if not rows:
        return None
    readable = [_readable(row) for row in rows]
    return {"columns": [label for label, _ in readable[0]],
            "rows": [[value for _, value in row] for row in readable]}


def subject_page(participant: Participant) -> dict:
    """Person and enrolments as labelled values, the related rows as tables (a few queries)."""
    enrolments = participant.enrolments.select_related("cohort").prefetch_related(
        "integrations__employer", "attendances__session", "individual_sessions__coach",
        "applications__employer")
    return {
        "person": _readable(participant),
        "enrolments": [
            {"cohort": e.cohort.code, "fields": _readable(e),
             "tables": [(title, table) for title, table in (
                 (_("Job starts"), _table(e.integrations.all())),
                 (_("Attendance"), _table_with_date(e.attendances.all())),
                 (_("Individual coaching"), _table(e.individual_sessions.all())),
                 (_("Applications"), _table(e.applications.all())),
             ) if table]}
            for e in enrolments
        ],
    }


def _table_with_date(attendances) -> dict | None:
    """Attendance records with the date of their session first."""
    attendances = sorted(attendances, key=lambda a: a.session.held_on)
    table = _table(attendances)
    if table is not None:
        table["columns"].insert(0, capfirst(_("date")))
        for row, attendance in zip(table["rows"], attendances, strict=True):
            row.insert(0, date_format(attendance.session.held_on, "SHORT_DATE_FORMAT"))
    return table
