"""`make bench`: its baseline pages exist only when asked for, and its smoke mode runs to the end.

The smoke run asserts only that every figure is printed, never how fast anything was."""

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import clear_url_caches, reverse

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "bare hello",
    "auth hello",
    "dashboard",
    "coachee list",
    "coachee page",
    "session agenda",
    "progress",
    "coachee home",
    "coachee homework",
]


@pytest.fixture
def bench_views(settings):
    """The URL configuration as the benchmark's server has it (BENCH_VIEWS=1), for this test only."""
    import coachhub.urls

    settings.BENCH_VIEWS = True
    importlib.reload(coachhub.urls)
    clear_url_caches()
    yield
    settings.BENCH_VIEWS = False
    importlib.reload(coachhub.urls)
    clear_url_caches()


def test_the_baselines_are_not_routed_unless_asked_for(client, coach):
    client.force_login(coach)
    assert client.get("/bench/hello/").status_code == 404
    assert client.get("/bench/hello/auth/").status_code == 404


def test_bare_hello_answers_anyone(bench_views, client):
    response = client.get(reverse("bench:bare_hello"))
    assert response.status_code == 200
    assert response.content == b"hello"


def test_auth_hello_needs_a_login(bench_views, client, coach):
    response = client.get(reverse("bench:auth_hello"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")

    client.force_login(coach)
    assert client.get(reverse("bench:auth_hello")).content == b"hello"


def test_the_baselines_have_an_access_rule(bench_views):
    from tests import test_access

    assert any(route.startswith("bench/") for route, _ns, _pattern in test_access._all_urls())
    test_access.test_every_url_has_an_access_rule()


def _services_or_skip() -> str:
    """The PostgreSQL URL the smoke run may create its own database beside, once wrk, PostgreSQL and
    Redis are there."""
    from django.conf import settings

    if shutil.which("wrk") is None:
        skip_or_fail("wrk is not installed (apt-get install wrk)")
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        skip_or_fail("the benchmark needs PostgreSQL (DATABASE_URL)")
    try:
        import redis

        redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), socket_timeout=2).ping()
    except Exception as error:
        skip_or_fail(f"the benchmark needs Redis on 127.0.0.1:6379: {error}")
    user = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return f"postgres://{user}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/coachhub_bench_smoke"


def test_the_smoke_run_prints_every_figure(tmp_path):
    database_url = _services_or_skip()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "BENCH_SMOKE": "1",
        "BENCH_SCALES": "3",
        "BENCH_DATABASE_URL": database_url,
        # Its own Redis database, so a full run elsewhere on the machine keeps its cache.
        "BENCH_CACHE_URL": "redis://127.0.0.1:6379/13",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bench.run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stdout + result.stderr
    rows = {match[0].strip() for match in re.findall(r"^(\w[\w ]*?)\s+(-|3)\s+\d+\.\d", result.stdout, re.M)}
    assert rows == set(PAGES), result.stdout
    assert re.search(r"^\s+3\s+\d+\s+\d+\.\d+\s+\d+$", result.stdout, re.M), "the idle sweep row"
    assert re.search(r"^Planning \d+ due reminders: ", result.stdout, re.M)
    assert re.search(r"^Sending: project \d+ mails .* ratio \d+\.\d+x$", result.stdout, re.M)
    assert "coachhub_bench_smoke" not in _databases(database_url), "the run drops its database"


def _databases(database_url: str) -> set[str]:
    import psycopg2

    connection = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database")
            return {name for (name,) in cursor.fetchall()}
    finally:
        connection.close()


def test_reuse_keeps_the_database_and_finds_the_practice_a_kept_run_built(db):
    from django.utils import timezone

    from bench.data import build_practice, find_practice
    from bench.run import options

    assert options(["--reuse"]).keep and options(["--keep"]).keep and not options([]).keep
    built = build_practice(size=2, now=timezone.now())

    found = find_practice(size=2)

    assert (found.coach, found.coachee, found.session, found.homework) == (
        built.coach,
        built.coachee,
        built.session,
        built.homework,
    )
    assert find_practice(size=3) is None
