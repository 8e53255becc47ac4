import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from jobcenters.models import User

PASSWORD = "geheim-genug-123"


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(coach):
    assert identify_hasher(coach.user.password).algorithm == "argon2"


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
