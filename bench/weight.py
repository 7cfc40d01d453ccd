"""`make weight`: the bytes a browser transfers on a first visit to the login page and to the dashboard.

Steps:
1. In a temporary folder: a SQLite database with the demo data (migrate, seed_demo) and the static
   files collected as the Docker image collects them (compressed, under hashed names).
2. Serve the app under gunicorn with DEBUG off (as in production; WhiteNoise sends the static files
   compressed), behind a small proxy that compresses pages as Caddy's `encode gzip` does in front of
   production (docker-compose's `caddy`; Caddyfile).
3. Open each page in the system Chromium with an empty cache (signed in as the demo coach for the
   dashboard) and add up what every response took on the wire: headers and body as sent.
4. Print each page's responses and total against the target; exit 1 when a page is over it.

Run from the project folder: `python -m bench.weight`, or `make weight`. Needs Chromium
(apt-get install chromium) and Playwright (requirements-test.txt); no database server.
"""

import gzip
import http.client
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_BYTES = 80 * 1024
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_COACH = ("coach@example.com", "coachhub-demo")
# What Caddy's `encode` compresses by default: text of at least 512 bytes, gzip at level 5.
COMPRESSIBLE_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
CADDY_MINIMUM_LENGTH = 512
CADDY_GZIP_LEVEL = 5
# WhiteNoise compresses collected static files at gzip's highest level.
WHITENOISE_GZIP_LEVEL = 9


@dataclass
class Transfer:
    url: str
    kind: str  # document, stylesheet, script, image ...
    header_bytes: int
    body_bytes: int  # as sent: compressed where the server compressed
    encoding: str

    @property
    def total(self) -> int:
        return self.header_bytes + self.body_bytes


@dataclass
class Visit:
    name: str
    url: str
    transfers: list[Transfer] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(transfer.total for transfer in self.transfers)


def compressible(content_type: str, size: int) -> bool:
    return size >= CADDY_MINIMUM_LENGTH and content_type.startswith(COMPRESSIBLE_TYPES)


