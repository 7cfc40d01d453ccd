"""gunicorn.conf.py: workers, threads and timeouts from the environment, with defaults for the machine."""

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "gunicorn.conf.py"
VARIABLES = ["WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_MAX_REQUESTS"]


def load(monkeypatch, **env) -> dict:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults_fit_the_machine(monkeypatch):
    config = load(monkeypatch)

    cores = len(os.sched_getaffinity(0))
    assert config["workers"] == min(2 * cores + 1, 8)
    assert (config["worker_class"], config["threads"]) == ("gthread", 4)
    assert config["timeout"] == 60
    assert 0 < config["graceful_timeout"] <= config["timeout"]
    assert config["max_requests"] == 1000
    assert 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["bind"] == "0.0.0.0:8000"


def test_the_environment_sets_workers_threads_and_timeouts(monkeypatch):
    config = load(
        monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="1", GUNICORN_TIMEOUT="45", GUNICORN_MAX_REQUESTS="0"
    )

    assert (config["workers"], config["worker_class"], config["threads"]) == (3, "sync", 1)
    assert config["timeout"] == 45
    assert (config["max_requests"], config["max_requests_jitter"]) == (0, 0)


def test_an_empty_variable_means_the_default(monkeypatch):
    """docker-compose passes `${WEB_CONCURRENCY:-}`: empty when .env does not set it."""
    assert load(monkeypatch, WEB_CONCURRENCY="", GUNICORN_THREADS="")["threads"] == 4


def test_a_value_that_is_no_number_is_refused_by_name(monkeypatch):
    with pytest.raises(SystemExit, match="GUNICORN_TIMEOUT must be a whole number"):
        load(monkeypatch, GUNICORN_TIMEOUT="a minute")


def test_gunicorn_reads_the_file(tmp_path):
    # It loads the app too: local settings, with nothing from a developer's own .env.
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "1",
        "VAR_DIR": str(tmp_path),
        "ENV_FILE": str(tmp_path / "no.env"),
        "WEB_CONCURRENCY": "3",
        "GUNICORN_THREADS": "2",
    }
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", str(CONFIG), "--print-config", "coachhub.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    printed = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, flags=re.MULTILINE))
    assert (printed["workers"], printed["threads"], printed["worker_class"]) == ("3", "2", "gthread")
