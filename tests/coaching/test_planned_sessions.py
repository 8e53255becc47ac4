"""A planned session becomes held when its attendance is recorded: from the pre-filled form,
or from "Sitzung erfassen" in its slot; the lists show planned sessions as planned, and
"Heute" lists each coach's sessions of the day and the planned ones left unrecorded."""

import re
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from coaching.models import Attendance, GroupSession
from coaching.services import AttendanceEntry, SessionData, session_update
from tests.factories import (
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupSessionFactory,
    MembershipFactory,
)
from tests.queries import queries_for

TODAY = timezone.localdate()
PLANNED = GroupSession.Status.PLANNED
HELD = GroupSession.Status.HELD


def planned(cohort, day, *, coaches=(), **fields) -> GroupSession:
    """A session of the cohort's plan, without attendance."""
    session = GroupSessionFactory(cohort=cohort, held_on=day, status=PLANNED, **fields)
    session.coaches.set(coaches)
    return session


def held(cohort, day, statuses, *, coaches=(), **fields) -> GroupSession:
    """A held session with one attendance record per (enrolment, status)."""
    session = GroupSessionFactory(cohort=cohort, held_on=day, **fields)
    session.coaches.set(coaches)
    for enrolment, status in statuses:
        AttendanceFactory(session=session, enrolment=enrolment, status=status)
    return session


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-2026-07",
                           planned_start=TODAY - timedelta(days=30),
                           planned_end=TODAY + timedelta(days=30))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


@pytest.fixture
def people(cohort):
    start = cohort.planned_start
    return [EnrolmentFactory(cohort=cohort, joined_on=start, participant__last_name="Adler"),
            EnrolmentFactory(cohort=cohort, joined_on=start, participant__last_name="Berg")]


@pytest.fixture
def logged_in(client, coach):
    client.force_login(coach.user)
    return client


def edit_url(session):
    return reverse("coaching:session_update", kwargs={
        "jc": session.jobcenter.code, "cohort_pk": session.cohort_id, "pk": session.pk})


def cohort_url(name, cohort):
    return reverse(name, kwargs={"jc": cohort.jobcenter.code, "pk": cohort.pk})


def form_post(people, day, statuses=None, **fields):
    data = {"held_on": day.strftime("%d.%m.%Y"), "starts_at": "09:00", "ends_at": "12:00",
            "roster": ",".join(str(e.pk) for e in people), **fields}
    for e in people:
        data[f"status_{e.pk}"] = (statuses or {}).get(e.pk, "present")
        data[f"note_{e.pk}"] = ""
    return data


# Planned → held -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_of_a_planned_session_opens_pre_filled_from_the_plan(logged_in, cohort,
                                                                      people, coach):
    session = planned(cohort, TODAY, coaches=[coach.user], room="Raum 2.07",
                      starts_at=time(9, 30), ends_at=time(12, 45))

    html = logged_in.get(edit_url(session)).content.decode()

    assert "Geplante Sitzung erfassen" in html
    assert 'value="09:30"' in html and 'value="12:45"' in html
    assert 'value="Raum 2.07"' in html
    assert f'<option value="{session.module_id}" selected>' in html
    assert re.search(rf'name="coaches" value="{coach.user.pk}"\s+id="id_coaches_\d+" checked',
                     html)
    for e in people:  # everyone preset as present, as for a new session
        assert f'name="status_{e.pk}" id="id_status_{e.pk}_0" value="present" checked' in html


@pytest.mark.django_db
def test_saving_a_planned_session_records_attendance_and_makes_it_held(logged_in, cohort,
                                                                       people):
    session = planned(cohort, TODAY)
    data = form_post(people, TODAY, {people[1].pk: "unexcused"}, version=session.version,
                     module=session.module_id)

    response = logged_in.post(edit_url(session) + "?next=/jc-a/", data, follow=True)

    assert response.redirect_chain[-1][0] == "/jc-a/"  # back to "Heute", where it was opened
    session.refresh_from_db()
    assert session.status == HELD
    with scope(jobcenter=cohort.jobcenter):
        assert dict(session.attendances.values_list("enrolment_id", "status")) == {
            people[0].pk: "present", people[1].pk: "unexcused"}
    assert "Die geplante Sitzung am" in response.content.decode()


