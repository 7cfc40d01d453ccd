"""Login lockouts and mail limits count each client, also behind the proxy docker-compose puts in front:
the address comes from X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says proxies write it."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from coachhub.http import client_ip_address
from tests.accounts.test_login_link import ask_for_link
from tests.factories import PASSWORD, UserFactory

PROXY = "172.18.0.5"  # the proxy's address: REMOTE_ADDR of every request that passed it
CLIENT_A = "203.0.113.7"
CLIENT_B = "198.51.100.2"


def from_client(address: str) -> dict:
    """What a request from `address` looks like once the proxy has passed it on."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


def login(client, email: str, password: str, **meta):
    return client.post(reverse("login"), {"username": email, "password": password}, **meta)


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.mark.parametrize(
    ("proxy_count", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": PROXY}, PROXY),
        (0, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": CLIENT_A}, PROXY),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": CLIENT_A}, CLIENT_A),
        # What the client itself sent stands left of what the proxy appended, and is not believed.
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"10.9.9.9, {CLIENT_A}"}, CLIENT_A),
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"10.9.9.9, {CLIENT_A}, 10.0.0.2"}, CLIENT_A),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
        # A request that did not pass the proxy, or a header that holds no address: the direct peer.
        (1, {"REMOTE_ADDR": PROXY}, PROXY),
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": CLIENT_A}, PROXY),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
    ],
)
def test_the_client_address(settings, proxy_count, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxy_count
    request = RequestFactory().get("/", **meta)

    assert client_ip_address(request) == expected


def test_behind_the_proxy_a_lockout_from_one_client_leaves_the_coach_free_elsewhere(client, coach, one_proxy):
    for _ in range(4):
        assert login(client, coach.email, "not-the-password", **from_client(CLIENT_A)).status_code == 200
    assert login(client, coach.email, "not-the-password", **from_client(CLIENT_A)).status_code == 429

    response = login(client, coach.email, PASSWORD, **from_client(CLIENT_B))

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coach.pk)


def test_behind_the_proxy_the_attacking_client_stays_locked_out(client, coach, one_proxy):
    for number in range(5):
        # Inventing an address in front of the real one does not make a fresh client.
        login(client, coach.email, "not-the-password", **from_client(f"10.0.0.{number}, {CLIENT_A}"))

    response = login(client, coach.email, PASSWORD, **from_client(f"10.0.1.1, {CLIENT_A}"))

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_lockout(client, coach, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(5):
        login(client, coach.email, "not-the-password", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")

    response = login(client, coach.email, PASSWORD, HTTP_X_FORWARDED_FOR=CLIENT_B)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_the_proxy_link_requests_from_one_client_do_not_block_another(client, db, mailoutbox, one_proxy):
    users = [UserFactory() for _ in range(22)]
    for user in users[:20]:
        ask_for_link(client, user.email, **from_client(CLIENT_A))
    ask_for_link(client, users[20].email, **from_client(CLIENT_A))
    assert len(mailoutbox) == 20  # client A has used up its requests

    response = ask_for_link(client, users[21].email, **from_client(CLIENT_B))

    assert response["Location"] == reverse("login_link_sent")
    assert [mail.to for mail in mailoutbox[20:]] == [[users[21].email]]


def test_without_a_trusted_proxy_forged_headers_do_not_escape_the_link_limit(client, db, mailoutbox, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    users = [UserFactory() for _ in range(21)]
    for number, user in enumerate(users):
        ask_for_link(client, user.email, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")

    assert len(mailoutbox) == 20
