from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import (
    AttendanceFactory,
    CohortCoachFactory,
    EnrolmentFactory,
    GroupSessionFactory,
    IndividualSessionFactory,
    MembershipFactory,
    ModuleFactory,
)


@pytest.mark.django_db
def test_attendance_is_recorded_once_per_session_and_person():
    attendance = AttendanceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(session=attendance.session, enrolment=attendance.enrolment)


@pytest.mark.django_db
def test_attendance_only_for_people_of_the_sessions_cohort():
    session = GroupSessionFactory()
    other = EnrolmentFactory(cohort__programme__jobcenter=session.jobcenter)
    with pytest.raises(ValidationError, match="nimmt nicht an der Gruppe dieser Sitzung teil"):
        AttendanceFactory(session=session, enrolment=other)


@pytest.mark.django_db
def test_a_session_ends_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupSessionFactory(starts_at=time(12, 0), ends_at=time(9, 0))


@pytest.mark.django_db
def test_a_session_cannot_use_another_jobcenters_module(jobcenter_a, jobcenter_b):
    with pytest.raises(ValidationError, match="anderen Jobcenter"):
        GroupSessionFactory(cohort__programme__jobcenter=jobcenter_a,
                            module=ModuleFactory(jobcenter=jobcenter_b))


@pytest.mark.django_db
def test_individual_sessions_have_a_plausible_length():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndividualSessionFactory(minutes=0)


@pytest.mark.django_db
def test_only_staff_of_the_jobcenter_coach_sessions_and_people(jobcenter_a, jobcenter_b):
    outsider = MembershipFactory(jobcenter=jobcenter_b).user  # staff elsewhere only
    session = GroupSessionFactory(cohort__programme__jobcenter=jobcenter_a)
    with pytest.raises(ValidationError, match="Mitarbeitende"), transaction.atomic():
        session.coaches.add(outsider)
    with pytest.raises(ValidationError, match="Mitarbeitende"):
        IndividualSessionFactory(enrolment__cohort__programme__jobcenter=jobcenter_a,
                                 coach=outsider)
    with pytest.raises(ValidationError, match="Mitarbeitende"):
        CohortCoachFactory(cohort=session.cohort, user=outsider)
    insider = MembershipFactory(jobcenter=jobcenter_a).user
    session.coaches.add(insider)
    assert list(session.coaches.all()) == [insider]
