from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from employers.models import FollowUp, Integration
from participants.models import Enrolment
from tests.factories import (
    CohortFactory,
    EmployerFactory,
    EnrolmentFactory,
    FollowUpFactory,
    IntegrationFactory,
    ParticipantFactory,
)


@pytest.mark.django_db
def test_customer_numbers_are_unique_within_a_jobcenter_only(jobcenter_a, jobcenter_b):
    ParticipantFactory(jobcenter=jobcenter_a, customer_number="123D000001")
    ParticipantFactory(jobcenter=jobcenter_b, customer_number="123D000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(jobcenter=jobcenter_a, customer_number="123D000001")


@pytest.mark.django_db
def test_a_person_is_enrolled_in_a_cohort_once():
    enrolment = EnrolmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(cohort=enrolment.cohort, participant=enrolment.participant)


@pytest.mark.django_db
def test_the_exit_cannot_lie_before_joining():
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(joined_on=date(2025, 3, 3), exit_on=date(2025, 3, 2),
                         exit_reason=Enrolment.ExitReason.COMPLETED)


@pytest.mark.django_db
def test_an_exit_on_the_joining_day_is_fine():
    enrolment = EnrolmentFactory(joined_on=date(2025, 3, 3), exit_on=date(2025, 3, 3),
                                 exit_reason=Enrolment.ExitReason.DROPOUT,
                                 dropout_reason=Enrolment.DropoutReason.NO_SHOW)
    assert enrolment.has_exited


@pytest.mark.django_db
@pytest.mark.parametrize(
    "exit_on, exit_reason",
    [(date(2025, 4, 1), ""), (None, Enrolment.ExitReason.COMPLETED)],
    ids=["date-without-reason", "reason-without-date"],
)
def test_an_exit_has_both_a_date_and_a_reason(exit_on, exit_reason):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(exit_on=exit_on, exit_reason=exit_reason)


@pytest.mark.django_db
def test_a_dropout_reason_belongs_to_a_dropout_only():
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(exit_on=date(2025, 4, 1), exit_reason=Enrolment.ExitReason.COMPLETED,
                         dropout_reason=Enrolment.DropoutReason.HEALTH)


@pytest.mark.django_db
def test_a_participant_of_another_jobcenter_cannot_join_the_cohort(jobcenter_a, jobcenter_b):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a)
    with pytest.raises(ValidationError, match="anderen Jobcenter"):
        Enrolment.objects.create(
            cohort=cohort, participant=ParticipantFactory(jobcenter=jobcenter_b)
        )


@pytest.mark.django_db
def test_the_jobcenter_is_taken_from_the_parents(jobcenter_a):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a)
    enrolment = Enrolment.objects.create(
        cohort=cohort, participant=ParticipantFactory(jobcenter=jobcenter_a)
    )
    assert enrolment.jobcenter == jobcenter_a


@pytest.mark.django_db
def test_the_same_job_start_is_recorded_once():
    integration = IntegrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        IntegrationFactory(enrolment=integration.enrolment, kind=integration.kind,
                           start_on=integration.start_on)


@pytest.mark.django_db
def test_an_integration_cannot_name_another_jobcenters_employer(jobcenter_a, jobcenter_b):
    enrolment = EnrolmentFactory(cohort__programme__jobcenter=jobcenter_a)
    with pytest.raises(ValidationError, match="anderen Jobcenter"):
        IntegrationFactory(enrolment=enrolment, employer=EmployerFactory(jobcenter=jobcenter_b))


@pytest.mark.django_db
def test_weekly_hours_must_be_plausible():
    with pytest.raises(IntegrityError), transaction.atomic():
        IntegrationFactory(weekly_hours=80)


def test_only_employment_apprenticeship_and_self_employment_count():
    counted = {kind for kind in Integration.Kind if Integration(kind=kind).counts}
    assert counted == {"employment", "apprenticeship", "self_employment"}


@pytest.mark.django_db
def test_a_follow_up_exists_once_per_due_month_and_an_answer_needs_a_date():
    followup = FollowUpFactory(due_month=FollowUp.DueMonth.TWELVE)
    assert followup.due_on == date.fromordinal(followup.integration.start_on.toordinal() + 365)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpFactory(integration=followup.integration, due_month=FollowUp.DueMonth.TWELVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpFactory(due_month=FollowUp.DueMonth.SIX, still_employed="yes", checked_on=None)


def test_a_late_joiner_is_not_enrolled_before_joining_nor_after_the_exit():
    enrolment = Enrolment(joined_on=date(2025, 3, 10), exit_on=date(2025, 4, 1))
    assert not enrolment.is_enrolled_on(date(2025, 3, 9))
    assert enrolment.is_enrolled_on(date(2025, 3, 10))
    assert enrolment.is_enrolled_on(date(2025, 4, 1))
    assert not enrolment.is_enrolled_on(date(2025, 4, 2))
    assert not Enrolment(joined_on=None).is_enrolled_on(date(2025, 3, 10))
