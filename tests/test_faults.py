"""Bad input and broken services: clear answers, nothing lost, nothing half-saved."""

import socket
import threading
import time
from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from coaching.models import GroupSession
from employers.models import Employer
from reports import services
from reports.models import ReportJob, ReportSnapshot
from tests.coaching.test_views import session_post
from tests.conftest import broker_at, closed_port, require
from tests.factories import CohortCoachFactory, CohortFactory, EnrolmentFactory

XSS = '<script>alert("x")</script>'
START = date(2025, 3, 3)


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START,
                           planned_end=START + timedelta(days=41))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


def url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


@pytest.mark.django_db
def test_script_in_free_text_fields_is_shown_as_text(client, team_lead, cohort):
    enrolment = EnrolmentFactory(cohort=cohort, joined_on=START)
    client.force_login(team_lead.user)
    person = enrolment.participant
    client.post(url("participants:update", pk=person.pk), {
        "customer_number": person.customer_number, "first_name": XSS, "last_name": XSS,
        "notes": XSS})
    client.post(url("coaching:individual", pk=enrolment.pk), {
        "held_on": "05.03.2025", "minutes": "30", "channel": "phone",
        "confidential_note": XSS, "next_steps": XSS})
    client.post(url("employers:create"), {"name": XSS, "town": XSS, "notes": XSS})
    with scope(jobcenter=team_lead.jobcenter):
        employer = Employer.objects.get(town=XSS)
    client.post(url("employers:contact", pk=employer.pk), {"name": XSS, "position": XSS})
    client.post(url("employers:vacancy_create", pk=employer.pk), {
        "title": XSS, "occupation": XSS, "location": XSS, "places": "1", "status": "open"})
    client.post(url("employers:activity_create", pk=employer.pk), {
        "kind": "call", "happened_on": "05.03.2025", "outcome": XSS, "next_step": XSS,
        "next_step_due_on": timezone.localdate().strftime("%d.%m.%Y")})
    client.post(url("participants:enrolment_update", pk=enrolment.pk), {
        "assigned_on": "24.02.2025", "joined_on": "03.03.2025", "notes": XSS})
    with scope(jobcenter=team_lead.jobcenter):
        data = session_post(cohort, START + timedelta(days=1), room=XSS, notes=XSS)
    data[f"note_{enrolment.pk}"] = XSS
    client.post(url("coaching:session_create", pk=cohort.pk), data)
    with scope(jobcenter=team_lead.jobcenter):
        vacancy = employer.vacancies.get()
        assert (employer.contacts.count(), employer.activities.count()) == (1, 1)
        session = GroupSession.objects.get(cohort=cohort)
    assert session.room == XSS
    for page in (url("participants:detail", pk=person.pk),
                 url("participants:cohort", pk=cohort.pk),
                 url("coaching:individual", pk=enrolment.pk),
                 url("coaching:print", pk=cohort.pk) + f"?week={START.isoformat()}",
                 url("employers:list"), url("employers:detail", pk=employer.pk),
                 url("employers:vacancy", pk=employer.pk, vacancy_pk=vacancy.pk),
                 url("employers:vacancies"), url("employers:due"),
                 url("participants:audit")):
        html = client.get(page).content.decode()
        assert XSS not in html, page
        assert "&lt;script&gt;" in html, page
    for page in (url("coaching:sessions", pk=cohort.pk), url("coaching:matrix", pk=cohort.pk),
                 url("coaching:session_update", cohort_pk=cohort.pk, pk=session.pk)):
        assert XSS not in client.get(page).content.decode(), page


@pytest.mark.django_db
def test_a_second_click_on_save_records_one_session(client, coach, cohort):
    enrolment = EnrolmentFactory(cohort=cohort, joined_on=START)
    client.force_login(coach.user)
    data = {"held_on": "04.03.2025", "starts_at": "09:00", "ends_at": "12:00",
            "roster": str(enrolment.pk), f"status_{enrolment.pk}": "present"}
    client.post(url("coaching:session_create", pk=cohort.pk), data)
    second = client.post(url("coaching:session_create", pk=cohort.pk), data)
    assert second.status_code == 200  # the form again, with the message
    with scope(jobcenter=coach.jobcenter):
        assert GroupSession.objects.count() == 1


