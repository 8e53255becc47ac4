"""The project's own pages: `/health/` and the benchmark's floor `/<jc>/ping/`."""

import pytest
from django.urls import reverse

from tests.conftest import broker_at, closed_port, redis_reachable, require


@pytest.mark.django_db
def test_health_is_fine_with_tasks_in_process(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}


@pytest.mark.django_db
def test_health_reports_a_stopped_broker_as_503(client):
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"


@pytest.mark.django_db
def test_health_reports_a_running_broker(client, settings):
    require(redis_reachable(), "Redis (REDIS_URL) is not reachable")
    with broker_at(settings.REDIS_URL):
        response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_ping_answers_a_member_and_refuses_an_outsider(client, coach, outsider):
    url = reverse("ping", kwargs={"jc": coach.jobcenter.code})
    assert url == f"/{coach.jobcenter.code}/ping/"  # the address bench/run.py measures
    client.force_login(coach.user)
    response = client.get(url)
    assert (response.status_code, response.content) == (200, b"ok")
    client.force_login(outsider.user)
    assert client.get(url).status_code == 404
