"""Small helpers every app's views share."""

import ipaddress

from django.conf import settings
from django.views.decorators.http import require_http_methods


def posted_data(request):
    """The submitted data for a form on POST, else None. An empty POST is still a submission, so the
    form shows its errors instead of coming back blank (`request.POST or None` would hide them)."""
    return request.POST if request.method == "POST" else None


def is_from_page_script(request) -> bool:
    """Sent by one of the pages' own scripts (fetch with this header), which wants a part of a page
    or JSON back rather than a whole page or a redirect."""
    return request.headers.get("X-Requested-With") == "fetch"


# Form pages: GET (and HEAD) shows the form, POST submits it; anything else answers 405.
require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])


def client_ip_address(request) -> str | None:
    """The address of the client that sent this request: the one login lockouts and mail limits count,
    and "Where you are signed in" shows. None if the request carries no valid address.

    Behind TRUSTED_PROXY_COUNT reverse proxies, REMOTE_ADDR is the nearest proxy, the same for every
    visitor. Each trusted proxy appends the address it was reached from to X-Forwarded-For, so the
    client is the entry that many places from the right. Entries further left came from the client
    itself and may be invented, so they are never used; nor is the header when no proxy is trusted.
    """
    remote_addr = _valid_address(request.META.get("REMOTE_ADDR"))
    proxy_count = settings.TRUSTED_PROXY_COUNT
    if proxy_count <= 0:
        return remote_addr
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxy_count:
        # Not through every proxy we were told of: nothing in the header can be trusted.
        return remote_addr
    return _valid_address(forwarded[-proxy_count]) or remote_addr


def _valid_address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


# A primary key no row has yet: the placeholder `path_for` reverses with.
_PLACEHOLDER_PK = 2_147_483_647


def path_for(name: str):
    """`reverse(name, args=[pk])` for the rows of a list at the cost of one reverse(): the pattern is
    reversed once with a placeholder key, and each row's path is that text with its own key in place."""
    from django.urls import reverse

    before, found, after = reverse(name, args=[_PLACEHOLDER_PK]).partition(str(_PLACEHOLDER_PK))
    if not found:
        raise ValueError(f"{name} does not print its key as given")
    return lambda pk: f"{before}{int(pk)}{after}"
