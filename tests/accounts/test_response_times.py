"""Pages that may lead to a mail answer as fast for an address with an account as for one without:
the mail is queued for the worker (or not) after the same work, so timing reveals no account.

The only test here that measures time, because the issue is time itself: medians over 50
interleaved requests each, compared with each other, never with a fixed duration."""

import statistics
import time

import pytest
from django.urls import reverse

from coachhub.accounts import ratelimit
from tests.factories import UserFactory

REQUESTS = 50
# Noise on a busy 2-core machine is well under this; sending a mail inside the request took ~350 ms.
MAX_MEDIAN_GAP_MS = 5.0
PASSWORD = "calm-river-lantern-42"


@pytest.fixture(autouse=True)
def _no_limits(monkeypatch):
    """The limits would answer from the same code either way; lifted so that every known address
    really gets its mail queued."""
    for name in ("MAILS_PER_ADDRESS", "MAILS_PER_CLIENT", "SIGNUPS_PER_CLIENT"):
        limit = getattr(ratelimit, name)
        monkeypatch.setattr(ratelimit, name, ratelimit.Limit(limit.name, 10**6, limit.seconds))


def median_ms(client, path: str, data_for) -> tuple[float, float]:
    """Median milliseconds of POSTs for known and unknown addresses, alternating."""
    known, unknown = [], []
    for number in range(REQUESTS):
        for timings, is_known in ((known, True), (unknown, False)):
            data = data_for(number, is_known)
            started = time.perf_counter()
            response = client.post(path, data)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.content.decode()[:500]
    return statistics.median(known), statistics.median(unknown)


def check(known: float, unknown: float, what: str) -> None:
    print(f"{what}: known {known:.2f} ms, unknown {unknown:.2f} ms (median of {REQUESTS})")
    assert abs(known - unknown) < MAX_MEDIAN_GAP_MS, (what, known, unknown)


@pytest.fixture
def accounts(db):
    return [UserFactory(email=f"known{number}@example.com") for number in range(REQUESTS)]


def test_login_link_requests(client, accounts, tasks_queued):
    known, unknown = median_ms(
        client,
        reverse("login_link"),
        lambda n, is_known: {"email": f"{'known' if is_known else 'nobody'}{n}@example.com"},
    )
    check(known, unknown, "login link")
    assert len(tasks_queued()) == 2 * REQUESTS  # the worker decides, for both kinds


def test_password_reset_requests(client, accounts, tasks_queued):
    known, unknown = median_ms(
        client,
        reverse("password_reset"),
        lambda n, is_known: {"email": f"{'known' if is_known else 'nobody'}{n}@example.com"},
    )
    check(known, unknown, "password reset")
    assert len(tasks_queued()) == 2 * REQUESTS


def test_sign_ups(client, accounts, tasks_queued):
    def form(n, is_known):
        email = f"known{n}@example.com" if is_known else f"new{n}@example.com"
        return {
            "name": "Nora Newcoach",
            "email": email,
            "timezone": "UTC",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }

    known, unknown = median_ms(client, reverse("signup"), form)
    check(known, unknown, "sign-up")
