from datetime import date, timedelta

import pytest
from django.urls import reverse
from django_scopes import scope

from coaching.models import Attendance, GroupSession
from tests.factories import (
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupSessionFactory,
)
from tests.queries import queries_for

START = date(2025, 3, 3)


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START,
                           planned_end=START + timedelta(days=60))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


@pytest.fixture
def logged_in(client, coach):
    client.force_login(coach.user)
    return client


def grow(cohort, people, sessions):
    """Bring the cohort to `people` participants and `sessions` sessions with attendance."""
    while cohort.enrolments.count() < people:
        EnrolmentFactory(cohort=cohort, joined_on=START)
    enrolments = list(cohort.enrolments.all())
    while GroupSession.objects.filter(cohort=cohort).count() < sessions:
        count = GroupSession.objects.filter(cohort=cohort).count()
        session = GroupSessionFactory(cohort=cohort, held_on=START + timedelta(days=count))
        Attendance.objects.bulk_create(
            Attendance(jobcenter=cohort.jobcenter, session=session, enrolment=e,
                       status="unexcused" if i % 7 == 0 else "present")
            for i, e in enumerate(enrolments)
        )


def url(name, cohort, **extra):
    return reverse(name, kwargs={"jc": cohort.jobcenter.code, "pk": cohort.pk, **extra})


def session_post(cohort, day, statuses=None, **fields):
    roster = [e for e in cohort.enrolments.order_by("participant__last_name",
                                                    "participant__first_name", "pk")
              if e.is_enrolled_on(day)]
    data = {"held_on": day.strftime("%d.%m.%Y"), "starts_at": "09:00", "ends_at": "12:00",
            "roster": ",".join(str(e.pk) for e in roster), **fields}
    for e in roster:
        data[f"status_{e.pk}"] = (statuses or {}).get(e.pk, "present")
        data[f"note_{e.pk}"] = ""
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["coaching:session_create", "coaching:matrix",
                                  "coaching:sessions", "participants:cohort",
                                  "reports:cohort_outcome"])
def test_cohort_pages_need_the_same_queries_for_5_and_40_people_and_sessions(
    logged_in, cohort, page
):
    with scope(jobcenter=cohort.jobcenter):
        grow(cohort, 5, 5)
        small = queries_for(lambda: logged_in.get(url(page, cohort)))
        grow(cohort, 40, 40)
        assert queries_for(lambda: logged_in.get(url(page, cohort))) == small


@pytest.mark.django_db
def test_editing_a_session_needs_the_same_queries_for_5_and_40_people_and_sessions(
    logged_in, cohort
):
    with scope(jobcenter=cohort.jobcenter):
        def edit_page():
            session = GroupSession.objects.filter(cohort=cohort).earliest("held_on")
            return reverse("coaching:session_update", kwargs={
                "jc": cohort.jobcenter.code, "cohort_pk": cohort.pk, "pk": session.pk})

        grow(cohort, 5, 5)
        small = queries_for(lambda: logged_in.get(edit_page()))
        grow(cohort, 40, 40)
        assert queries_for(lambda: logged_in.get(edit_page())) == small


@pytest.mark.django_db
def test_saving_a_session_needs_the_same_queries_for_5_and_40_people_and_sessions(
    logged_in, cohort
):
    with scope(jobcenter=cohort.jobcenter):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.get_for_model(Attendance)  # cached per process after the first use
        grow(cohort, 5, 5)
        first = START + timedelta(days=40)
        small = queries_for(lambda: logged_in.post(url("coaching:session_create", cohort),
                                                   session_post(cohort, first)))
        grow(cohort, 40, 40)
        day = START + timedelta(days=41)
        assert queries_for(lambda: logged_in.post(url("coaching:session_create", cohort),
                                                  session_post(cohort, day))) == small
        assert Attendance.objects.filter(session__held_on=day).count() == 40


@pytest.mark.django_db
def test_the_session_form_lists_only_people_enrolled_that_day(logged_in, cohort):
    EnrolmentFactory(cohort=cohort, joined_on=START, participant__last_name="Früh")
    EnrolmentFactory(cohort=cohort, joined_on=START + timedelta(days=7),
                     participant__last_name="Spät")
    html = logged_in.get(url("coaching:session_create", cohort),
                         {"held_on": START.strftime("%d.%m.%Y")}).content.decode()
    assert "Früh" in html and "Spät" not in html


@pytest.mark.django_db
def test_a_session_outside_the_period_shows_the_error_and_keeps_the_input(logged_in, cohort):
    with scope(jobcenter=cohort.jobcenter):
        EnrolmentFactory(cohort=cohort, joined_on=START)
        day = START + timedelta(days=61)
        data = session_post(cohort, START, room="Raum 4.711")
        data["held_on"] = day.strftime("%d.%m.%Y")
        data["roster"] = ""  # nobody enrolled after the end
        response = logged_in.post(url("coaching:session_create", cohort), data)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Raum 4.711" in html
        assert "02.05.2025" in html  # the cohort's end, named in the message
        assert not GroupSession.objects.exists()


