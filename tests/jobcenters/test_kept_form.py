"""A form sent after the login expired comes back filled in after the new login, once, for
the same user only (jobcenters/kept_form.py)."""

import re
import time
from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from coaching.models import GroupSession
from jobcenters.kept_form import SESSION_KEY
from jobcenters.permissions import Role
from tests.coaching.test_views import session_post
from tests.factories import CohortCoachFactory, CohortFactory, EnrolmentFactory, MembershipFactory

START = date(2025, 3, 3)
DAY = START + timedelta(days=1)
PASSWORD = "geheim-genug-123"
KEPT = "Ihre Eingaben sind aufbewahrt"
RESTORED = "Ihre Eingaben von vorhin sind wieder eingetragen. Bitte prüfen und speichern."


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, planned_start=START,
                           planned_end=START + timedelta(days=41))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    EnrolmentFactory(cohort=cohort, joined_on=START, participant__last_name="Arslan")
    EnrolmentFactory(cohort=cohort, joined_on=START, participant__last_name="Becker")
    return cohort


@pytest.fixture
def form_url(cohort):
    return reverse("coaching:session_create", kwargs={"jc": "jc-a", "pk": cohort.pk})


@pytest.fixture
def typed(cohort):
    """The coach's entries: Becker excused, a note for Arslan and one for the session."""
    with scope(jobcenter=cohort.jobcenter):
        arslan, becker = cohort.enrolments.order_by("participant__last_name")
        data = session_post(cohort, DAY, statuses={becker.pk: "excused"},
                            notes="Raum 3 war kalt")
    data[f"note_{arslan.pk}"] = "kommt nach dem Termin beim Amt"
    return data


def expire(client):
    """The idle timeout has passed: the server no longer knows the session."""
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))


def open_form_then_expire(client, user, form_url):
    client.force_login(user)
    assert client.get(form_url).status_code == 200
    expire(client)


