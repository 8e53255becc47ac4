from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from coaching.models import Attendance, GroupSession
from coaching.services import (
    AttendanceEntry,
    SessionData,
    StaleSessionError,
    individual_session_record,
    session_record,
    session_update,
)
from participants.selectors import cohort_enrolments_on
from tests.factories import (
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    ModuleFactory,
    UserFactory,
)

START = date(2025, 3, 3)


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START,
                           planned_end=START + timedelta(days=41))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


def everyone(cohort, day, status="present"):
    return {e.pk: AttendanceEntry(status) for e in cohort_enrolments_on(cohort, day)}


@pytest.mark.django_db
def test_a_late_joiner_is_not_expected_before_joining_and_a_leaver_not_after(cohort):
    with scope(jobcenter=cohort.jobcenter):
        early = EnrolmentFactory(cohort=cohort, joined_on=START)
        late = EnrolmentFactory(cohort=cohort, joined_on=START + timedelta(days=7))
        gone = EnrolmentFactory(cohort=cohort, joined_on=START, exit_on=START + timedelta(days=2),
                                exit_reason="dropout", dropout_reason="health")
        EnrolmentFactory(cohort=cohort, joined_on=None)
        assert set(cohort_enrolments_on(cohort, START + timedelta(days=1))) == {early, gone}
        assert set(cohort_enrolments_on(cohort, START + timedelta(days=7))) == {early, late}


@pytest.mark.django_db
def test_recording_a_session_writes_everyones_attendance_and_bumps_the_data_version(
    cohort, coach
):
    with scope(jobcenter=coach.jobcenter):
        people = [EnrolmentFactory(cohort=cohort) for _ in range(3)]
        attendance = everyone(cohort, START)
        attendance[people[1].pk] = AttendanceEntry("late", "Bus verpasst")
        cohort.jobcenter.refresh_from_db()
        version = cohort.jobcenter.data_version

        session = session_record(
            cohort=cohort, attendance=attendance,
            data=SessionData(held_on=START, module=ModuleFactory(jobcenter=cohort.jobcenter),
                             coaches=(coach.user,)),
        )

        statuses = dict(session.attendances.values_list("enrolment_id", "status"))
        assert statuses == {people[0].pk: "present", people[1].pk: "late", people[2].pk: "present"}
        assert Attendance.objects.get(enrolment=people[1]).note == "Bus verpasst"
        assert list(session.coaches.all()) == [coach.user]
        cohort.jobcenter.refresh_from_db()
        assert cohort.jobcenter.data_version == version + 1


@pytest.mark.django_db
@pytest.mark.parametrize("day", [START - timedelta(days=1), START + timedelta(days=42)])
def test_a_session_outside_the_cohorts_period_is_refused(cohort, day):
    with scope(jobcenter=cohort.jobcenter):
        EnrolmentFactory(cohort=cohort, joined_on=START)
        with pytest.raises(ValidationError) as error:
            session_record(cohort=cohort, data=SessionData(held_on=day),
                           attendance=everyone(cohort, day))
        assert "held_on" in error.value.message_dict
        assert not GroupSession.objects.exists()


@pytest.mark.django_db
def test_attendance_for_someone_not_enrolled_that_day_is_refused(cohort):
    with scope(jobcenter=cohort.jobcenter):
        EnrolmentFactory(cohort=cohort, joined_on=START)
        late = EnrolmentFactory(cohort=cohort, joined_on=START + timedelta(days=7))
        attendance = {**everyone(cohort, START), late.pk: AttendanceEntry("unexcused")}
        with pytest.raises(ValidationError):
            session_record(cohort=cohort, data=SessionData(held_on=START), attendance=attendance)
        assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_only_the_jobcenters_staff_lead_a_session(cohort, outsider):
    with scope(jobcenter=cohort.jobcenter):
        EnrolmentFactory(cohort=cohort)
        with pytest.raises(ValidationError):
            session_record(cohort=cohort, attendance=everyone(cohort, START),
                           data=SessionData(held_on=START, coaches=(outsider.user,)))


@pytest.mark.django_db
def test_an_update_changes_statuses_and_follows_a_changed_date(cohort):
    with scope(jobcenter=cohort.jobcenter):
        early = EnrolmentFactory(cohort=cohort, joined_on=START)
        late = EnrolmentFactory(cohort=cohort, joined_on=START + timedelta(days=7))
        session = session_record(cohort=cohort, data=SessionData(held_on=START),
                                 attendance=everyone(cohort, START))
        new_day = START + timedelta(days=8)
        attendance = everyone(cohort, new_day)
        attendance[early.pk] = AttendanceEntry("excused")

        session_update(session=session, version=session.version,
                       data=SessionData(held_on=new_day), attendance=attendance)

        session.refresh_from_db()
        assert session.held_on == new_day and session.version == 2
        assert dict(session.attendances.values_list("enrolment_id", "status")) == {
            early.pk: "excused", late.pk: "present"}


@pytest.mark.django_db
def test_a_stale_save_is_refused_and_changes_nothing(cohort):
    with scope(jobcenter=cohort.jobcenter):
        person = EnrolmentFactory(cohort=cohort)
        session = session_record(cohort=cohort, data=SessionData(held_on=START),
                                 attendance=everyone(cohort, START))
        opened_version = session.version
        session_update(session=GroupSession.objects.get(pk=session.pk), version=opened_version,
                       data=SessionData(held_on=START, room="Raum 1"),
                       attendance={person.pk: AttendanceEntry("late")})

        with pytest.raises(StaleSessionError):
            session_update(session=GroupSession.objects.get(pk=session.pk), version=opened_version,
                           data=SessionData(held_on=START, room="Raum 2"),
                           attendance={person.pk: AttendanceEntry("unexcused")})

        session.refresh_from_db()
        assert session.room == "Raum 1"
        assert Attendance.objects.get().status == "late"


@pytest.mark.django_db
def test_individual_coaching_is_recorded_by_the_jobcenters_staff_only(cohort, coach):
    enrolment = EnrolmentFactory(cohort=cohort)
    record = individual_session_record(enrolment=enrolment, coach=coach.user, held_on=START,
                                       minutes=45, channel="phone", confidential_note="",
                                       next_steps="Lebenslauf schicken")
    assert record.jobcenter == cohort.jobcenter
    with pytest.raises(ValidationError):
        individual_session_record(enrolment=enrolment, coach=UserFactory(), held_on=START,
                                  minutes=45, channel="phone", confidential_note="",
                                  next_steps="")
