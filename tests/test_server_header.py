"""Responses name no server software (Caddy drops its own and gunicorn's header, see the Caddyfile)."""

from django.urls import reverse


def test_pages_carry_no_server_header(client, coach):
    for response in [client.get(reverse("login")), client.get("/no-such-page/")]:
        assert "Server" not in response.headers
    client.force_login(coach)
    assert "Server" not in client.get(reverse("home"), follow=True).headers
