"""Limits on mails a visitor can ask for (login links, password resets, new invitation links,
sign-up mails) and on sign-ups.

Counts live in Django's cache, which every web process shares (CACHE_URL). Each bucket keeps the
times of its recent requests, so "3 in 15 minutes" means exactly that, with no reset at a window
edge. Reading and writing a bucket is not one atomic step: two requests in the same instant may
both pass the last free place. That is good enough to stop flooding an inbox.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache

from coachhub.http import client_ip_address


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    seconds: int


# Mails to one address, asked for by a visitor: login links, password resets, new invitation links
# and sign-up mails together.
MAILS_PER_ADDRESS = Limit("mails-per-address", 3, 15 * 60)
# Mail requests from one client address, whatever the recipient.
MAILS_PER_CLIENT = Limit("mails-per-client", 20, 60 * 60)
# Sign-ups from one client address: enough for a team signing up from one office.
SIGNUPS_PER_CLIENT = Limit("signups-per-client", 10, 60 * 60)


def _cache_key(limit: Limit, value: str) -> str:
    # Hashed: the cache holds no email or IP address in plain text.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
    return f"ratelimit:{limit.name}:{digest}"


def allow(*buckets: tuple[Limit, str]) -> bool:
    """Count one request in each (limit, value) bucket and return True; or, when any bucket is
    full, count nothing and return False."""
    now = time.time()
    recent = {}
    for limit, value in buckets:
        key = _cache_key(limit, value)
        times = [t for t in cache.get(key, []) if t > now - limit.seconds]
        if len(times) >= limit.limit:
            return False
        recent[key] = (limit, times)
    for key, (limit, times) in recent.items():
        cache.set(key, [*times, now], timeout=limit.seconds)
    return True


def allow_mail_request(request, *, address: str) -> bool:
    """May this visitor make us send one more mail to `address`?"""
    return allow((MAILS_PER_ADDRESS, address), (MAILS_PER_CLIENT, _client(request)))


def allow_sign_up(request) -> bool:
    """May this visitor sign up once more?"""
    return allow((SIGNUPS_PER_CLIENT, _client(request)))


def _client(request) -> str:
    return client_ip_address(request) or "unknown"
