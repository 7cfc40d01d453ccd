"""docker-compose.yml: every service there, with the right image or command, configured through the
variables .env.example documents."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ["migrate", "web", "worker", "beat"]
# What the app containers must be given for production.
REQUIRED_APP_ENV = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "DEFAULT_FROM_EMAIL",
    "HTTPS",
]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def documented() -> set[str]:
    """Names .env.example documents (set or commented out)."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_every_service_is_there(compose):
    assert set(compose["services"]) == {"postgres", "redis", "mailpit", *APP_SERVICES}


def test_postgres_has_a_healthcheck_and_keeps_its_data(compose):
    postgres = compose["services"]["postgres"]
    assert postgres["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in postgres["volumes"])


def test_redis_never_evicts_and_persists(compose):
    redis = compose["services"]["redis"]
    assert redis["image"].startswith("redis:")
    assert "--maxmemory-policy noeviction" in redis["command"]
    assert "--appendonly yes" in redis["command"]
    assert any(volume.endswith(":/data") for volume in redis["volumes"])


@pytest.mark.parametrize(
    ("service", "command"),
    [
        ("migrate", "python manage.py migrate --noinput"),
        ("web", "gunicorn coachhub.wsgi"),
        ("worker", "celery -A coachhub worker"),
        ("beat", "celery -A coachhub beat"),
    ],
)
def test_app_services_run_the_right_command_from_the_app_image(compose, service, command):
    definition = compose["services"][service]
    assert definition["command"].startswith(command)
    assert definition["build"] == "."
    assert definition["image"] == compose["services"]["web"]["image"]


def test_there_is_exactly_one_beat(compose):
    beats = [name for name, service in compose["services"].items() if " beat" in str(service.get("command", ""))]
    assert beats == ["beat"]
    assert compose["services"]["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_app_services_wait_for_the_migration_and_healthy_services(compose):
    for service in ["web", "worker", "beat"]:
        depends = compose["services"][service]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_mail_goes_to_the_mail_catcher(compose):
    assert compose["services"]["mailpit"]["image"].startswith("axllent/mailpit")
    env = compose["services"]["web"]["environment"]
    assert env["EMAIL_BACKEND"].endswith("smtp.EmailBackend}")
    assert "mailpit" in env["EMAIL_HOST"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_are_configured_like_the_app_documents(compose, documented, service):
    env = compose["services"][service]["environment"]

    assert set(REQUIRED_APP_ENV) <= set(env)
    assert set(env) <= documented, "every variable given to the app is documented in .env.example"
    assert env["DEBUG"] == "0"
    assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
    assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    # No default secret: compose refuses to start without one.
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_compose_substitutions_are_documented(documented):
    text = (ROOT / "docker-compose.yml").read_text()
    names = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    assert names
    assert names <= documented


def compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    return None


def test_docker_compose_validates_the_file(tmp_path):
    # Validation needs only the compose tool, not a container engine; where no such tool is installed
    # this skips even under REQUIRE_SERVICES (no service is missing, only an optional checker).
    command = compose_command()
    if command is None:
        pytest.skip("neither docker-compose nor `docker compose` is installed")
    # An empty env file, so that a developer's own .env does not take part.
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    config = [*command, "--env-file", str(empty_env_file), "-f", str(ROOT / "docker-compose.yml"), "config"]
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}

    result = subprocess.run([*config, "--quiet"], capture_output=True, text=True, env={**env, "SECRET_KEY": "x"})
    assert result.returncode == 0, result.stderr

    # Without a SECRET_KEY it refuses to run.
    result = subprocess.run([*config, "--quiet"], capture_output=True, text=True, env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
