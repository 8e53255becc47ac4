"""Writes of participants' data. Each bumps the jobcenter's data version in its transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jobcenters.services import only_fields

from .fields import customer_number_error, normalise_customer_number
from .models import Enrolment, Participant

PARTICIPANT_FIELDS = (
    "customer_number", "first_name", "last_name", "birth_year", "gender",
    "long_term_unemployed", "topping_up", "refugee", "single_parent", "health_limitations",
    "language_level", "notes",
)
ENROLMENT_FIELDS = (
    "assigned_on", "info_event_on", "joined_on", "agreement_on", "is_voluntary", "notes",
)


def _save(instance, *, jobcenter):
    instance.full_clean()
    instance.save()
    return instance


def _check_customer_number(participant: Participant):
    """Stored trimmed and in upper case, so `888d873087` is the `888D873087` already there.

    The database refuses a duplicate too; this says so next to the field."""
    participant.customer_number = normalise_customer_number(participant.customer_number)
    if message := customer_number_error(participant.customer_number or ""):
        raise ValidationError({"customer_number": message})
    taken = Participant.objects.filter(
        jobcenter=participant.jobcenter, customer_number=participant.customer_number
    ).exclude(pk=participant.pk)
    if taken.exists():
        raise ValidationError({"customer_number": _(
            "A participant with this customer number already exists."
        )})


@transaction.atomic
def participant_create(*, jobcenter, **fields) -> Participant:
    participant = Participant(jobcenter=jobcenter, **only_fields(fields, PARTICIPANT_FIELDS))
    _check_customer_number(participant)
    return _save(participant, jobcenter=jobcenter)


@transaction.atomic
def participant_update(*, participant: Participant, **fields) -> Participant:
    for name, value in only_fields(fields, PARTICIPANT_FIELDS).items():
        setattr(participant, name, value)
    _check_customer_number(participant)
    return _save(participant, jobcenter=participant.jobcenter)


def _check_joining(enrolment: Enrolment):
    cohort = enrolment.cohort
    joined = enrolment.joined_on
    if joined is None:
        return
    if joined > cohort.planned_end:
        raise ValidationError({"joined_on": _(
            "The date lies after the end of the cohort (%(end)s)."
        ) % {"end": date_format(cohort.planned_end, "SHORT_DATE_FORMAT")}})
    if joined < cohort.planned_start:
        raise ValidationError({"joined_on": _(
            "The date lies before the start of the cohort (%(start)s)."
        ) % {"start": date_format(cohort.planned_start, "SHORT_DATE_FORMAT")}})


@transaction.atomic
def enrolment_create(*, cohort, participant: Participant, **fields) -> Enrolment:
    enrolment = Enrolment(
        jobcenter=cohort.jobcenter, cohort=cohort, participant=participant,
        **only_fields(fields, ENROLMENT_FIELDS),
    )
    _check_joining(enrolment)
    return _save(enrolment, jobcenter=cohort.jobcenter)


@transaction.atomic
def enrolment_update(*, enrolment: Enrolment, **fields) -> Enrolment:
    for name, value in only_fields(fields, ENROLMENT_FIELDS).items():
        setattr(enrolment, name, value)
    _check_joining(enrolment)
    return _save(enrolment, jobcenter=enrolment.jobcenter)


@transaction.atomic
def enrolment_exit(
    *, enrolment: Enrolment, exit_on: date, exit_reason: str, dropout_reason: str = ""
) -> Enrolment:
    """Record (or correct) the exit. A dropout needs its reason; other exits have none."""
    if exit_reason == Enrolment.ExitReason.DROPOUT and not dropout_reason:
        raise ValidationError({"dropout_reason": _("Please give the reason for the dropout.")})
    if exit_reason != Enrolment.ExitReason.DROPOUT:
        dropout_reason = ""
    if enrolment.joined_on is not None and exit_on < enrolment.joined_on:
        raise ValidationError({"exit_on": _(
            "The exit cannot lie before joining (%(joined)s)."
        ) % {"joined": date_format(enrolment.joined_on, "SHORT_DATE_FORMAT")}})
    enrolment.exit_on = exit_on
    enrolment.exit_reason = exit_reason
    enrolment.dropout_reason = dropout_reason
    return _save(enrolment, jobcenter=enrolment.jobcenter)