@pytest.mark.django_db
def test_recording_a_session_in_a_planned_slot_completes_the_plan(logged_in, cohort, people):
    session = planned(cohort, TODAY, starts_at=time(9, 0), ends_at=time(12, 0))
    data = form_post(people, TODAY, token="0d1b0a0c-2c39-4b53-9a1c-3f0a6c2e7e11")

    response = logged_in.post(cohort_url("coaching:session_create", cohort), data, follow=True)
    again = logged_in.post(cohort_url("coaching:session_create", cohort), data, follow=True)

    with scope(jobcenter=cohort.jobcenter):
        assert list(GroupSession.objects.filter(cohort=cohort).values_list("pk", "status")) == [
            (session.pk, HELD)]
        assert Attendance.objects.filter(session=session).count() == 2
    assert "Die geplante Sitzung am" in response.content.decode()
    assert "schon gespeichert" in again.content.decode()  # the double click: saved once


@pytest.mark.django_db
def test_a_cancelled_session_is_not_recorded(logged_in, cohort, people):
    session = GroupSessionFactory(cohort=cohort, held_on=TODAY,
                                  status=GroupSession.Status.CANCELLED)
    assert logged_in.get(edit_url(session)).status_code == 404
    with scope(jobcenter=cohort.jobcenter), pytest.raises(ValidationError):
        session_update(session=session, version=session.version,
                       data=SessionData(held_on=TODAY),
                       attendance={e.pk: AttendanceEntry("present") for e in people})
    session.refresh_from_db()
    assert session.status == GroupSession.Status.CANCELLED


@pytest.mark.django_db
def test_a_planned_session_is_deleted_like_a_held_one(logged_in, cohort):
    session = planned(cohort, TODAY + timedelta(days=3))
    delete = reverse("coaching:session_delete", kwargs={
        "jc": cohort.jobcenter.code, "cohort_pk": cohort.pk, "pk": session.pk})

    assert logged_in.get(delete).status_code == 200
    logged_in.post(delete)

    with scope(jobcenter=cohort.jobcenter):
        assert not GroupSession.objects.filter(pk=session.pk).exists()


# The lists --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sessions_tab_lists_held_sessions_and_counts_the_planned(logged_in, cohort,
                                                                     people):
    held(cohort, TODAY - timedelta(days=2), [(people[0], "present")])
    planned(cohort, TODAY + timedelta(days=1))
    planned(cohort, TODAY + timedelta(days=2))

    html = logged_in.get(cohort_url("coaching:sessions", cohort)).content.decode()

    assert (TODAY - timedelta(days=2)).strftime("%d.%m.%Y") in html
    assert (TODAY + timedelta(days=1)).strftime("%d.%m.%Y") not in html
    assert "2 geplante Sitzungen" in html
    assert f'href="{cohort_url("coaching:plan", cohort)}">zum Plan</a>' in html


@pytest.mark.django_db
def test_the_matrix_shows_past_planned_sessions_as_not_recorded_and_counts_held_only(
        logged_in, cohort, people):
    yesterday, tomorrow = TODAY - timedelta(days=1), TODAY + timedelta(days=1)
    held(cohort, TODAY - timedelta(days=3), [(people[0], "unexcused"), (people[1], "present")])
    held(cohort, TODAY - timedelta(days=2), [(people[0], "present"), (people[1], "present")])
    planned(cohort, yesterday)
    planned(cohort, tomorrow)

    html = logged_in.get(cohort_url("coaching:matrix", cohort)).content.decode()

    assert yesterday.strftime("%d.%m.") in html
    assert "nicht erfasst</span></th>" in html  # the planned column's header
    assert tomorrow.strftime("%d.%m.") not in html
    assert "50 %" in html and "100 %" in html  # Adler 1 of 2, Berg 2 of 2: held only


