"""gunicorn's settings for the web app (docker-compose's `web`, `make bench`), read from the environment.

WEB_CONCURRENCY        worker processes; default 2 per CPU core plus one, at most 8
GUNICORN_THREADS       threads per worker; default 4 (gthread): one worker serves other requests while
                       a request waits for PostgreSQL or Redis. 1 runs plain sync workers.
GUNICORN_TIMEOUT       seconds a request may take before its worker is replaced; default 60
GUNICORN_MAX_REQUESTS  requests after which a worker is replaced; default 1000, 0 never

Every thread keeps its own PostgreSQL connection (CONN_MAX_AGE): workers x threads per container.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


# Each worker holds the app and a database connection; beyond eight on one host PostgreSQL's
# connections and memory run out before the CPU does: scale out with more containers instead.
MAX_WORKERS = 8


def _cores() -> int:
    """The cores this process may run on (a container limited to some CPUs sees only those)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


bind = "0.0.0.0:8000"
workers = _int("WEB_CONCURRENCY", min(2 * _cores() + 1, MAX_WORKERS))
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"
# The slowest page (an export of a coachee's data) takes seconds, not a minute; a request past this
# is stuck, and its worker is replaced instead of holding the slot for good.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On a restart or redeploy, requests under way get this long to finish.
graceful_timeout = 30
# Browsers reuse a connection for the page's static files; Caddy keeps its own connections open.
keepalive = 5
# A worker is replaced after this many requests (at a random point within the jitter, so workers do
# not restart together): memory a long-lived process gathers is given back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
accesslog = "-"
