"""Writes of the employer service's data, and the one way an integration comes about."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jobcenters.services import named_for
from participants.models import Enrolment, FollowUp, Integration

from .models import Employer


@transaction.atomic
def employer_for_name(*, jobcenter, name: str, town: str = "") -> Employer:
    if not name.strip():
        raise ValidationError({"employer_name": _("Please enter the employer's name.")})
    return named_for(Employer, jobcenter=jobcenter, name=name, town=town)


@transaction.atomic
def integration_record(
    *,
    enrolment: Enrolment,
    kind: str,
    start_on: date,
    employer: Employer | None = None,
    weekly_hours: Decimal | None = None,
    subsidy: str = "",
) -> Integration:
    """Record a job start; counting kinds get their 6- and 12-month follow-ups."""
    integration = Integration(
        jobcenter=enrolment.jobcenter, enrolment=enrolment, kind=kind, start_on=start_on,
        employer=employer, weekly_hours=weekly_hours, subsidy=subsidy,
    )
    if Integration.objects.filter(enrolment=enrolment, kind=kind, start_on=start_on).exists():
        raise ValidationError(_("This job start is already recorded."))
    integration.full_clean()
    integration.save()
    if integration.counts:
        FollowUp.objects.bulk_create(
            FollowUp(jobcenter=enrolment.jobcenter, integration=integration, due_month=month,
                     due_on=FollowUp.due_date(start_on, month))
            for month in FollowUp.DueMonth
        )
    enrolment.jobcenter.touch()
    return integration
