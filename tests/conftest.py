"""Shared fixtures: a coach with a coachee, another coach with another coachee, and service checks.

Under REQUIRE_SERVICES=1 (set by .ci/run) a test that needs PostgreSQL, Redis or the browser fails
instead of skipping when the service is missing.
"""

import os

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import CoacheeFactory, CoacheeUserFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str):
    """Skip loudly when a service is missing; fail instead when CI requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def pytest_configure(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if REQUIRE_SERVICES and "postgresql" not in engine:
        raise pytest.UsageError("REQUIRE_SERVICES=1 needs DATABASE_URL pointing at PostgreSQL.")


def pytest_collection_modifyitems(config, items):
    """Every transactional test restores the data the migrations load (the built-in library).

    Mixing kinds breaks the suite: a plain transactional test's flush re-creates content types,
    and the next serialized test then fails to restore them."""
    careless = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("django_db"))
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ]
    if careless:
        raise pytest.UsageError(f"add serialized_rollback=True to these transactional tests: {careless}")


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}; REQUIRE_SERVICES={int(REQUIRE_SERVICES)}"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads and mail files written by a test stay in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"


def point_celery_at(url: str, settings) -> None:
    """Send this process's Celery tasks to `url` from now on (drops the cached broker pools)."""
    from coachhub.celery import app

    app.conf.broker_url = url
    settings.CELERY_BROKER_URL = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def _in_memory_broker(settings):
    """Tasks a test enqueues go to an in-memory broker, never to the files under var/.
    Integration tests point the app at a real Redis instead."""
    point_celery_at("memory://", settings)


@pytest.fixture
def tasks_run_at_once():
    """Queued tasks run in this process the moment they are handed over (Celery's eager mode), so a
    test of a page can read the mail the worker would send. A failing task does not fail the
    request, as with a real worker. tests/integration runs the real worker on Redis."""
    from coachhub.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def tasks_queued(monkeypatch):
    """Tasks are queued, not run: they go to the broker (in-memory in tests) as they would go to
    Redis. Returns a function listing the names of the tasks handed over."""
    from celery.app.task import Task

    from coachhub.celery import app

    app.conf.task_always_eager = False
    names = []
    publish = Task.apply_async

    def record(self, *args, **kwargs):
        names.append(self.name)
        return publish(self, *args, **kwargs)

    monkeypatch.setattr(Task, "apply_async", record)
    return lambda: list(names)


@pytest.fixture
def broker_down(monkeypatch):
    """Every task handed to the broker fails as it does when Redis is unreachable."""
    from celery.app.task import Task
    from kombu.exceptions import OperationalError

    def refuse(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", refuse)


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each test gets an empty in-memory cache, so rate limits never leak between tests."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _static_files_uncollected(settings):
    """With DEBUG off the site serves static files collected at build time (collectstatic, in the
    Dockerfile); tests render pages without collecting them first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request activates its person's language for the rest of the thread (a server's next
    request activates its own); the next test starts in the default language again."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every fixture user gets a password; hashing it properly is needless work in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def coach(db):
    return UserFactory(email="coach@example.com", name="Clara Coach")


@pytest.fixture
def coachee(db, coach):
    """A coachee record of `coach`, with its own login."""
    user = CoacheeUserFactory(email="cody@example.com", name="Cody Coachee")
    return CoacheeFactory(coach=coach, user=user, name="Cody Coachee", email="cody@example.com")


@pytest.fixture
def other_coach(db):
    return UserFactory(email="oscar@example.com", name="Oscar Othercoach")


@pytest.fixture
def other_coachee(db, other_coach):
    user = CoacheeUserFactory(email="olga@example.com", name="Olga Othercoachee")
    return CoacheeFactory(coach=other_coach, user=user, name="Olga Othercoachee", email="olga@example.com")


@pytest.fixture
def coachee_client(client, coachee):
    """The test client, logged in as `coachee`'s own login."""
    client.force_login(coachee.user)
    return client


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client


def assert_sent_to_own_homework(response):
    """A coachee who opens a coach's page lands on their own homework (coachhub.accounts.access),
    before the view looks anything up."""
    assert (response.status_code, response.get("Location")) == (302, reverse("my:home"))
