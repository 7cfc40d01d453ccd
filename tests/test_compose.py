"""docker-compose.yml and its Caddyfile: every service there, with the right image or command,
configured through the variables .env.example documents; only the proxy reachable from outside."""

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
    assert set(compose["services"]) == {"postgres", "redis", "caddy", "mailpit", *APP_SERVICES}


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


def test_production_sends_real_mail(compose):
    env = compose["services"]["web"]["environment"]
    assert env["EMAIL_BACKEND"].endswith("smtp.EmailBackend}")
    # No default server, least of all the catcher: compose refuses to start without one.
    assert env["EMAIL_HOST"].startswith("${EMAIL_HOST:?")
    assert "mailpit" not in env["EMAIL_HOST"].split("?")[0]


def test_the_mail_catcher_is_for_staging_only_and_not_public(compose):
    mailpit = compose["services"]["mailpit"]
    assert mailpit["image"].startswith("axllent/mailpit")
    assert set(mailpit["profiles"]) & {"staging", "dev"}
    assert mailpit["ports"]
    assert all(str(port).startswith("127.0.0.1:") for port in mailpit["ports"])


def test_only_the_proxy_is_reachable_from_outside(compose):
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"caddy", "mailpit"}  # mailpit on loopback only (above)
    web = compose["services"]["web"]
    assert "ports" not in web
    assert [str(port) for port in web["expose"]] == ["8000"]
    assert "0.0.0.0:8000" in web["command"]


def test_the_proxy_serves_the_site_domain_with_the_caddyfile(compose):
    caddy = compose["services"]["caddy"]
    assert caddy["image"].startswith("caddy:2")
    assert {str(port).split(":")[-1] for port in caddy["ports"]} >= {"80", "443"}
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    assert any(volume.endswith(":/data") for volume in caddy["volumes"])  # certificates survive a restart
    assert caddy["environment"]["SITE_DOMAIN"].startswith("${SITE_DOMAIN:?")


def test_web_runs_gunicorn_configured_from_the_environment(compose):
    web = compose["services"]["web"]
    assert "--config gunicorn.conf.py" in web["command"]
    for name in ["WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"]:
        # Unset in .env: empty, and gunicorn.conf.py picks its default for the host.
        assert web["environment"][name] == f"${{{name}:-}}"
    assert (ROOT / "gunicorn.conf.py").exists()


@pytest.mark.parametrize("service", APP_SERVICES)
def test_the_cache_is_shared_in_redis_beside_the_broker(compose, service):
    env = compose["services"][service]["environment"]
    cache_url, broker_url = env["CACHE_URL"], env["CELERY_BROKER_URL"]
    assert cache_url.startswith("redis://redis:6379/")
    # Its own database: flushing the cache never drops a queued task.
    assert cache_url.rsplit("/", 1)[1] != broker_url.rsplit("/", 1)[1]


def test_the_app_trusts_exactly_the_one_proxy(compose):
    env = compose["services"]["web"]["environment"]
    assert env["TRUSTED_PROXY_COUNT"] == "1"
    assert env["BEHIND_PROXY"].startswith("${BEHIND_PROXY:-1")


@pytest.fixture(scope="module")
def caddyfile() -> str:
    return (ROOT / "Caddyfile").read_text()


def test_the_caddyfile_proxies_to_web_and_names_the_client(caddyfile):
    assert "{$SITE_DOMAIN}" in caddyfile
    assert re.search(r"reverse_proxy\s+web:8000", caddyfile)
    assert re.search(r"header_up\s+X-Forwarded-For\s+\{remote_host\}", caddyfile)
    assert re.search(r"header_up\s+X-Forwarded-Proto\s+\{scheme\}", caddyfile)


def test_the_caddyfile_names_no_server_software(caddyfile):
    assert re.search(r"^\s*header\s+-Server\s*$", caddyfile, flags=re.MULTILINE)


def size_in_bytes(text: str) -> int:
    """A size as Caddy reads it: 12MB is 12 000 000 bytes, 12MiB is 12 * 2**20."""
    number, unit = re.fullmatch(r"(\d+)\s*([KMG]i?B)", text).groups()
    base = 1024 if "i" in unit else 1000
    return int(number) * base ** "KMG".index(unit[0]) * base


def test_the_proxy_limits_the_request_body_a_little_above_the_upload_limit(compose, caddyfile):
    from assignments.uploads import REQUEST_MARGIN_BYTES

    default_in_caddyfile = re.search(r"max_size\s+\{\$REQUEST_MAX_SIZE:([^}]+)\}", caddyfile).group(1)
    default_in_compose = re.fullmatch(
        r"\$\{REQUEST_MAX_SIZE:-([^}]+)\}", compose["services"]["caddy"]["environment"]["REQUEST_MAX_SIZE"]
    ).group(1)
    assert default_in_caddyfile == default_in_compose
    app_limit = 10 * 1024 * 1024 + REQUEST_MARGIN_BYTES  # the default COACHHUB_UPLOAD_MAX_BYTES and room
    assert app_limit < size_in_bytes(default_in_caddyfile) <= app_limit + 2 * 1024 * 1024


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
    config = [*command, "--env-file", str(empty_env_file), "-f", str(ROOT / "docker-compose.yml")]
    base_env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    required = {"SECRET_KEY": "x", "EMAIL_HOST": "smtp.example.com", "SITE_DOMAIN": "coachhub.example.com"}

    def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
        return subprocess.run([*config, *args], capture_output=True, text=True, env={**base_env, **env})

    result = run("config", "--quiet", env=required)
    assert result.returncode == 0, result.stderr

    # Without any one of the required variables it refuses to run, and names it.
    for name in required:
        result = run("config", "--quiet", env={key: value for key, value in required.items() if key != name})
        assert result.returncode != 0, name
        assert name in result.stderr

    # As compose reads it: the mail catcher is in the staging profile, on loopback; web publishes nothing.
    rendered = yaml.safe_load(run("config", env=required).stdout)["services"]
    assert rendered["mailpit"]["profiles"] == ["staging"]
    assert [str(port).split(":")[0] for port in rendered["mailpit"]["ports"]] == ["127.0.0.1"]
    assert "ports" not in rendered["web"]
    assert rendered["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    assert {port["published"] for port in rendered["caddy"]["ports"]} == {80, 443}
