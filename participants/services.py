"""Writes of participants' data. Each bumps the jobcenter's data version in its transaction."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jobcenters.models import Jobcenter

from .fields import customer_number_error, normalise_customer_number
from .models import Enrolment, Participant


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
def participant_save(*, jobcenter: Jobcenter, participant: Participant | None = None,
                     customer_number: str, first_name: str, last_name: str,
                     birth_year: int | None = None, gender: str = "",
                     long_term_unemployed: bool = False, topping_up: bool = False,
                     refugee: bool = False, single_parent: bool = False,
                     health_limitations: bool = False, language_level: str = "",
                     notes: str = "") -> Participant:
    """Create a participant of the jobcenter, or change one."""
    participant = participant or Participant(jobcenter=jobcenter)
    participant.customer_number = customer_number
    participant.first_name, participant.last_name = first_name, last_name
    participant.birth_year, participant.gender = birth_year, gender
    participant.long_term_unemployed, participant.topping_up = long_term_unemployed, topping_up
    participant.refugee, participant.single_parent = refugee, single_parent
    participant.health_limitations = health_limitations
    participant.language_level, participant.notes = language_level, notes
    _check_customer_number(participant)
    return _save(participant, jobcenter=jobcenter)


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


# § 15 Abs. 3 SGB II: the Kooperationsplan is reviewed regularly, at the latest after six months.
COOPERATION_PLAN_REVIEW_AFTER = relativedelta(months=6)


def _set_cooperation_plan(enrolment: Enrolment, plan_on: date | None, review_on: date | None):
    """The plan's date and its next review: six months later unless given, never before it."""
    if plan_on is not None and review_on is None:
        review_on = plan_on + COOPERATION_PLAN_REVIEW_AFTER
    if plan_on is not None and review_on < plan_on:
        raise ValidationError({"cooperation_plan_review_on": _(
            "The review cannot lie before the Kooperationsplan (%(plan)s)."
        ) % {"plan": date_format(plan_on, "SHORT_DATE_FORMAT")}})
    enrolment.cooperation_plan_on, enrolment.cooperation_plan_review_on = plan_on, review_on


@transaction.atomic
def enrolment_save(*, cohort, participant: Participant, enrolment: Enrolment | None = None,
                   assigned_on: date | None = None, info_event_on: date | None = None,
                   joined_on: date | None = None, cooperation_plan_on: date | None = None,
                   cooperation_plan_review_on: date | None = None,
                   is_voluntary: bool = False, notes: str = "") -> Enrolment:
    """Enrol a participant into a cohort, or change the enrolment's dates and notes."""
    if enrolment is not None and cooperation_plan_review_on is not None:
        stored = Enrolment.objects.filter(pk=enrolment.pk).values_list(
            "cooperation_plan_on", "cooperation_plan_review_on").first()
        # A review left at the default of a plan date now changed follows the new date.
        if stored and stored[0] and stored[0] != cooperation_plan_on and (
                stored[1] == cooperation_plan_review_on == stored[0]
                + COOPERATION_PLAN_REVIEW_AFTER):
            cooperation_plan_review_on = None
    enrolment = enrolment or Enrolment(jobcenter=cohort.jobcenter, cohort=cohort,
                                       participant=participant)
    enrolment.assigned_on, enrolment.info_event_on = assigned_on, info_event_on
    enrolment.joined_on = joined_on
    _set_cooperation_plan(enrolment, cooperation_plan_on, cooperation_plan_review_on)
    enrolment.is_voluntary, enrolment.notes = is_voluntary, notes
    _check_joining(enrolment)
    return _save(enrolment, jobcenter=cohort.jobcenter)


@transaction.atomic
def enrolment_dates_complete(*, enrolment: Enrolment, assigned_on: date | None,
                             joined_on: date | None,
                             cooperation_plan_on: date | None = None) -> Enrolment:
    """Fill in the assignment, joining and Kooperationsplan dates where the enrolment has
    none yet (a list imported again knows more than before); dates already there stay."""
    enrolment.assigned_on = enrolment.assigned_on or assigned_on
    enrolment.joined_on = enrolment.joined_on or joined_on
    if enrolment.cooperation_plan_on is None and cooperation_plan_on is not None:
        _set_cooperation_plan(enrolment, cooperation_plan_on, None)
    _check_joining(enrolment)
    return _save(enrolment, jobcenter=enrolment.jobcenter)


@transaction.atomic
def enrolment_exit(
    *, enrolment: Enrolment, exit_on: date, exit_reason: str, dropout_reason: str = ""
) -> Enrolment:
    """Record (or correct) the exit. A dropout needs its reason; other exits have none."""
    if exit_reason not in Enrolment.ExitReason.values:
        raise ValidationError({"exit_reason": _("Please choose the exit reason.")})
    if exit_reason == Enrolment.ExitReason.DROPOUT and not dropout_reason:
        raise ValidationError({"dropout_reason": _("Please give the reason for the dropout.")})
    if exit_reason != Enrolment.ExitReason.DROPOUT and dropout_reason:
        # Not dropped silently: the person may have meant a dropout.
        raise ValidationError({"dropout_reason": _(
            "A dropout reason is only possible for a dropout.")})
    if enrolment.joined_on is not None and exit_on < enrolment.joined_on:
        raise ValidationError({"exit_on": _(
            "The exit cannot lie before joining (%(joined)s)."
        ) % {"joined": date_format(enrolment.joined_on, "SHORT_DATE_FORMAT")}})
    enrolment.exit_on = exit_on
    enrolment.exit_reason = exit_reason
    enrolment.dropout_reason = dropout_reason
    return _save(enrolment, jobcenter=enrolment.jobcenter)


@transaction.atomic
def enrolment_exit_withdraw(*, enrolment: Enrolment) -> Enrolment:
    """Take back an exit recorded by mistake: the person is in the cohort again."""
    if not enrolment.has_exited:
        raise ValidationError(_("%(name)s has no exit to withdraw.") % {
            "name": enrolment.participant})
    enrolment.exit_on, enrolment.exit_reason, enrolment.dropout_reason = None, "", ""
    return _save(enrolment, jobcenter=enrolment.jobcenter)
