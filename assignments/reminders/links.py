"""Links in reminder mails: absolute addresses from SITE_URL, and the signed unsubscribe token."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

UNSUBSCRIBE_SALT = "coachhub.reminders.unsubscribe"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def absolute_url(name: str, *args) -> str:
    return absolute(reverse(name, args=args))


def mail_domain() -> str:
    """The domain part of our Message-IDs: the site's host."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def unsubscribe_token(*, user_id: int, category: str) -> str:
    """Who and which category, signed; it needs no login and never expires (a mail may be read late)."""
    return signing.dumps([user_id, category], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        return None
    return value[0], value[1]


def unsubscribe_url(*, user_id: int, category: str) -> str:
    return absolute_url("reminders:unsubscribe:link", unsubscribe_token(user_id=user_id, category=category))