@pytest.mark.django_db
def test_an_impossible_date_is_a_field_error_not_a_crash(client, coach, cohort):
    enrolment = EnrolmentFactory(cohort=cohort, joined_on=START)
    client.force_login(coach.user)
    response = client.post(url("participants:exit", pk=enrolment.pk),
                           {"exit_on": "31.02.2025", "exit_reason": "completed"})
    assert response.status_code == 200
    assert "TT.MM.JJJJ" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name, content", [
    ("liste.pdf", b"%PDF-1.4"),
    ("riesig.csv", b"a" * (6 * 1024 * 1024)),
])
def test_wrong_or_oversized_uploads_are_refused_with_a_message(client, team_lead, name,
                                                               content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(team_lead.user)
    response = client.post(reverse("imports:import_upload", kwargs={"jc": "jc-a"}),
                           {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


@pytest.mark.django_db
def test_with_redis_stopped_a_refresh_request_waits_for_the_sweeper(
    client, team_lead, django_capture_on_commit_callbacks
):
    client.force_login(team_lead.user)
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"), \
            django_capture_on_commit_callbacks(execute=True) as enqueued:
        response = client.post(url("reports:refresh"))
    assert response.status_code == 302 and len(enqueued) == 1  # the enqueue was tried
    with scope(jobcenter=team_lead.jobcenter):
        assert ReportJob.objects.get().status == "queued"  # kept: the sweeper sends it later


def silent_server():
    """A port that accepts connections and never answers (a hung Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return server


@pytest.mark.django_db
def test_a_hung_redis_does_not_hang_a_page_that_enqueues(client, team_lead,
                                                         django_capture_on_commit_callbacks):
    server = silent_server()
    try:
        client.force_login(team_lead.user)
        with broker_at(f"redis://127.0.0.1:{server.getsockname()[1]}/0"):
            started = time.monotonic()
            # The enqueue runs on commit, inside the request, as it does in production.
            with django_capture_on_commit_callbacks(execute=True) as enqueued:
                response = client.post(url("reports:refresh"))
            elapsed = time.monotonic() - started
    finally:
        server.close()
    assert response.status_code == 302 and len(enqueued) == 1
    assert elapsed < 2, elapsed
    with scope(jobcenter=team_lead.jobcenter):
        assert ReportJob.objects.get().status == "queued"  # the sweeper sends it later


@pytest.mark.django_db
def test_a_refresh_killed_halfway_leaves_the_previous_snapshot(jobcenter_a, monkeypatch):
    with scope(jobcenter=jobcenter_a):
        before = services.snapshot_compute(jobcenter=jobcenter_a, as_of=START)
        job = ReportJob.objects.create(jobcenter=jobcenter_a)

        def killed(*args, **kwargs):
            ReportSnapshot.objects.filter(jobcenter=jobcenter_a).update(data_version=999)
            raise SystemExit("worker killed")

        monkeypatch.setattr(services, "period_counters", killed)
        with pytest.raises(SystemExit):
            services.job_run(job_id=job.pk)
        snapshot = ReportSnapshot.objects.get(jobcenter=jobcenter_a)
    assert (snapshot.computed_at, snapshot.data_version) == (before.computed_at,
                                                            before.data_version)
    job.refresh_from_db()
    assert job.status == "running"  # redelivered by the broker, or re-sent by the sweeper


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_restart_between_requests_causes_no_error(live_server):
    require(connection.vendor == "postgresql", "needs PostgreSQL")
    import json
    from urllib.request import urlopen

    def health():
        with urlopen(f"{live_server.url}/health/", timeout=10) as response:
            return response.status, json.loads(response.read())["database"]

    assert health() == (200, "ok")  # the server thread now holds a persistent connection
    with connection.cursor() as cursor:  # end every other connection, as a restart would
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    assert health() == (200, "ok")


@pytest.mark.django_db
def test_a_password_change_ends_the_other_sessions(client, coach):
    other = type(client)()
    other.force_login(coach.user)
    client.force_login(coach.user)
    client.post(reverse("password_change"), {
        "old_password": "geheim-genug-123", "new_password1": "Ganz-neues-Passwort-9",
        "new_password2": "Ganz-neues-Passwort-9"})
    assert client.get(url("home")).status_code == 200
    assert other.get(url("home")).status_code == 302


@pytest.mark.django_db
def test_a_session_ends_after_30_idle_minutes_and_at_browser_close(client, coach, settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE  # no persistent cookie
    client.force_login(coach.user)
    assert client.get(url("home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    idle = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < idle <= timedelta(minutes=30)  # renewed by each request
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - timedelta(seconds=1))  # 30 minutes later
    response = client.get(url("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_a_session_ends_after_its_absolute_lifetime(client, coach, settings):
    client.force_login(coach.user)
    assert client.get(url("home")).status_code == 200
    session = client.session
    session["session_started_at"] -= settings.SESSION_ABSOLUTE_AGE + 1
    session.save()
    response = client.get(url("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(url("home")).status_code == 302


@pytest.mark.django_db
def test_errors_are_german_pages_without_stack_traces(client, coach, settings):
    settings.DEBUG = False
    client.force_login(coach.user)
    response = client.get("/jc-a/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Seite nicht gefunden" in html and "Traceback" not in html


@pytest.mark.django_db
def test_a_forbidden_action_and_a_crash_are_german_pages_without_stack_traces(
    client, coach, settings, monkeypatch
):
    settings.DEBUG = False
    client.force_login(coach.user)
    forbidden = client.get(reverse("jobcenters:staff", kwargs={"jc": "jc-a"}))
    assert forbidden.status_code == 403 and "Keine Berechtigung" in forbidden.content.decode()

    from werkakademie import health

    def crash(self, request, *args, **kwargs):
        raise RuntimeError("Geheim: Kundennummer 123A456789")

    monkeypatch.setattr(health.PingView, "get", crash)
    client.raise_request_exception = False
    response = client.get(reverse("ping", kwargs={"jc": "jc-a"}))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in html
    assert "Traceback" not in html and "123A456789" not in html