def log_in(client, user, next_url):
    response = client.post(f"{reverse('login')}?next={next_url}",
                           {"username": user.email, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    return response


def sessions_saved(cohort):
    with scope(jobcenter=cohort.jobcenter):
        return GroupSession.objects.filter(cohort=cohort).count()


@pytest.mark.django_db
def test_a_form_sent_after_the_login_expired_comes_back_once_after_logging_in(
    client, coach, cohort, form_url, typed
):
    open_form_then_expire(client, coach.user, form_url)

    response = client.post(form_url, typed, follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('login')}?next={form_url}"
    assert KEPT in response.content.decode()
    assert sessions_saved(cohort) == 0

    log_in(client, coach.user, form_url)
    back = client.get(form_url)
    html = back.content.decode()
    assert RESTORED in html
    assert back.context["form"].is_bound
    assert "Raum 3 war kalt" in html and 'value="kommt nach dem Termin beim Amt"' in html
    with scope(jobcenter=cohort.jobcenter):
        becker = cohort.enrolments.get(participant__last_name="Becker")
    becker_status = f"status_{becker.pk}"
    assert re.search(rf'name="{becker_status}" id="[^"]+" value="excused" checked', html)
    assert "csrfmiddlewaretoken" not in back.context["form"].data

    again = client.get(form_url)  # used once
    assert not again.context["form"].is_bound
    assert "Raum 3 war kalt" not in again.content.decode()

    saved = client.post(form_url, back.context["form"].data)
    assert saved.status_code == 302 and sessions_saved(cohort) == 1
    with scope(jobcenter=cohort.jobcenter):
        session = GroupSession.objects.get(cohort=cohort)
        assert session.notes == "Raum 3 war kalt"
        assert sorted(session.attendances.values_list("status", flat=True)) == [
            "excused", "present"]


@pytest.mark.django_db
def test_another_user_logging_in_does_not_see_the_kept_form(
    client, coach, cohort, form_url, typed
):
    colleague = MembershipFactory(jobcenter=coach.jobcenter, role=Role.COACH)
    CohortCoachFactory(cohort=cohort, user=colleague.user)
    open_form_then_expire(client, coach.user, form_url)
    client.post(form_url, typed)

    log_in(client, colleague.user, form_url)
    html = client.get(form_url).content.decode()
    assert RESTORED not in html and "Raum 3 war kalt" not in html
    assert SESSION_KEY not in client.session

    client.post(reverse("logout"))  # the coach comes back: the colleague's login dropped it
    log_in(client, coach.user, form_url)
    assert "Raum 3 war kalt" not in client.get(form_url).content.decode()


@pytest.mark.django_db
def test_the_kept_form_expires_with_the_session(client, coach, cohort, form_url, typed):
    open_form_then_expire(client, coach.user, form_url)
    client.post(form_url, typed)
    assert SESSION_KEY in client.session
    expire(client)  # nobody logged in within the idle timeout

    log_in(client, coach.user, form_url)
    html = client.get(form_url).content.decode()
    assert RESTORED not in html and "Raum 3 war kalt" not in html


@pytest.mark.django_db
def test_a_file_upload_is_never_kept(client, coach, cohort, form_url, typed):
    open_form_then_expire(client, coach.user, form_url)
    upload = SimpleUploadedFile("liste.csv", b"Kundennummer;Name\n123A456789;Arslan\n")
    response = client.post(form_url, {**typed, "file": upload}, follow=True)
    assert "die Datei nicht hochgeladen" in response.content.decode()
    assert SESSION_KEY not in client.session

    log_in(client, coach.user, form_url)
    assert "Raum 3 war kalt" not in client.get(form_url).content.decode()


@pytest.mark.django_db
def test_a_browser_nobody_was_logged_in_keeps_nothing(client, form_url, typed):
    response = client.post(form_url, typed, follow=True)
    assert "nichts gespeichert" in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_form_sent_at_the_end_of_the_absolute_lifetime_is_kept(
    client, coach, cohort, form_url, typed, settings
):
    client.force_login(coach.user)
    client.get(form_url)
    session = client.session
    session["session_started_at"] = time.time() - settings.SESSION_ABSOLUTE_AGE - 1
    session.save()

    response = client.post(form_url, typed)
    assert response["Location"] == f"{reverse('login')}?next={form_url}"
    log_in(client, coach.user, form_url)
    assert "Raum 3 war kalt" in client.get(form_url).content.decode()


@pytest.mark.django_db
def test_the_csrf_check_passes_for_an_expired_session_and_refuses_a_forged_post(
    coach, cohort, form_url, typed
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coach.user)
    page = browser.get(form_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    forged = browser.post(form_url, typed)  # logged in, but no token: refused
    assert forged.status_code == 403 and sessions_saved(cohort) == 0

    expire(browser)
    kept = browser.post(form_url, {**typed, "csrfmiddlewaretoken": token})
    assert kept.status_code == 302 and kept["Location"].startswith(reverse("login"))
    assert SESSION_KEY in browser.session

    stranger = Client(enforce_csrf_checks=True)  # an anonymous POST without a token
    assert stranger.post(form_url, typed).status_code == 403


@pytest.mark.django_db
def test_an_action_without_a_page_returns_to_the_page_it_was_sent_from(client, team_lead):
    dashboard = reverse("reports:dashboard", kwargs={"jc": "jc-a"})
    client.force_login(team_lead.user)
    expire(client)
    response = client.post(reverse("reports:refresh", kwargs={"jc": "jc-a"}),
                           HTTP_REFERER=f"http://testserver{dashboard}")
    assert response["Location"] == f"{reverse('login')}?next={dashboard}"


@pytest.mark.django_db
def test_stay_logged_in_renews_the_session_and_says_for_how_long(client, coach, settings):
    client.force_login(coach.user)
    page = client.get(reverse("home", kwargs={"jc": "jc-a"})).content.decode()
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert f'data-session-warning="{settings.SESSION_WARNING_SECONDS}"' in page
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=60))

    response = client.post(reverse("stay_logged_in"))
    assert response.status_code == 200
    assert response.json() == {"logged_in": True, "seconds": settings.SESSION_COOKIE_AGE}
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date > timezone.now() + timedelta(minutes=29)
    assert client.get(reverse("stay_logged_in")).status_code == 405

    expire(client)
    gone = client.post(reverse("stay_logged_in"))
    assert gone.status_code == 401 and gone.json() == {"logged_in": False}
    assert SESSION_KEY not in client.session  # not kept as a form


@pytest.mark.django_db
def test_a_kept_form_for_a_page_the_user_may_not_open_stays_refused(
    client, employer_service, form_url, typed
):
    client.force_login(employer_service.user)
    expire(client)
    client.post(form_url, typed)

    log_in(client, employer_service.user, form_url)
    response = client.get(form_url)
    assert response.status_code in (403, 404)
    assert RESTORED not in response.content.decode()
    assert SESSION_KEY not in client.session


def test_in_every_form_with_several_submit_buttons_the_first_one_saves():
    """Enter in a field presses a form's first submit button: not a special one (a named
    button such as the session form's date reload), but the plain save."""
    from html.parser import HTMLParser
    from pathlib import Path

    class Forms(HTMLParser):
        def __init__(self):
            super().__init__()
            self.forms, self.open = [], None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.open = []
                self.forms.append(self.open)
            elif (tag == "button" and attrs.get("type", "submit") == "submit"
                  and self.open is not None):
                self.open.append(attrs.get("name"))

        def handle_endtag(self, tag):
            if tag == "form":
                self.open = None

    root = Path(__file__).resolve().parents[2]
    checked = 0
    for template in [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]:
        if ".venv" in template.parts or "node_modules" in template.parts:
            continue
        parser = Forms()
        parser.feed(template.read_text())
        for buttons in parser.forms:
            if len(buttons) > 1 and template.name != "_language_switch.html":  # no fields
                checked += 1
                assert buttons[0] is None, f"{template}: Enter would press {buttons[0]!r}"
    assert checked  # the session form at least
