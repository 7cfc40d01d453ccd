"""`make bench`: how fast CoachHub's pages, reminder sweep and mail sending are at several practice sizes.

Steps:
1. Create a PostgreSQL database of its own, migrate it and collect static files into a temporary folder.
2. For each scale (coachees of one coach, smallest first): build the practice through the services,
   then time the reminder sweep with nothing due (the outbox holds every scale built so far).
3. Serve the app under gunicorn with DEBUG off (as in production), sign in as each coach and one
   coachee of theirs, count each page's queries once, and measure every page with wrk in rounds.
4. Time planning many due reminders, then send some into an SMTP sink and compare with smtplib.
5. Print the tables; drop the database, stop gunicorn and the sink, whatever happened.

To measure the pages again after a change without building the practices again: run once with
--keep (the database stays), then with --reuse (pages only, in the kept database, after migrating it;
a scale it does not hold yet is built). Drop it with `dropdb` when done.

Run from the project folder: `python -m bench.run` (options: --help), or `make bench`.
"""

import argparse
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coachhub_benchmark"
# Emptied at the start and the end: a Redis database nobody else should use.
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/14"


def options(argv=None) -> argparse.Namespace:
    env = os.environ.get
    smoke = env("BENCH_SMOKE", "") not in ("", "0")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", default=smoke, help="smallest scale, one short round")
    parser.add_argument("--scales", default=env("BENCH_SCALES", "10,100,1000"), help="coachees per coach, e.g. 10,100")
    parser.add_argument("--seconds", type=float, default=float(env("BENCH_SECONDS", 5)), help="wrk run per page")
    parser.add_argument("--rounds", type=int, default=int(env("BENCH_ROUNDS", 5)))
    parser.add_argument("--connections", type=int, default=int(env("BENCH_CONNECTIONS", 8)))
    parser.add_argument("--workers", type=int, default=int(env("BENCH_WORKERS", 2)), help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=int(env("BENCH_THREADS", 1)), help="threads per worker")
    parser.add_argument("--plan", type=int, default=int(env("BENCH_PLAN", 10000)), help="due reminders to plan")
    parser.add_argument("--send", type=int, default=int(env("BENCH_SEND", 1000)), help="reminder mails to send")
    parser.add_argument("--database-url", default=env("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--cache-url", default=env("BENCH_CACHE_URL", DEFAULT_CACHE_URL))
    parser.add_argument("--pages", default=env("BENCH_PAGES", ""), help="only these pages, e.g. dashboard,progress")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end (for --reuse)")
    parser.add_argument(
        "--reuse", action="store_true", help="measure only the pages, in a database kept by --keep; implies --keep"
    )
    args = parser.parse_args(argv)
    args.scales = sorted({int(scale) for scale in args.scales.split(",") if scale.strip()})
    if args.smoke:
        args.scales, args.seconds, args.rounds = args.scales[:1], 1, 1
        args.plan, args.send = min(args.plan, 100), min(args.send, 20)
    args.keep = args.keep or args.reuse
    return args


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def server_env(args, var_dir: Path, smtp_port: int) -> dict[str, str]:
    """Production settings (DEBUG off) on plain http, for this process and gunicorn alike."""
    return {
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        "CELERY_BROKER_URL": "memory://localhost/",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "BENCH_VIEWS": "1",
        "VAR_DIR": str(var_dir),
        # Not a developer's own .env: only what is set here.
        "ENV_FILE": str(var_dir / "no.env"),
        "LOG_LEVEL": "WARNING",
    }


def admin_connection(database_url: str):
    """A connection to the server's `postgres` database, to create and drop the benchmark's own."""
    import psycopg2

    parts = urlsplit(database_url)
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    return connection, parts.path.lstrip("/")


def recreate_database(database_url: str, *, create: bool) -> None:
    connection, name = admin_connection(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def empty_cache(cache_url: str) -> None:
    import redis

    redis.Redis.from_url(cache_url).flushdb()


def main(argv=None) -> int:
    args = options(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk).", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    var_dir = Path(tempfile.mkdtemp(prefix="coachhub-bench-"))
    cleanup = []
    try:
        return bench(args, var_dir, cleanup)
    finally:
        for step in reversed(cleanup):
            try:
                step()
            except Exception as error:  # go on: the other steps still have to run
                print(f"cleanup: {error}", file=sys.stderr)
        shutil.rmtree(var_dir, ignore_errors=True)


def bench(args, var_dir: Path, cleanup: list) -> int:
    from .sink import Sink

    sink = Sink()
    smtp_port = sink.start()
    cleanup.append(sink.stop)
    env = server_env(args, var_dir, smtp_port)
    os.environ.update(env)
    name = urlsplit(args.database_url).path.lstrip("/")
    if args.reuse:
        progress(f"database {name}: reuse and migrate")
    else:
        progress(f"database {name}: create and migrate")
        recreate_database(args.database_url, create=True)
    if not args.keep:
        cleanup.append(lambda: recreate_database(args.database_url, create=False))
    empty_cache(args.cache_url)
    cleanup.append(lambda: empty_cache(args.cache_url))

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coachhub.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connections

    cleanup.append(connections.close_all)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)

    report = Report(args)
    practices = build(args, report)
    measure_pages(args, env, var_dir, practices, report, cleanup)
    if not args.reuse:
        measure_mail(args, report, smtp_port)
    report.print()
    return 0


def build(args, report: "Report") -> list:
    from django.utils import timezone

    from .data import build_practice, find_practice, open_homework_count
    from .mail import idle_sweep

    practices = []
    for scale in args.scales:
        kept = find_practice(size=scale) if args.reuse else None
        if kept is not None:
            practices.append(kept)
            continue
        progress(f"building a practice of {scale} coachees")
        started = time.monotonic()
        now = timezone.now()
        practices.append(build_practice(size=scale, now=now))
        report.built[scale] = time.monotonic() - started
        refresh_statistics()
        report.sweeps[scale] = (open_homework_count(), idle_sweep(timezone.now()))
    return practices


def refresh_statistics() -> None:
    """ANALYZE after a bulk build, as autovacuum would soon do on a live database: without it the
    planner takes the freshly filled tables for nearly empty and picks plans (a sequential scan over
    every check-in, say) that no running practice would get, and the figures measure that instead."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure_pages(args, env, var_dir: Path, practices: list, report: "Report", cleanup: list) -> None:
    from . import sink as sink_module
    from .pages import Gunicorn, baselines, count_queries, measure, pages_of

    pages = baselines(practices[0]) + [page for practice in practices for page in pages_of(practice)]
    chosen = {name.strip() for name in args.pages.split(",") if name.strip()}
    pages = [page for page in pages if page.scale is None or not chosen or page.name in chosen]
    progress("counting queries through the test client")
    for page in pages:
        count_queries(page)
    port = sink_module.free_port()
    server_env = {
        **env,
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_THREADS": str(args.threads),
        # A replaced worker compiles its templates again, which would count against whichever page
        # is being measured at that moment.
        "GUNICORN_MAX_REQUESTS": "0",
        # A page that takes longer than production allows is measured, not cut off.
        "GUNICORN_TIMEOUT": "300",
    }
    server = Gunicorn(env=server_env, port=port, log=var_dir / "gunicorn.log")
    cleanup.append(server.stop)
    server.wait_until_up()
    progress(f"measuring {len(pages)} pages with wrk: {args.rounds} round(s) of {args.seconds:g} s each")
    try:
        measure(
            pages,
            base=server.base,
            rounds=args.rounds,
            seconds=args.seconds,
            connections=args.connections,
            slots=args.workers * args.threads,
            # The smoke run checks that it all works; its figures mean nothing anyway.
            warm_up=not args.smoke,
            tmp=var_dir,
        )
    finally:
        server.stop()
    report.pages = pages


def measure_mail(args, report: "Report", smtp_port: int) -> None:
    from django.utils import timezone

    from .mail import plan_due, send_project, send_raw

    progress(f"planning {args.plan} due reminders")
    now = timezone.now()
    report.planning = plan_due(count=args.plan, now=now)
    progress(f"sending {args.send} reminder mails, then as many with smtplib")
    project, ids = send_project(count=args.send, coach_email="coach-due@bench.example.com", now=timezone.now())
    report.send_project = project
    report.send_raw = send_raw(count=len(ids), reminder_id=ids[0], host="127.0.0.1", port=smtp_port, now=now)


class Report:
    def __init__(self, args):
        self.args = args
        self.built: dict[int, float] = {}
        self.sweeps: dict[int, tuple] = {}
        self.pages = []
        self.planning = self.send_project = self.send_raw = None

    def print(self) -> None:
        a = self.args
        print(
            f"CoachHub benchmark: scales {', '.join(map(str, a.scales))} coachees per coach; gunicorn "
            f"{a.workers} worker(s) x {a.threads} thread(s), DEBUG off; wrk -c{a.connections}, "
            f"{a.rounds} round(s) of {a.seconds:g} s per page{' (smoke)' if a.smoke else ''}"
        )
        if self.built:
            print("Built in " + ", ".join(f"{seconds:.0f} s ({scale})" for scale, seconds in self.built.items()))
        self.print_pages()
        self.print_spread()
        self.print_mail()

    def print_pages(self) -> None:
        auth = next(page for page in self.pages if page.name == "auth hello")
        print("\nPages (rps, p50, p95: median of the rounds; ratio: rps / auth hello rps)")
        header = f"{'page':<18}{'scale':>6}{'rps':>9}{'ratio':>8}{'p50 ms':>8}{'p95 ms':>8}{'queries':>8}"
        print(header + f"{'SQL ms':>8}{'HTML KB':>9}{'errors':>7}")
        for page in self.pages:
            print(
                f"{page.name:<18}{page.scale or '-':>6}{page.rps:>9.1f}{page.rps / auth.rps:>7.2f}x"
                f"{page.p50:>8.1f}{page.p95:>8.1f}{page.queries:>8}{page.sql_ms:>8.1f}{page.html_kb:>9.1f}"
                f"{page.errors:>7}"
            )

    def print_spread(self) -> None:
        """Per page: how far its ratio and its SQL time move between the smallest and largest scale."""
        if len(self.args.scales) < 2:
            return
        auth = next(page for page in self.pages if page.name == "auth hello").rps
        print("\nAcross scales (largest / smallest)")
        print(f"{'page':<18}{'ratio':>16}{'change':>8}{'SQL ms':>16}{'change':>8}")
        names = dict.fromkeys(page.name for page in self.pages if page.scale)
        for name in names:
            rows = [page for page in self.pages if page.name == name]
            small, large = rows[0], rows[-1]
            print(
                f"{name:<18}{small.rps / auth:>7.2f} -> {large.rps / auth:.2f}{_change(small.rps, large.rps):>8}"
                f"{small.sql_ms:>7.1f} -> {large.sql_ms:>5.1f}{_change(small.sql_ms, large.sql_ms):>8}"
            )

    def print_mail(self) -> None:
        if self.planning is None:  # --reuse measures only the pages
            return
        print("\nReminder sweep with nothing due (the outbox holds every scale built so far)")
        print(f"{'scale':>6}{'open homework':>15}{'sweep ms':>10}{'queries':>9}")
        for scale, (open_homework, sweep) in self.sweeps.items():
            print(f"{scale:>6}{open_homework:>15}{sweep.seconds * 1000:>10.1f}{sweep.queries:>9}")
        plan, project, raw = self.planning, self.send_project, self.send_raw
        print(f"\nPlanning {plan.count} due reminders: {plan.seconds:.2f} s, {plan.queries} queries")
        project_rate, raw_rate = project.count / project.seconds, raw.count / raw.seconds
        print(
            f"Sending: project {project.count} mails in {project.seconds:.2f} s ({project_rate:.0f}/s, "
            f"{project.queries} queries); smtplib {raw.count} in {raw.seconds:.2f} s ({raw_rate:.0f}/s); "
            f"ratio {project_rate / raw_rate:.2f}x"
        )


def _change(before: float, after: float) -> str:
    return f"{(after - before) / before * 100:+.0f}%" if before else "-"


if __name__ == "__main__":
    sys.exit(main())
