"""Real services for integration tests: a private Redis server, the project's Celery worker as a
subprocess on it, and an in-process SMTP server (aiosmtpd) that receives the mail.

The worker is a separate process, so it sees only committed data: these tests use the
transactional database, which must be PostgreSQL (the worker connects to the same test database).
"""

import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import point_celery_at, skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = os.environ.get("REDIS_SERVER_BIN", "/usr/bin/redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float = 20.0, interval: float = 0.1, message: str = "condition"):
    """Poll `predicate` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {message}")


# --- Redis ---------------------------------------------------------------------------------------


class RedisServer:
    """A private redis-server on a free port, which a test may stop and start again."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.is_up, timeout=10, message=f"redis-server on port {self.port}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def is_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def redis_server(tmp_path):
    if not Path(REDIS_SERVER).exists():
        skip_or_fail(f"no redis-server at {REDIS_SERVER}")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def celery_on_redis(redis_server, settings):
    """Point this process's Celery app (which enqueues tasks) at the private Redis."""
    from coachhub.celery import app

    previous = app.conf.broker_url
    point_celery_at(redis_server.url, settings)
    yield app
    point_celery_at(previous, settings)


# --- SMTP ----------------------------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def header(self, name: str) -> str | None:
        value = self.message[name]
        return None if value is None else str(value)

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""


@dataclass
class SmtpRecorder:
    """aiosmtpd handler: records accepted mail; can answer with an error code instead, or take
    `delay` seconds over each message (a slow server, to stop a sender in the middle of a batch)."""

    messages: list[Received] = field(default_factory=list)
    refused: int = 0
    connections: int = 0
    delay: float = 0.0
    _refuse_with: str | None = None
    _refuse_left: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def refuse(self, reply: str = "451 4.3.0 Try again later", times: int = 10**9):
        """Answer DATA with `reply` for the next `times` messages (default: until `accept()`)."""
        with self._lock:
            self._refuse_with, self._refuse_left = reply, times

    def accept(self):
        with self._lock:
            self._refuse_with, self._refuse_left = None, 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            if self._refuse_left > 0:
                self._refuse_left -= 1
                self.refused += 1
                return self._refuse_with
            message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 2.0.0 Message accepted"

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        wait_until(
            lambda: len(self.messages) >= count, timeout=timeout, message=f"{count} mails (have {len(self.messages)})"
        )
        return list(self.messages)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server in this process. Mail sent here by this process or a worker is recorded."""
    from aiosmtpd.controller import Controller

    recorder = SmtpRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    recorder.port = controller.port
    yield recorder
    controller.stop()


# --- Celery worker -------------------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        skip_or_fail("a Celery worker process needs the PostgreSQL test database (set DATABASE_URL)")
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery -A coachhub worker` in a subprocess, logging to a file the test can read."""

    def __init__(self, name: str, env: dict, log_path: Path):
        self.name, self.env, self.log_path = name, env, log_path
        self.process: subprocess.Popen | None = None

    def start(self):
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()/kill()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "coachhub",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "-n",
                f"{self.name}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: " ready." in self.log(offset) or self.process.poll() is not None,
            timeout=60,
            message=f"worker {self.name} to be ready",
        )
        if self.process.poll() is not None:
            pytest.fail(f"worker {self.name} exited:\n{self.log(offset)[-3000:]}")

    def log(self, offset: int = 0) -> str:
        with open(self.log_path, "rb") as handle:
            handle.seek(offset)
            return handle.read().decode(errors="replace")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._close()

    def kill(self):
        """SIGKILL: the worker dies mid-task, as in a crash or an out-of-memory kill."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close()

    def _close(self):
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None


@pytest.fixture
def start_worker(
    django_db_serialized_rollback, transactional_db, celery_on_redis, redis_server, smtp_server, settings, tmp_path
):
    """Factory: start_worker("w1") runs a real worker on the private Redis, sending to `smtp_server`."""
    base_env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": redis_server.url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_USE_TLS": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "SITE_URL": settings.SITE_URL,
        "HTTPS": "0",
        "DEBUG": "0",
        "VAR_DIR": str(tmp_path / "var"),
    }
    workers: list[Worker] = []

    def start(name: str = "worker1", **extra_env) -> Worker:
        worker = Worker(name, {**base_env, **extra_env}, tmp_path / f"{name}.log")
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
