"""Pages under load: gunicorn serving the app as in production, wrk asking, the test client counting.

Throughput and latency come from wrk against gunicorn; queries and SQL time from one request of the
same page through Django's test client in this process (same database, same signed-in session).
"""

import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .data import Practice

ROOT = Path(__file__).resolve().parent.parent
# Prints what the table needs at the end of a wrk run (latencies are in microseconds).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.connect + e.read + e.write + e.status + e.timeout))
end
"""
BASELINES = ["bare hello", "auth hello"]
# How long one request may take, in wrk and before: a slow page is measured, never dropped.
WAIT_SECONDS = 300


@dataclass
class Page:
    name: str
    scale: int | None  # None for the baselines, which do not depend on the data
    url: str
    cookie: str = ""
    queries: int = 0
    sql_ms: float = 0.0
    html_kb: float = 0.0
    runs: list[tuple[float, float, float, int]] = field(default_factory=list)  # rps, p50 ms, p95 ms, errors

    @property
    def rps(self) -> float:
        return statistics.median(run[0] for run in self.runs)

    @property
    def p50(self) -> float:
        return statistics.median(run[1] for run in self.runs)

    @property
    def p95(self) -> float:
        return statistics.median(run[2] for run in self.runs)

    @property
    def errors(self) -> int:
        return sum(run[3] for run in self.runs)


def sign_in(user) -> Client:
    """A test client with a real session of `user` in the database (and cache), as a login makes."""
    client = Client()
    client.force_login(user)
    return client


def pages_of(practice: Practice) -> list[Page]:
    """The main pages of the coach and of the coachee, with the session cookie that opens each."""
    coach = sign_in(practice.coach).cookies[settings.SESSION_COOKIE_NAME].value
    coachee = sign_in(practice.coachee.user).cookies[settings.SESSION_COOKIE_NAME].value
    size, pk = practice.size, practice.coachee.pk
    return [
        Page("dashboard", size, reverse("homework:dashboard"), coach),
        Page("coachee list", size, reverse("coaching:coachee_list"), coach),
        Page("coachee page", size, reverse("homework:coachee_detail", args=[pk]), coach),
        Page("session agenda", size, reverse("homework:session_detail", args=[practice.session.pk]), coach),
        Page("progress", size, reverse("progress:coachee", args=[pk]), coach),
        Page("coachee home", size, reverse("my:home"), coachee),
        Page("coachee homework", size, reverse("my:assignment", args=[practice.homework.pk]), coachee),
    ]


def baselines(practice: Practice) -> list[Page]:
    coach = sign_in(practice.coach).cookies[settings.SESSION_COOKIE_NAME].value
    return [Page("bare hello", None, "/bench/hello/"), Page("auth hello", None, "/bench/hello/auth/", coach)]


def count_queries(page: Page) -> None:
    """Queries, SQL time and size of one request, after one to warm caches as a running site has them."""
    client = Client()
    if page.cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = page.cookie
    client.get(page.url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url)
    if response.status_code != 200:
        raise RuntimeError(f"{page.name} ({page.url}) answered {response.status_code} to the test client")
    page.queries = len(captured.captured_queries)
    page.sql_ms = 1000 * sum(float(query["time"]) for query in captured.captured_queries)
    page.html_kb = len(response.content) / 1024
    print(
        f"  {page.name} ({page.scale or '-'}): {page.queries} queries, {page.sql_ms:.0f} ms SQL, {page.html_kb:.0f} KB",
        file=sys.stderr,
        flush=True,
    )


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py (as in production) on a free port, in its own
    process group."""

    def __init__(self, *, env: dict[str, str], port: int, log: Path):
        self.base = f"http://127.0.0.1:{port}"
        self.log = log.open("w")
        config = ["--config", str(ROOT / "gunicorn.conf.py")]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "coachhub.wsgi", *config, "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
            try:
                urllib.request.urlopen(self.base + "/bench/hello/", timeout=2).read()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def check_served(page: Page, base: str) -> None:
    """gunicorn answers the page itself (not a redirect to the login page) before wrk measures it."""
    request = urllib.request.Request(base + page.url, headers={"Cookie": _cookie(page)})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        status = opener.open(request, timeout=WAIT_SECONDS).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise RuntimeError(f"{page.name} ({page.url}) answered {status} under gunicorn")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _cookie(page: Page) -> str:
    return f"{settings.SESSION_COOKIE_NAME}={page.cookie}" if page.cookie else ""


def run_wrk(page: Page, *, base: str, seconds: float, connections: int, script: Path) -> None:
    duration = f"-d{max(1, round(seconds))}s"
    command = ["wrk", "-t2", f"-c{connections}", duration, f"--timeout={WAIT_SECONDS}s", "-s", str(script)]
    if page.cookie:
        command += ["-H", f"Cookie: {_cookie(page)}"]
    output = subprocess.run([*command, base + page.url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH (\d+) (\d+) (\d+) (\d+) (\d+)$", output, flags=re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no figures for {page.name}:\n{output}")
    requests, duration_us, p50_us, p95_us, errors = map(int, match.groups())
    page.runs.append((requests / (duration_us / 1e6), p50_us / 1000, p95_us / 1000, errors))


def measure(
    pages: list[Page], *, base: str, rounds: int, seconds: float, connections: int, slots: int, warm_up: bool, tmp: Path
):
    """Every page once per round, in the same order each round, so drift (another process on the
    machine, a warming cache) spreads over all pages instead of favouring the first."""
    script = tmp / "figures.lua"
    script.write_text(WRK_SCRIPT)
    for page in pages:
        check_served(page, base)
    # Every worker renders each page first (templates compiled, connections open).
    for page in pages:
        for _ in range(slots if warm_up else 0):
            check_served(page, base)
    for number in range(rounds):
        print(f"  round {number + 1} of {rounds}", file=sys.stderr, flush=True)
        for page in pages:
            run_wrk(page, base=base, seconds=seconds, connections=connections, script=script)
            drain(base, slots=slots)


def drain(base: str, *, slots: int) -> None:
    """Wait until gunicorn has worked through the requests wrk left queued when it stopped.

    A slow page leaves up to a connection's worth of requests waiting per wrk connection; the server
    still answers them after wrk has gone, which would count against the next page. Requests sent
    now queue behind those, so once every worker slot has answered one, the queue is empty."""
    with ThreadPoolExecutor(max_workers=slots) as pool:
        list(
            pool.map(
                lambda _: urllib.request.urlopen(base + "/bench/hello/", timeout=WAIT_SECONDS).read(), range(slots)
            )
        )
