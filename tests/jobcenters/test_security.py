import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from jobcenters.models import User
from reports.services import snapshot_compute
from tests.factories import EnrolmentFactory

PASSWORD = "geheim-genug-123"


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2():
    from werkakademie import settings as project

    assert project.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=project.PASSWORD_HASHERS):
        user = User.objects.create_user(email="neu@jobcenter.example", password=PASSWORD)
        assert identify_hasher(user.password).algorithm == "argon2"
        assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_repeated_failures_lock_the_login_with_a_german_message(client, coach, settings):
    login = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": coach.user.email, "password": "falsch"})
    locked = client.post(login, {"username": coach.user.email, "password": PASSWORD})
    html = locked.content.decode()
    assert locked.status_code == 429
    assert "zu viele fehlgeschlagene Anmeldeversuche" in html
    assert "15" in html
    # Another person at the same address is not locked out.
    other = User.objects.create_user(email="andere@jobcenter.example", password=PASSWORD)
    response = client.post(login, {"username": other.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_after_the_cool_off_the_login_works_again(client, coach, settings):
    from axes.models import AccessAttempt

    login = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": coach.user.email, "password": "falsch"})
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")  # time has passed
    response = client.post(login, {"username": coach.user.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client, coach):
    client.force_login(coach.user)
    response = client.get(reverse("home", kwargs={"jc": "jc-a"}))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"  # no addresses with searches leak out
    assert "<script>" not in response.content.decode()


@pytest.mark.django_db
def test_pages_and_files_for_a_logged_in_user_are_never_cached(client, team_lead):
    participant = EnrolmentFactory(cohort__programme__jobcenter=team_lead.jobcenter).participant
    with scope(jobcenter=team_lead.jobcenter):
        snapshot_compute(jobcenter=team_lead.jobcenter, as_of=timezone.localdate())
    client.force_login(team_lead.user)
    for page in (reverse("participants:detail", kwargs={"jc": "jc-a", "pk": participant.pk}),
                 reverse("privacy:subject_access_json",
                         kwargs={"jc": "jc-a", "pk": participant.pk}),
                 reverse("reports:export", kwargs={"jc": "jc-a"}) + "?format=xlsx",
                 "/jc-a/no-such-page/"):
        response = client.get(page)
        assert response.status_code in (200, 404), page
        assert "no-store" in response["Cache-Control"], page
        assert "private" in response["Cache-Control"], page


@pytest.mark.django_db
def test_static_files_keep_their_caching(team_lead, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ without collectstatic
    client = Client()  # its middleware is built now, with the setting above
    client.force_login(team_lead.user)
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_the_404_of_another_jobcenter_carries_the_content_security_policy(client, coach,
                                                                          jobcenter_b):
    client.force_login(coach.user)
    response = client.get(reverse("home", kwargs={"jc": jobcenter_b.code}))
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
