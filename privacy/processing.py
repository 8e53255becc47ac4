"""The record of processing in the audit trail, in words: what left or entered the
application, and for whom ("Auskunft (JSON) zu Ayşe Yılmaz", "Liste „Abbruch“ als Excel,
2025"), registered in `jobcenters.audit.DESCRIBED` from `navigation.connect`."""

from django.utils.translation import gettext_lazy as _

from participants.selectors import people_named

from .models import ExportRecord

# What an export's parameters say, for the kinds of a higher app (the reports' periods and
# lists): kind → function(parameters) → text. Registered by that app.
RECORD_DETAILS = {}

SUBJECT_ACCESS_KINDS = ("subject_access_json", "subject_access_print")
# Records about one person, named in the trail: "… for Maria Jäger".
PERSON_KINDS = (*SUBJECT_ACCESS_KINDS, "certificate_pdf")


def describe_records(entries, membership) -> None:
    """Set `description` on the trail's entries of export records: the kind in words with
    its subject. The records and the people they concern come in one query each; a person
    the member does not reach (the administration) is named by number only."""
    records = {str(r.pk): r for r in ExportRecord.objects.for_jobcenter(membership.jobcenter)
               .filter(pk__in=[e.object_pk for e in entries])}
    people = people_named({r.parameters.get("participant") for r in records.values()
                           if r.kind in PERSON_KINDS
                           and r.parameters.get("participant") is not None}, membership)
    for entry in entries:
        record = records.get(str(entry.object_pk))
        entry.description = (record_text(record, people) if record is not None
                             else entry.object_repr)


def record_text(record: ExportRecord, people: dict) -> str:
    label = str(ExportRecord.KIND_LABELS.get(record.kind, record.kind))
    parameters = record.parameters or {}
    if record.kind in PERSON_KINDS:
        person = people.get(_as_int(parameters.get("participant")))
        return str(_("%(what)s for %(person)s") % {"what": label, "person": person}) \
            if person else label
    if record.kind == "retention_run":
        return str(_("%(what)s: %(count)s people") % {"what": label,
                                                      "count": parameters.get("anonymised")})
    detail = RECORD_DETAILS.get(record.kind)
    text = detail(parameters) if detail is not None else parameters.get("file", "")
    return f"{label}: {text}" if text else label


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
