"""Deletion periods (Löschfristen): participants are anonymised once their last enrolment
ended longer ago than the jobcenter's retention period.

What goes: names, customer number, year of birth, language level, every free text (notes,
attendance notes, confidential coaching notes, next steps), the values in the audit trail
and what other apps registered as the person's data (`personal_data`: CV, photo, consent,
card links). What stays: enrolments with their dates, reasons and integrations, gender and
the characteristics used for target groups, and each enrolment's age at joining — so every
report figure is the same before and after.
"""

from datetime import date

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Case, DateField, F, Max, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import ExtractYear

from coaching.models import Attendance, IndividualSession
from jobcenters.audit import jobcenter_trail
from participants.models import Enrolment, Participant

from .models import ExportRecord
from .personal_data import PERSONAL_DATA

ANONYMISED = "anonymisiert"


def retention_cutoff(jobcenter, today: date, months: int | None = None) -> date:
    return today - relativedelta(months=jobcenter.retention_months if months is None else months)


def due_for_anonymisation(jobcenter, today: date, months: int | None = None) -> QuerySet:
    """Participants all of whose enrolments ended before the cutoff (never-joined ones end
    with their cohort); with `months`, who would be due with that retention period."""
    ended = Case(When(exit_on__isnull=False, then=F("exit_on")),
                 When(joined_on__isnull=True, then=F("cohort__planned_end")),
                 output_field=DateField())
    still_open = Enrolment.objects.filter(joined_on__isnull=False, exit_on__isnull=True)
    last_end = (Enrolment.objects.filter(jobcenter=jobcenter).values("participant")
                .annotate(last=Max(ended))
                .filter(last__lt=retention_cutoff(jobcenter, today, months))
                .values("participant"))
    return (Participant.objects.for_jobcenter(jobcenter)
            .filter(anonymised_at__isnull=True, pk__in=last_end)
            .exclude(pk__in=still_open.values("participant")))


@transaction.atomic
def anonymise(*, participants: QuerySet, now) -> int:
    """Anonymise these participants in a few queries; returns how many."""
    people = list(participants.select_for_update(of=("self",)))
    if not people:
        return 0
    ids = [p.pk for p in people]
    with disable_auditlog():
        birth_year = Subquery(Participant.objects.filter(pk=OuterRef("participant")).values(
            "birth_year")[:1])
        Enrolment.objects.filter(participant__in=ids, age_at_entry__isnull=True,
                                 joined_on__isnull=False).update(
            age_at_entry=ExtractYear("joined_on") - birth_year)
        Enrolment.objects.filter(participant__in=ids).update(notes="")
        Attendance.objects.filter(enrolment__participant__in=ids).exclude(note="").update(
            note="")
        IndividualSession.objects.filter(enrolment__participant__in=ids).update(
            confidential_note="", next_steps="")
        for person in people:
            person.first_name = ANONYMISED
            person.last_name = f"#{person.pk}"
            person.customer_number = f"ANON-{person.pk}"
            person.birth_year = None
            person.language_level = ""
            person.notes = ""
            person.anonymised_at = now
        Participant.objects.bulk_update(people, ["first_name", "last_name", "customer_number",
                                                 "birth_year", "language_level", "notes",
                                                 "anonymised_at"])
        for part in PERSONAL_DATA.values():
            if part.erase is not None:
                part.erase(ids)
    jobcenter = people[0].jobcenter
    trail = jobcenter_trail(jobcenter).filter(additional_data__participant__in=ids)
    redacted = []
    for entry in trail.exclude(changes__isnull=True):
        entry.changes = {field: ["–", "–"] for field in entry.changes}
        entry.changes_text = ""
        entry.object_repr = ANONYMISED
        redacted.append(entry)
    LogEntry.objects.bulk_update(redacted, ["changes", "changes_text", "object_repr"])
    return len(people)


@transaction.atomic
def anonymise_due(*, jobcenter, today: date, now, by=None) -> int:
    """Anonymise whoever is due; a run that anonymised anyone is recorded in the audit trail
    with who ran it (nobody: the nightly job), and how many, never who."""
    count = anonymise(participants=due_for_anonymisation(jobcenter, today), now=now)
    if count:
        ExportRecord.objects.create(jobcenter=jobcenter, user=by, kind="retention_run",
                                    parameters={"anonymised": count})
    return count


