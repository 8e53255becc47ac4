from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from employers.models import Employer, FollowUp, Integration
from employers.services import employer_for_name, followup_record, integration_record
from participants.models import Enrolment
from participants.services import (
    enrolment_exit,
    enrolment_save,
    participant_save,
)
from tests.factories import CohortFactory, EnrolmentFactory, ParticipantFactory

START = date(2025, 3, 3)


@pytest.mark.django_db
def test_a_duplicate_customer_number_is_a_field_error(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        ParticipantFactory(jobcenter=jobcenter_a, customer_number="123D000001")
        with pytest.raises(ValidationError) as error:
            participant_save(jobcenter=jobcenter_a, customer_number="123D000001",
                             first_name="Eva", last_name="Roth")
        assert "customer_number" in error.value.message_dict


@pytest.mark.django_db
def test_joining_after_the_end_of_the_cohort_is_refused_with_the_date(jobcenter_a):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=START,
                           planned_end=date(2025, 4, 11))
    with pytest.raises(ValidationError) as error:
        enrolment_save(cohort=cohort, participant=ParticipantFactory(jobcenter=jobcenter_a),
                       joined_on=date(2025, 4, 14))
    assert "11.04.2025" in error.value.message_dict["joined_on"][0]
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_enrolling_bumps_the_data_version(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        cohort = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=START)
        participant = ParticipantFactory(jobcenter=jobcenter_a)
        jobcenter_a.refresh_from_db()
        before = jobcenter_a.data_version
        enrolment_save(cohort=cohort, participant=participant,
                       assigned_on=START - timedelta(days=5), joined_on=START)
        jobcenter_a.refresh_from_db()
        assert jobcenter_a.data_version == before + 1


@pytest.mark.django_db
def test_a_dropout_needs_its_reason_and_other_exits_refuse_one():
    enrolment = EnrolmentFactory(joined_on=START)
    with scope(jobcenter=enrolment.jobcenter):
        with pytest.raises(ValidationError) as error:
            enrolment_exit(enrolment=enrolment, exit_on=START + timedelta(days=9),
                           exit_reason="dropout")
        assert "dropout_reason" in error.value.message_dict
        with pytest.raises(ValidationError) as error:  # not dropped silently (issue 12)
            enrolment_exit(enrolment=enrolment, exit_on=START + timedelta(days=9),
                           exit_reason="completed", dropout_reason="health")
        assert "dropout_reason" in error.value.message_dict
        enrolment.refresh_from_db()
        assert (enrolment.exit_reason, enrolment.dropout_reason) == ("", "")


@pytest.mark.django_db
def test_an_exit_before_joining_is_a_field_error():
    enrolment = EnrolmentFactory(joined_on=START)
    with pytest.raises(ValidationError) as error:
        enrolment_exit(enrolment=enrolment, exit_on=START - timedelta(days=1),
                       exit_reason="completed")
    assert "03.03.2025" in error.value.message_dict["exit_on"][0]


@pytest.mark.django_db
def test_a_counting_job_start_gets_its_two_follow_ups_and_a_minijob_none():
    enrolment = EnrolmentFactory(joined_on=START)
    with scope(jobcenter=enrolment.jobcenter):
        job = integration_record(enrolment=enrolment, kind="employment",
                                 start_on=date(2025, 4, 1))
        integration_record(enrolment=enrolment, kind="minijob", start_on=date(2025, 4, 1))
        assert sorted(FollowUp.objects.values_list("integration_id", "due_month", "due_on")) == [
            (job.pk, 6, date(2025, 10, 1)), (job.pk, 12, date(2026, 4, 1))]


@pytest.mark.django_db
def test_the_same_job_start_is_not_recorded_twice():
    enrolment = EnrolmentFactory(joined_on=START)
    with scope(jobcenter=enrolment.jobcenter):
        integration_record(enrolment=enrolment, kind="employment", start_on=date(2025, 4, 1))
        with pytest.raises(ValidationError):
            integration_record(enrolment=enrolment, kind="employment", start_on=date(2025, 4, 1))
        assert Integration.objects.count() == 1


@pytest.mark.django_db
def test_a_typed_employer_name_reuses_the_known_employer(jobcenter_a, jobcenter_b):
    with scope(jobcenter=jobcenter_a):
        known = employer_for_name(jobcenter=jobcenter_a, name="Bäckerei Schulte")
        assert employer_for_name(jobcenter=jobcenter_a, name="  bäckerei  schulte ") == known
    with scope(jobcenter=jobcenter_b):
        assert employer_for_name(jobcenter=jobcenter_b, name="Bäckerei Schulte") != known
    # Looks across jobcenters: one employer in each.
    with scopes_disabled():
        assert Employer.objects.count() == 2


@pytest.mark.django_db
def test_a_follow_up_answer_is_recorded_with_its_date():
    enrolment = EnrolmentFactory(joined_on=START)
    with scope(jobcenter=enrolment.jobcenter):
        integration_record(enrolment=enrolment, kind="employment", start_on=date(2025, 4, 1))
        followup = FollowUp.objects.get(due_month=6)
        with pytest.raises(ValidationError):
            followup_record(followup=followup, still_employed="", checked_on=date(2025, 10, 2))
        followup_record(followup=followup, still_employed="yes", checked_on=date(2025, 10, 2))
        followup.refresh_from_db()
        assert (followup.still_employed, followup.checked_on) == ("yes", date(2025, 10, 2))
