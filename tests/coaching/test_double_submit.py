"""A double click on "Speichern" records the session once: the form's one-time token, and a
database constraint of one session per cohort, day and start time behind it."""

import re
import threading
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import translation
from django_scopes import scope

from coaching import services
from coaching.models import Attendance, GroupSession
from coaching.services import AttendanceEntry, SessionData, session_record
from tests.conftest import require
from tests.factories import CohortCoachFactory, CohortFactory, EnrolmentFactory

from .test_views import session_post, url

START = date(2025, 3, 3)
PEOPLE = 5
SAVED = "mit der Anwesenheit von 5 Teilnehmenden gespeichert"
SENT_TWICE = "war schon gespeichert; das Formular wurde doppelt abgeschickt"


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START,
                           planned_end=START + timedelta(days=60))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    for _ in range(PEOPLE):
        EnrolmentFactory(cohort=cohort, joined_on=START)
    return cohort


def new_form(client, cohort, day) -> dict:
    """What the browser sends for a freshly opened form: the one-time token included."""
    html = client.get(url("coaching:session_create", cohort)).content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]{36})"', html).group(1)
    return {**session_post(cohort, day), "token": token}


def send_together(coach, cohort, forms: list[dict]) -> list:
    """Each form from its own thread and client, all released at the same moment."""
    barrier = threading.Barrier(len(forms))
    results = [None] * len(forms)

    def send(i, data):
        try:
            client = Client()
            client.force_login(coach.user)
            barrier.wait(timeout=10)
            response = client.post(url("coaching:session_create", cohort), data)
            page = client.get(response["Location"]) if response.status_code == 302 else response
            results[i] = (response.status_code, page.content.decode())
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[i] = (error, "")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, data)) for i, data in enumerate(forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_concurrent_posts_of_the_same_form_save_one_session(coach, cohort, round_):
    with scope(jobcenter=coach.jobcenter):
        require(connection.vendor == "postgresql", "concurrent writers need PostgreSQL")
        client = Client()
        client.force_login(coach.user)
        day = START + timedelta(days=round_)
        data = new_form(client, cohort, day)

        results = send_together(coach, cohort, [data, data])

        assert [status for status, _ in results] == [302, 302], results
        pages = [page for _, page in results]
        assert sum(SAVED in page for page in pages) == 1
        assert sum(SENT_TWICE in page for page in pages) == 1
        session = GroupSession.objects.get(cohort=cohort)
        assert Attendance.objects.count() == PEOPLE
        assert set(Attendance.objects.values_list("session", flat=True)) == {session.pk}


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_forms_for_the_same_slot_save_one_and_explain_the_other(coach, cohort):
    with scope(jobcenter=coach.jobcenter):
        require(connection.vendor == "postgresql", "concurrent writers need PostgreSQL")
        client = Client()
        client.force_login(coach.user)
        forms = [new_form(client, cohort, START), new_form(client, cohort, START)]
        assert forms[0]["token"] != forms[1]["token"]

        results = send_together(coach, cohort, forms)

        assert sorted(status for status, _ in results) == [200, 302], results
        refused = next(page for status, page in results if status == 200)
        assert "Für diese Gruppe ist am 03.03.2025 um 09:00 Uhr schon eine Sitzung erfasst." \
            in refused
        session = GroupSession.objects.get()
        assert f"/sessions/{session.pk}/" in refused  # the link to the session recorded
        assert Attendance.objects.count() == PEOPLE


@pytest.mark.django_db
def test_the_same_form_sent_again_saves_nothing_more(client, coach, cohort):
    with scope(jobcenter=coach.jobcenter):
        client.force_login(coach.user)
        data = new_form(client, cohort, START)
        first = client.post(url("coaching:session_create", cohort), data, follow=True)
        second = client.post(url("coaching:session_create", cohort), data, follow=True)

        assert first.redirect_chain == second.redirect_chain  # the same result page
        assert SAVED in first.content.decode()
        assert SENT_TWICE in second.content.decode()
        assert GroupSession.objects.count() == 1
        assert Attendance.objects.count() == PEOPLE


@pytest.mark.django_db
def test_a_new_form_is_a_new_token(client, coach, cohort):
    with scope(jobcenter=coach.jobcenter):
        client.force_login(coach.user)
        assert new_form(client, cohort, START)["token"] != new_form(client, cohort, START)["token"]


@pytest.mark.django_db
@pytest.mark.parametrize(("starts_at", "message"), [
    (time(9, 0), "Für diese Gruppe ist am 03.03.2025 um 09:00 Uhr schon eine Sitzung erfasst."),
    (None, "Für diese Gruppe ist am 03.03.2025 schon eine Sitzung ohne Anfangszeit erfasst."),
])
def test_the_database_refuses_a_second_session_in_the_slot_in_german(
    cohort, monkeypatch, starts_at, message
):
    with scope(jobcenter=cohort.jobcenter):
        attendance = {e.pk: AttendanceEntry("present") for e in cohort.enrolments.all()}
        data = SessionData(held_on=START, starts_at=starts_at)
        first = session_record(cohort=cohort, data=data, attendance=attendance)
        # As when two requests race: the check before the insert does not see the other one.
        real_twin, calls = services._twin, []

        def unseen_first(*args, **kwargs):
            calls.append(1)
            return None if len(calls) == 1 else real_twin(*args, **kwargs)

        monkeypatch.setattr(services, "_twin", unseen_first)

        with translation.override("de"), pytest.raises(ValidationError) as refused:
            session_record(cohort=cohort, data=data, attendance=attendance)

        assert refused.value.message_dict == {"held_on": [message]}
        assert refused.value.error_dict["held_on"][0].params["session"] == first.pk
        assert GroupSession.objects.count() == 1
        assert Attendance.objects.count() == PEOPLE  # nothing of the refused one is left


@pytest.mark.django_db
def test_sessions_without_a_start_time_collide_in_the_database(cohort):
    with scope(jobcenter=cohort.jobcenter):
        GroupSession.objects.create(jobcenter=cohort.jobcenter, cohort=cohort, held_on=START)
        with pytest.raises(IntegrityError), transaction.atomic():
            GroupSession.objects.create(jobcenter=cohort.jobcenter, cohort=cohort, held_on=START)
        GroupSession.objects.create(jobcenter=cohort.jobcenter, cohort=cohort, held_on=START,
                                    starts_at=time(13, 0))  # another slot of the day
        assert GroupSession.objects.count() == 2