@pytest.mark.django_db
def test_a_stale_save_is_refused_and_the_typed_input_stays(logged_in, cohort):
    with scope(jobcenter=cohort.jobcenter):
        person = EnrolmentFactory(cohort=cohort, joined_on=START)
        session = GroupSessionFactory(cohort=cohort, held_on=START, room="alt")
        AttendanceFactory(session=session, enrolment=person)
        edit = reverse("coaching:session_update", kwargs={
            "jc": cohort.jobcenter.code, "cohort_pk": cohort.pk, "pk": session.pk})
        first = session_post(cohort, START, {person.pk: "late"}, room="erste", version=1)
        second = session_post(cohort, START, {person.pk: "unexcused"}, room="zweite", version=1)

        assert logged_in.post(edit, first).status_code == 302
        response = logged_in.post(edit, second)

        html = response.content.decode()
        assert response.status_code == 200
        assert 'value="zweite"' in html
        session.refresh_from_db()
        assert session.room == "erste"
        assert Attendance.objects.get().status == "late"
        # Saving again, having seen the message, replaces the other save knowingly.
        assert 'name="version" value="2"' in html
        second["version"] = 2
        assert logged_in.post(edit, second).status_code == 302
        assert Attendance.objects.get().status == "unexcused"


@pytest.mark.django_db
def test_a_changed_date_shows_the_people_of_that_date_before_saving(logged_in, cohort):
    with scope(jobcenter=cohort.jobcenter):
        EnrolmentFactory(cohort=cohort, joined_on=START, participant__last_name="Früh")
        EnrolmentFactory(cohort=cohort, joined_on=START + timedelta(days=7),
                         participant__last_name="Spät")
        data = session_post(cohort, START, room="Raum 1")
        data["held_on"] = (START + timedelta(days=8)).strftime("%d.%m.%Y")
        response = logged_in.post(url("coaching:session_create", cohort), data)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Spät" in html and 'value="Raum 1"' in html
        assert not GroupSession.objects.exists()


@pytest.mark.django_db
def test_the_matrix_shows_rates_and_flags_unexcused_absences_in_a_row(logged_in, cohort):
    person = EnrolmentFactory(cohort=cohort, joined_on=START, participant__last_name="Fehlt")
    for day, status in enumerate(["present", "unexcused", "unexcused"]):
        AttendanceFactory(session=GroupSessionFactory(cohort=cohort,
                                                      held_on=START + timedelta(days=day)),
                          enrolment=person, status=status)
    html = logged_in.get(url("coaching:matrix", cohort)).content.decode()
    assert "33 %" in html
    assert "table-danger" in html


@pytest.mark.django_db
def test_individual_coaching_is_hidden_from_the_employer_service(client, cohort,
                                                                 employer_service):
    enrolment = EnrolmentFactory(cohort=cohort)
    client.force_login(employer_service.user)
    page = reverse("coaching:individual", kwargs={"jc": cohort.jobcenter.code,
                                                   "pk": enrolment.pk})
    assert client.get(page).status_code == 403


@pytest.mark.django_db
def test_a_coach_records_individual_coaching(logged_in, cohort, coach):
    with scope(jobcenter=coach.jobcenter):
        enrolment = EnrolmentFactory(cohort=cohort)
        page = reverse("coaching:individual", kwargs={"jc": cohort.jobcenter.code,
                                                       "pk": enrolment.pk})
        response = logged_in.post(page, {"held_on": "05.03.2025", "minutes": "45",
                                         "channel": "phone", "confidential_note": "vertraulich",
                                         "next_steps": "Bewerbung an Firma X"}, follow=True)
        assert "vertraulich" in response.content.decode()
        assert enrolment.individual_sessions.get().coach == coach.user


@pytest.mark.django_db
def test_the_printable_list_has_a_signature_line_per_person_enrolled(logged_in, cohort):
    EnrolmentFactory(cohort=cohort, joined_on=START, participant__last_name="Anwesend")
    EnrolmentFactory(cohort=cohort, joined_on=START + timedelta(days=9),
                     participant__last_name="Später")
    session = GroupSessionFactory(cohort=cohort, held_on=START)
    html = logged_in.get(url("coaching:print", cohort), {"session": session.pk}).content.decode()
    assert "Anwesend" in html and "Später" not in html
    assert "03.03.2025" in html


@pytest.mark.django_db
def test_a_week_lists_its_sessions_and_a_blank_list_needs_no_recorded_session(logged_in, cohort):
    EnrolmentFactory(cohort=cohort, joined_on=START, participant__last_name="Anwesend")
    EnrolmentFactory(cohort=cohort, joined_on=START + timedelta(days=9),
                     participant__last_name="Später")
    GroupSessionFactory(cohort=cohort, held_on=START + timedelta(days=1))
    GroupSessionFactory(cohort=cohort, held_on=START + timedelta(days=3))
    week = logged_in.get(url("coaching:print", cohort), {"week": START.isoformat()})
    assert [sheet["day"] for sheet in week.context["sheets"]] == [
        START + timedelta(days=1), START + timedelta(days=3)]

    later = START + timedelta(days=14)  # nothing recorded yet on this day
    blank = logged_in.get(url("coaching:print", cohort), {"day": later.isoformat()})
    html = blank.content.decode()
    assert "Anwesend" in html and "Später" in html
    assert later.strftime("%d.%m.%Y") in html
