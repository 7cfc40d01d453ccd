"""Settings: every variable documented, production settings pass `check --deploy`, no key no start."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-for-the-deploy-check-Qm9zZ3R1YWxseSByYW5kb20gYW5kIGxvbmcgZW5vdWdo",
    "HTTPS": "1",
    "ALLOWED_HOSTS": "coachhub.example.com",
    "SITE_URL": "https://coachhub.example.com",
}


def variables_read_by_settings() -> set[str]:
    """Names passed to env.str(), env.bool(), env.db() and the like in coachhub/settings.py."""
    tree = ast.parse((ROOT / "coachhub" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "env"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
    return names


def documented_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    """Run manage.py with only `env` (and the basics) set, data under `tmp_path`."""
    base = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "VAR_DIR": str(tmp_path / "var"),
        # Not a developer's own .env: only what the test sets.
        "ENV_FILE": str(tmp_path / "no.env"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_every_variable_settings_read_is_documented():
    read = variables_read_by_settings()

    assert {"DATABASE_URL", "SECRET_KEY", "CELERY_BROKER_URL", "SITE_URL"} <= read
    assert read - documented_variables() == set()


def test_every_documented_variable_has_a_comment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if match and not lines[index - 1].startswith("#"):
            raise AssertionError(f"{match.group(1)} in .env.example has no comment above it")


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_notices_insecure_settings(tmp_path):
    """The check above can fail: plain HTTP in production is reported."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "HTTPS": "0"}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


def test_settings_refuse_to_load_without_a_secret_key_when_debug_is_off(tmp_path):
    for env in [{"DEBUG": "0"}, {"DEBUG": "0", "SECRET_KEY": ""}, {}]:
        result = manage("check", env=env, tmp_path=tmp_path)

        assert result.returncode != 0
        assert "Set SECRET_KEY" in result.stderr


def test_local_development_needs_no_secret_key(tmp_path):
    result = manage("check", env={"DEBUG": "1"}, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "weak_key",
    [
        "x",
        "short-but-not-empty-key",
        "a" * 50,  # long, but hardly random
        "insecure-local-development-key",
        "django-insecure-" + "k3yFromStartproject0123456789abcdefgh",
    ],
)
def test_settings_refuse_a_weak_secret_key_when_debug_is_off(tmp_path, weak_key):
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": weak_key}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_a_long_random_secret_key_is_accepted(tmp_path):
    result = manage("check", env=PRODUCTION, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr


def test_a_short_key_is_fine_for_local_development(tmp_path):
    result = manage("check", env={"DEBUG": "1", "SECRET_KEY": "x"}, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("backend", ["filebased", "console"])
def test_production_refuses_a_mail_backend_that_delivers_nothing(tmp_path, backend):
    env = {**PRODUCTION, "EMAIL_BACKEND": f"django.core.mail.backends.{backend}.EmailBackend"}

    result = manage("check", env=env, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "delivers no mail" in result.stderr
    assert "ALLOW_UNDELIVERED_MAIL" in result.stderr


def test_production_keeps_mail_local_only_when_asked(tmp_path):
    env = {**PRODUCTION, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}

    result = manage("check", env={**env, "ALLOW_UNDELIVERED_MAIL": "1"}, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr


def test_production_sends_mail_over_smtp_by_default(tmp_path):
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"

    production = manage("shell", "-c", code, env=PRODUCTION, tmp_path=tmp_path)
    local = manage("shell", "-c", code, env={"DEBUG": "1"}, tmp_path=tmp_path)

    assert production.stdout.splitlines()[-1] == "django.core.mail.backends.smtp.EmailBackend", production.stderr
    assert local.stdout.splitlines()[-1] == "django.core.mail.backends.filebased.EmailBackend", local.stderr


def test_sessions_are_kept_in_the_database_and_read_through_the_cache(tmp_path):
    """Rows, so "Where you are signed in" can list and end them; cached, so a request needs no query."""
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"

    result = manage("shell", "-c", code, env=PRODUCTION, tmp_path=tmp_path)

    assert result.stdout.splitlines()[-1] == "django.contrib.sessions.backends.cached_db", result.stderr


# Collects static files, then asks for one as a browser that takes gzip would.
STATIC_REQUEST = """
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
url = staticfiles_storage.url("css/coachhub.css")
response = Client().get(url, secure=True, SERVER_NAME="coachhub.example.com", HTTP_ACCEPT_ENCODING="gzip")
print(url, response.status_code, response.get("Content-Encoding"), response["Cache-Control"])
"""


def test_production_serves_static_files_compressed_under_hashed_names_for_a_year(tmp_path):
    collected = manage("collectstatic", "--noinput", env=PRODUCTION, tmp_path=tmp_path)
    assert collected.returncode == 0, collected.stderr

    result = manage("shell", "-c", STATIC_REQUEST, env=PRODUCTION, tmp_path=tmp_path)

    url, status, encoding, cache_control = result.stdout.splitlines()[-1].split(maxsplit=3)
    assert re.fullmatch(r"/static/css/coachhub\.[0-9a-f]{12}\.css", url), result.stderr
    assert (status, encoding) == ("200", "gzip")
    assert "max-age=315360000" in cache_control and "immutable" in cache_control


def test_local_development_serves_static_files_without_collecting(tmp_path):
    code = "from django.contrib.staticfiles.storage import staticfiles_storage; print(staticfiles_storage.url('x.css'))"

    result = manage("shell", "-c", code, env={"DEBUG": "1"}, tmp_path=tmp_path)

    assert result.stdout.splitlines()[-1] == "/static/x.css", result.stderr