def first_visit(browser, name: str, url: str, *, storage_state=None, compress_as_production=False) -> Visit:
    """Open `url` in a fresh browser context (an empty cache) and record every response it loads.

    With compress_as_production, a response the server sent uncompressed is counted at the size it
    takes compressed as production sends it (WhiteNoise for static files, Caddy for pages): for a
    server that compresses nothing, such as the test suite's live server."""
    context = browser.new_context(storage_state=storage_state, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    visit = Visit(name, url)
    try:
        answer = page.goto(url, wait_until="networkidle")
        if answer is None or answer.status != 200 or answer.url.rstrip("/") != url.rstrip("/"):
            raise RuntimeError(f"{name}: {url} answered {answer and answer.status} at {answer and answer.url}")
        for response in responses:
            sizes = response.request.sizes()
            encoding = response.headers.get("content-encoding", "")
            body = sizes["responseBodySize"]
            if compress_as_production and not encoding:
                content = response.body()
                if compressible(response.headers.get("content-type", ""), len(content)):
                    static = urlsplit(response.url).path.startswith("/static/")
                    level = WHITENOISE_GZIP_LEVEL if static else CADDY_GZIP_LEVEL
                    body, encoding = len(gzip.compress(content, compresslevel=level)), "gzip (counted)"
            visit.transfers.append(
                Transfer(response.url, response.request.resource_type, sizes["responseHeadersSize"], body, encoding)
            )
    finally:
        context.close()
    return visit


def signed_in_state(browser, base: str, email: str, password: str):
    """Cookies of a session signed in through the login form, in a context of its own, so the visit
    measured afterwards still starts with an empty cache."""
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard/")
    state = context.storage_state()
    context.close()
    return state


def report(visits: list[Visit], *, target: int = TARGET_BYTES) -> bool:
    """Print each visit's responses and total; True when every page is within the target."""
    within = True
    for visit in visits:
        print(f"\n{visit.name}: {visit.url}")
        print(f"  {'response':<56}{'type':<12}{'encoding':<16}{'headers':>9}{'body':>9}")
        for transfer in visit.transfers:
            path = urlsplit(transfer.url).path
            path = path if len(path) < 56 else "…" + path[-54:]
            print(
                f"  {path:<56}{transfer.kind:<12}{transfer.encoding or '-':<16}"
                f"{transfer.header_bytes:>9,}{transfer.body_bytes:>9,}"
            )
        ok = visit.total <= target
        within &= ok
        verdict = "within" if ok else "OVER"
        kilobytes = f"{visit.total / 1024:.1f} KB"
        print(f"  total {visit.total:,} bytes ({kilobytes}): {verdict} the target of {target // 1024} KB")
    return within


class CompressingProxy:
    """Forwards to `upstream` and gzips what comes back uncompressed, as Caddy's `encode gzip` does in
    production. Static files arrive compressed by WhiteNoise already and pass unchanged."""

    HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "te", "upgrade"}

    def __init__(self, upstream: str):
        upstream_address = urlsplit(upstream)
        hop_by_hop = self.HOP_BY_HOP

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {key: value for key, value in self.headers.items() if key.lower() not in hop_by_hop}
                connection = http.client.HTTPConnection(upstream_address.hostname, upstream_address.port, timeout=60)
                try:
                    connection.request(self.command, self.path, body=body, headers=headers)
                    answer = connection.getresponse()
                    content = answer.read()
                    response_headers = [(k, v) for k, v in answer.getheaders() if k.lower() not in hop_by_hop]
                    status, reason = answer.status, answer.reason
                finally:
                    connection.close()
                accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
                already = any(key.lower() == "content-encoding" for key, _ in response_headers)
                content_type = next((v for k, v in response_headers if k.lower() == "content-type"), "")
                if accepts_gzip and not already and compressible(content_type, len(content)):
                    content = gzip.compress(content, compresslevel=CADDY_GZIP_LEVEL)
                    response_headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
                self.send_response(status, reason)
                for key, value in response_headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(content)

            do_GET = do_POST = do_HEAD = forward

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> str:
        self.thread.start()
        return self.base

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def production_env(var_dir: Path) -> dict[str, str]:
    """DEBUG off on plain http, everything under `var_dir`: SQLite, the file cache, collected files."""
    return {
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'coachhub.sqlite3'}",
        "CACHE_URL": f"filecache://{var_dir / 'cache'}",
        "CELERY_BROKER_URL": "memory://localhost/",
        # The bench's two baseline pages tell when gunicorn is up.
        "BENCH_VIEWS": "1",
        # Not a developer's own .env: only what is set here.
        "ENV_FILE": str(var_dir / "no.env"),
        "LOG_LEVEL": "WARNING",
    }


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True
    )


def prepare(var_dir: Path, env: dict[str, str]) -> None:
    for folder in ("mail", "uploads", "staticfiles"):
        (var_dir / folder).mkdir(parents=True, exist_ok=True)
    # The demo data exists only in local mode: seed it with DEBUG on, then serve it with DEBUG off.
    local = {**env, "DEBUG": "1"}
    manage("migrate", "--noinput", env=local)
    manage("seed_demo", env=local)
    manage("collectstatic", "--noinput", env=env)


def measure(base: str) -> list[Visit]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            login = first_visit(browser, "Login page", f"{base}/accounts/login/")
            state = signed_in_state(browser, base, *DEMO_COACH)
            dashboard = first_visit(browser, "Coach's dashboard", f"{base}/dashboard/", storage_state=state)
        finally:
            browser.close()
    return [login, dashboard]


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f"No Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    var_dir = Path(tempfile.mkdtemp(prefix="coachhub-weight-"))
    env = production_env(var_dir)
    server = proxy = None
    try:
        print("Preparing the demo data and the collected static files ...", file=sys.stderr, flush=True)
        prepare(var_dir, env)
        os.environ.update(env)
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coachhub.settings")
        django.setup()
        from .pages import Gunicorn
        from .sink import free_port

        server = Gunicorn(
            env={**env, "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "4"}, port=free_port(), log=var_dir / "gunicorn.log"
        )
        server.wait_until_up()
        proxy = CompressingProxy(server.base)
        visits = measure(proxy.start())
        print(
            "First visit, empty cache: every response's headers and body as sent "
            "(static files compressed by WhiteNoise, pages gzipped by the proxy standing in for Caddy)"
        )
        return 0 if report(visits) else 1
    finally:
        if proxy:
            proxy.stop()
        if server:
            server.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