@pytest.mark.django_db
def test_the_weeks_print_list_includes_planned_sessions_marked_planned(logged_in, cohort,
                                                                       people):
    monday = TODAY - timedelta(days=TODAY.weekday())
    planned(cohort, monday, room="Raum 1.01")

    html = logged_in.get(cohort_url("coaching:print", cohort),
                         {"week": monday.isoformat()}).content.decode()

    assert "(geplant)" in html and "Raum 1.01" in html
    assert "Adler" in html and "Berg" in html  # a line to sign for everyone


# "Heute" ----------------------------------------------------------------------------


def home(client):
    return client.get(reverse("home", kwargs={"jc": "jc-a"})).content.decode()


@pytest.mark.django_db
def test_today_lists_own_planned_and_held_sessions_with_their_actions(logged_in, cohort,
                                                                     people, coach):
    to_record = planned(cohort, TODAY, coaches=[coach.user], starts_at=time(13, 0),
                        ends_at=time(15, 0), room="Raum 3.14")
    done = held(cohort, TODAY, [(people[0], "present"), (people[1], "unexcused")],
                coaches=[coach.user])
    colleague = MembershipFactory(jobcenter=coach.jobcenter)
    planned(cohort, TODAY, coaches=[colleague.user], starts_at=time(16, 0),
            ends_at=time(17, 0), room="Raum der Kollegin")

    html = home(logged_in)

    assert "13:00–15:00" in html and "Raum 3.14" in html and to_record.module.name in html
    assert f'href="{edit_url(to_record)}?next=/jc-a/">Anwesenheit erfassen' in html
    assert "durchgeführt" in html and "1 von 2 anwesend" in html
    assert f'href="{edit_url(done)}?next=/jc-a/">Bearbeiten' in html
    assert "Raum der Kollegin" not in html
    assert "Keine Sitzung für heute geplant" not in html


@pytest.mark.django_db
def test_today_without_a_session_says_so(logged_in, cohort):
    assert "Keine Sitzung für heute geplant." in home(logged_in)


@pytest.mark.django_db
def test_today_flags_planned_sessions_of_the_last_two_weeks_without_attendance(
        logged_in, cohort, coach):
    missed = planned(cohort, TODAY - timedelta(days=14), coaches=[coach.user])
    too_old = planned(cohort, TODAY - timedelta(days=15), coaches=[coach.user])
    colleagues = planned(cohort, TODAY - timedelta(days=2),
                         coaches=[MembershipFactory(jobcenter=coach.jobcenter).user])

    html = home(logged_in)

    assert "Nicht erfasst" in html
    assert f'href="{edit_url(missed)}?next=/jc-a/">Jetzt erfassen' in html
    assert missed.held_on.strftime("%d.%m.%Y") in html
    assert edit_url(too_old) not in html and edit_url(colleagues) not in html


@pytest.mark.django_db
def test_today_needs_the_same_queries_for_5_and_40_sessions(logged_in, cohort, people,
                                                            coach):
    def grow(n):
        while GroupSession.objects.filter(cohort=cohort).count() < n:
            count = GroupSession.objects.filter(cohort=cohort).count()
            day = TODAY - timedelta(days=count % 10)  # today and the days before
            start = time(6 + count // 10, count % 10)
            if count % 2:
                planned(cohort, day, coaches=[coach.user], starts_at=start, ends_at=None)
            else:
                held(cohort, day, [(e, "present") for e in people], coaches=[coach.user],
                     starts_at=start, ends_at=None)

    with scope(jobcenter=cohort.jobcenter):
        grow(5)
        small = queries_for(lambda: logged_in.get(reverse("home", kwargs={"jc": "jc-a"})))
        grow(40)
        assert queries_for(lambda: logged_in.get(reverse("home", kwargs={"jc": "jc-a"}))) \
            == small
