import os
import shutil
import socket
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

from jobcenters.permissions import Role

from .factories import JobcenterFactory, MembershipFactory

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    """Argon2 is slow on purpose; the suite hashes hundreds of passwords. One test checks
    that the application itself hashes with Argon2 (tests/jobcenters/test_security.py)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 *settings.PASSWORD_HASHERS]
    _redis_database_per_worker(settings)


def _redis_database_per_worker(settings):
    """Parallel test processes (pytest-xdist) each have a test database of their own; they
    get a Redis database of their own too, so that one's import progress or rate counts
    never meet another's (the import run ids of two test databases are the same)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1 …
    if not worker or not settings.REDIS_URL:
        return
    from werkakademie.celery import app

    shared = settings.REDIS_URL
    base = urlsplit(shared)
    database = int(base.path.strip("/") or 0) + 1 + int(worker.removeprefix("gw"))
    own = urlunsplit(base._replace(path=f"/{database}"))
    settings.REDIS_URL = settings.CELERY_BROKER_URL = app.conf.broker_url = own
    settings.CACHES = {name: {**cache, "LOCATION": own} if cache.get("LOCATION") == shared
                       else cache for name, cache in settings.CACHES.items()}


def require(available: bool, reason: str):
    """Skip where a service is missing on a laptop; in CI (REQUIRE_SERVICES=1) fail instead."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def redis_reachable() -> bool:
    from django.conf import settings

    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def _scoping_on():
    """Tests run with scoping on, as production code does: no scope is active in a test
    body unless the test enters one, with `scope(jobcenter=…)` where it acts as one
    jobcenter would, or `scopes_disabled()` where it deliberately looks across
    jobcenters. Factories need no scope; a fixture that queries enters one itself."""
    yield


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    """Tasks run eagerly unless a test starts a real worker (fixture `celery_worker_on_redis`)."""
    from werkakademie.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _rate_limits_per_test(settings):
    """Each test counts its own searches (Redis would carry counts over from other runs)."""
    settings.CACHES = {**settings.CACHES, "ratelimit": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"ratelimit-{uuid.uuid4().hex}"}}


@pytest.fixture(autouse=True)
def document_dir(settings, tmp_path):
    """Each test's CVs and photos go to a directory of its own (STORAGES["documents"])."""
    location = tmp_path / "documents"
    settings.STORAGES = {**settings.STORAGES, "documents": {
        **settings.STORAGES["documents"],
        "OPTIONS": {**settings.STORAGES["documents"]["OPTIONS"], "location": str(location)}}}
    return location


@pytest.fixture
def celery_worker_on_redis(_tasks_in_process):
    """A real Celery worker in a thread, consuming a queue of its own on the real Redis."""
    require(redis_reachable(), "Redis (REDIS_URL) is not reachable")
    from celery.contrib.testing.worker import start_worker

    from werkakademie.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue],
                      shutdown_timeout=10):
        yield app
    app.conf.task_default_queue = "celery"


@contextmanager
def broker_at(url):
    """Point the Celery app at another broker address for the duration. Celery keeps its
    connection pools once made, so they are dropped before and after, as after a fork."""
    from werkakademie.celery import app

    def fresh_pools():
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url, app.conf.task_always_eager
    fresh_pools()
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        fresh_pools()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# People: two jobcenters; in A one member of each role, and an outsider who leads B.


@pytest.fixture
def jobcenter_a():
    return JobcenterFactory(code="jc-a", name="Jobcenter A-Stadt")


@pytest.fixture
def jobcenter_b():
    return JobcenterFactory(code="jc-b", name="Jobcenter B-Dorf")


@pytest.fixture
def coach(jobcenter_a):
    return MembershipFactory(jobcenter=jobcenter_a, role=Role.COACH)


@pytest.fixture
def team_lead(jobcenter_a):
    return MembershipFactory(jobcenter=jobcenter_a, role=Role.TEAM_LEAD)


@pytest.fixture
def employer_service(jobcenter_a):
    return MembershipFactory(jobcenter=jobcenter_a, role=Role.EMPLOYER_SERVICE)


@pytest.fixture
def jc_admin(jobcenter_a):
    return MembershipFactory(jobcenter=jobcenter_a, role=Role.ADMIN)


@pytest.fixture
def outsider(jobcenter_b):
    return MembershipFactory(jobcenter=jobcenter_b, role=Role.TEAM_LEAD)


# Browser tests: Debian's Chromium, started the way this machine allows.

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"],
    }
