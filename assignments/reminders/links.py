"""Links in reminder mails: absolute addresses from SITE_URL, and the signed unsubscribe token."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import NoReverseMatch, reverse

UNSUBSCRIBE_SALT = "coachhub.reminders.unsubscribe"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def absolute_url(name: str, *args) -> str:
    return absolute(reverse(name, args=args))


class Links:
    """absolute_url for the many links of one batch of mails, reversing each URL name once: a link
    without arguments is kept; for one whole-number argument (an object's pk) the path is reversed
    with a marker in its place, and used once it has given the same link as reverse() did for a
    real pk. A name whose path writes its number otherwise is reversed every time."""

    MARKER = 918273645546372819

    def __init__(self):
        self.fixed = {}
        self.paths = {}

    def url(self, name: str, *args) -> str:
        if not args:
            if name not in self.fixed:
                self.fixed[name] = absolute_url(name)
            return self.fixed[name]
        [arg] = args
        if type(arg) is not int or arg < 0:
            return absolute_url(name, *args)
        if name not in self.paths:
            link = absolute_url(name, arg)
            self.paths[name] = self._split(name, arg, link)
            return link
        parts = self.paths[name]
        return f"{parts[0]}{arg}{parts[1]}" if parts else absolute_url(name, arg)

    def _split(self, name: str, arg: int, link: str) -> tuple[str, str] | None:
        try:
            with_marker = absolute_url(name, self.MARKER)
        except NoReverseMatch:  # a path that takes fewer digits
            return None
        before, marker, after = with_marker.partition(str(self.MARKER))
        if not marker or f"{before}{arg}{after}" != link:
            return None
        return before, after


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
