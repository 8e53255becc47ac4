import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def start_django(**env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env={**environment, "DJANGO_SETTINGS_MODULE": "werkakademie.settings"},
        capture_output=True, text=True, timeout=60,
    )


def test_production_without_a_secret_key_refuses_to_start_and_says_why():
    result = start_django(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_are_secure():
    code = ("from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
            "s.SECURE_HSTS_SECONDS > 0, s.DATABASES['default']['CONN_HEALTH_CHECKS'])")
    environment = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
        env={**environment, "DEBUG": "0", "SECRET_KEY": "x" * 50,
             "DJANGO_SETTINGS_MODULE": "werkakademie.settings"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.split() == ["True"] * 5, result.stderr


def test_celery_is_configured_for_safe_delivery():
    from werkakademie.celery import app

    conf = app.conf
    assert conf.accept_content == ["json"] and conf.task_serializer == "json"
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.task_time_limit < conf.broker_transport_options["visibility_timeout"]
    assert conf.broker_transport_options["socket_connect_timeout"] <= 5


@pytest.mark.django_db
def test_the_operator_admin_lists_every_model(admin_client):
    for model in apps.get_models():
        if model._meta.app_label not in {"jobcenters", "cohorts", "participants", "coaching",
                                         "employers", "documents", "reports"}:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, model


@pytest.mark.django_db
def test_ci_runs_the_suite_on_postgresql():
    from django.db import connection

    from tests.conftest import require

    require(connection.vendor == "postgresql", "DATABASE_URL does not point to PostgreSQL")
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]


def test_the_deployment_check_is_clean_with_production_settings():
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is a test setting, not a deployment one.
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**environment, "DEBUG": "0", "SECRET_KEY": "k" * 20 + "x7Qp!" * 10,
             "ALLOWED_HOSTS": "werkakademie.example.org"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_access_log_leaves_out_query_strings_and_referrers():
    """Searches put names and customer numbers into query strings: social data."""
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    log_format = config["access_log_format"]
    assert "%(U)s" in log_format
    for field in ("%(r)s", "%(q)s", "%(f)s"):  # request line, query string, referrer
        assert field not in log_format
