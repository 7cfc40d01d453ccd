"""Where a person is signed in: their sessions, the browsers they use, and what they were signed in as.

- Every sign-in is a `SignInSession` beside its Django session (browser, address, when), listed on
  "Where you are signed in", where the person can end any other one. `last_seen_at` is written at
  most every SEEN_EVERY, not on every request.
- A browser carries a long-lived signed device cookie holding a random id; an account keeps only
  hashes of the ids of the browsers it signed in with (`KnownDevice`). A sign-in from a browser new
  to the account mails the person a notice (if they want it), except for the account's very first.
- "Signed in as" is a signed cookie naming the account last signed in with this browser. It
  outlives the login by a day, so a page that posts after the login expired can tell whose typed
  text it holds (and an anonymous visitor, who cannot forge the signature, can tell nothing).
"""

import hashlib
import re
import secrets
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from coachhub.http import client_ip_address

from . import emails
from .models import KnownDevice, SignInSession, User

SIGNED_IN_AS_COOKIE = "coachhub_signed_in_as"
SIGNED_IN_AS_SALT = "coachhub.accounts.devices.signed-in-as"
# Valid a day longer than a login can last, and renewed on a signed-in request once a day old.
SIGNED_IN_AS_GRACE = timedelta(days=1)
SIGNED_IN_AS_RENEW_AFTER = timedelta(days=1)


def _signed_in_as_max_age() -> timedelta:
    return timedelta(seconds=settings.SESSION_COOKIE_AGE) + SIGNED_IN_AS_GRACE


def signed_in_as(request, *, max_age: timedelta | None = None) -> int | None:
    """The id of the account last signed in with this browser, if the cookie is genuine and recent."""
    value = request.get_signed_cookie(
        SIGNED_IN_AS_COOKIE, default=None, salt=SIGNED_IN_AS_SALT, max_age=max_age or _signed_in_as_max_age()
    )
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def remember_signed_in_as(request, response) -> None:
    """Name the signed-in account in this browser's cookie, unless a recent cookie names it already."""
    user = request.user
    if signed_in_as(request, max_age=SIGNED_IN_AS_RENEW_AFTER) == user.pk:
        return
    response.set_signed_cookie(
        SIGNED_IN_AS_COOKIE,
        str(user.pk),
        salt=SIGNED_IN_AS_SALT,
        max_age=int(_signed_in_as_max_age().total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_signed_in_as(response) -> None:
    """After someone logs out on purpose, this browser keeps no typed text for them."""
    response.delete_cookie(SIGNED_IN_AS_COOKIE, samesite="Lax")


# Set on the request by the logout signal; the middleware then forgets the account in the response.
SIGNED_OUT_ATTRIBUTE = "coachhub_signed_out"


def on_sign_out(sender, request, user, **kwargs) -> None:
    """Receiver of `user_logged_out`."""
    if request is not None:
        setattr(request, SIGNED_OUT_ATTRIBUTE, True)


# --- Sessions: "Where you are signed in" ------------------------------------------------------

SEEN_EVERY = timedelta(minutes=5)
SESSIONS_SHOWN = 50
USER_AGENT_KEPT = SignInSession._meta.get_field("user_agent").max_length


def _user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_KEPT]


def _seen_cache_key(session_key: str) -> str:
    return "coachhub:seen:" + hashlib.sha256(session_key.encode()).hexdigest()


def session_record(*, request, user: User, created_at=None) -> SignInSession | None:
    """Describe the session of `request` (a signed-in one) for "Where you are signed in"."""
    session_key = request.session.session_key
    if not session_key:
        return None
    now = timezone.now()
    fields = {"user": user, "user_agent": _user_agent(request), "ip": client_ip_address(request), "last_seen_at": now}
    try:
        with transaction.atomic():
            row, _created = SignInSession.objects.update_or_create(
                session_id=session_key, defaults=fields, create_defaults={**fields, "created_at": created_at or now}
            )
    except IntegrityError:  # the session was deleted meanwhile (ended from another browser)
        return None
    cache.set(_seen_cache_key(session_key), True, SEEN_EVERY.total_seconds())
    return row


def session_seen(*, request) -> None:
    """Note that the signed-in session of `request` is in use, at most once every SEEN_EVERY.

    A session without a row (it was signed in before rows were kept, or its key just changed with a
    password change) gets one here."""
    session_key = request.session.session_key
    if not session_key or not cache.add(_seen_cache_key(session_key), True, SEEN_EVERY.total_seconds()):
        return
    # One UPDATE in the usual case; the full record only when the row is missing.
    seen = {"last_seen_at": timezone.now(), "ip": client_ip_address(request), "user_agent": _user_agent(request)}
    if not SignInSession.objects.filter(session_id=session_key).update(**seen):
        session_record(request=request, user=request.user)


def sessions_of(user: User):
    """The person's sessions that still let someone in, newest first, at most SESSIONS_SHOWN."""
    return SignInSession.objects.for_user(user).live().order_by("-created_at", "-pk")[:SESSIONS_SHOWN]


@transaction.atomic
def session_end(*, user: User, pk: int, current_key: str | None) -> bool:
    """End one of the person's other sessions. False if there is no such session."""
    sessions = SignInSession.objects.for_user(user).filter(pk=pk).exclude(session_id=current_key)
    if not sessions.exists():
        return False
    _end_sessions(sessions.values_list("session_id", flat=True))
    return True


@transaction.atomic
def sessions_end_others(*, user: User, current_key: str | None) -> int:
    """End every session of the person but the current one; returns how many ended."""
    others = SignInSession.objects.for_user(user).exclude(session_id=current_key)
    keys = list(others.values_list("session_id", flat=True))
    _end_sessions(keys)
    return len(keys)


def _end_sessions(keys) -> None:
    """Delete Django sessions (their rows here go with them) and the copies the session engine keeps
    in the cache (cached_db), which would otherwise let the browser in until they expire."""
    keys = list(keys)
    Session.objects.filter(session_key__in=keys).delete()
    prefix = getattr(import_module(settings.SESSION_ENGINE).SessionStore, "cache_key_prefix", None)
    if prefix and keys:
        caches[settings.SESSION_CACHE_ALIAS].delete_many([prefix + key for key in keys])


def signed_in_at(*, session_key: str | None):
    """When the session with this key signed in, if it is described."""
    row = SignInSession.objects.filter(session_id=session_key).only("created_at").first() if session_key else None
    return row.created_at if row else None


def password_changed(*, request, user: User, signed_in_at=None) -> None:
    """After a password change, which gave the current session a new key: end every other session
    of the person and describe the current one again (it signed in at `signed_in_at`)."""
    sessions_end_others(user=user, current_key=request.session.session_key)
    session_record(request=request, user=user, created_at=signed_in_at)


def _drop_expired(user: User) -> None:
    """Delete the person's Django sessions that have expired (their rows go with them)."""
    expired = Session.objects.filter(
        session_key__in=SignInSession.objects.for_user(user).values("session_id"), expire_date__lte=timezone.now()
    )
    _end_sessions(expired.values_list("session_key", flat=True))


# --- Naming a browser ---------------------------------------------------------------------------

# First match wins: Edge, Opera and Samsung Internet also call themselves Chrome and Safari.
_BROWSERS = [
    (re.compile(r"Edg(e|A|iOS)?/"), "Edge"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"SamsungBrowser/"), "Samsung Internet"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"Chrome/|CriOS/|Chromium/"), "Chrome"),
    (re.compile(r"Version/[\d.]+.*Safari/"), "Safari"),
]
# iPhone and iPad before macOS (their agents say "like Mac OS X"); Android before Linux.
_SYSTEMS = [
    (re.compile(r"iPhone|iPod"), "iPhone"),
    (re.compile(r"iPad"), "iPad"),
    (re.compile(r"Android"), "Android"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Macintosh|Mac OS X"), "macOS"),
    (re.compile(r"Linux"), "Linux"),
]


def _first_match(patterns, text: str) -> str | None:
    return next((name for pattern, name in patterns if pattern.search(text)), None)


def device_name(user_agent: str) -> str:
    """A short name for the browser a User-Agent header describes, such as "Firefox on Windows"."""
    browser, system = _first_match(_BROWSERS, user_agent), _first_match(_SYSTEMS, user_agent)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser or system:
        return _("A browser on %(system)s") % {"system": system} if system else browser
    return _("An unknown browser")


# --- Known devices and the notice of a new one -----------------------------------------------------

DEVICE_COOKIE = "coachhub_device"
DEVICE_SALT = "coachhub.accounts.devices.device"
DEVICE_COOKIE_MAX_AGE = timedelta(days=365)
KNOWN_DEVICES_KEPT = 20
# Set on the request at sign-in; the middleware then (re)sets the device cookie in the response.
DEVICE_ID_ATTRIBUTE = "coachhub_device_id"


def _device_id(request) -> str | None:
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    return value if value and len(value) <= 64 else None


def _device_hash(device_id: str) -> str:
    return hashlib.sha256(device_id.encode()).hexdigest()


def set_device_cookie(request, response) -> None:
    device_id = getattr(request, DEVICE_ID_ATTRIBUTE, None)
    if device_id:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            device_id,
            salt=DEVICE_SALT,
            max_age=int(DEVICE_COOKIE_MAX_AGE.total_seconds()),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def _device_remembered(*, user: User, device_id: str) -> tuple[bool, bool]:
    """Remember the browser for the account; returns (new to the account, the account's first)."""
    now = timezone.now()
    known = KnownDevice.objects.filter(user=user)
    if known.filter(token_hash=_device_hash(device_id)).update(last_seen_at=now):
        return False, False
    first = not known.exists()
    _device, created = KnownDevice.objects.get_or_create(user=user, token_hash=_device_hash(device_id))
    # Keep the most recently used browsers only; a forgotten one counts as new when it returns.
    stale = known.order_by("-last_seen_at", "-pk").values_list("pk", flat=True)[KNOWN_DEVICES_KEPT:]
    KnownDevice.objects.filter(pk__in=list(stale)).delete()
    return created, first


def sign_in_recorded(*, request, user: User) -> None:
    """What happens at every sign-in. Steps:

    1. Drop the person's expired sessions; describe this one for "Where you are signed in".
    2. Recognise the browser by its device cookie (one without gets a new random id, which the
       middleware sets as a cookie) and remember it for the account.
    3. If the browser is new to an account that has signed in elsewhere before, and the person wants
       it, mail them a notice (the account's very first browser, e.g. right after sign-up, is not news).
    """
    _drop_expired(user)
    session = session_record(request=request, user=user)
    device_id = _device_id(request) or secrets.token_urlsafe(32)
    setattr(request, DEVICE_ID_ATTRIBUTE, device_id)
    new, first = _device_remembered(user=user, device_id=device_id)
    if new and not first and user.wants_sign_in_notices():
        new_device_notice(user=user, request=request, at=session.created_at if session else timezone.now())


def new_device_notice(*, user: User, request, at) -> None:
    """Queue the mail "New sign-in to your CoachHub account"; the worker sends it."""
    # Written here, in the request, from what only the request knows: in the owner's language.
    with translation.override(user.language):
        when = formats.date_format(timezone.localtime(at, user.tzinfo), "DATETIME_FORMAT")
        context = {
            "user": user,
            "device": device_name(_user_agent(request)),
            "when": f"{when} ({user.timezone})",
            "ip": client_ip_address(request) or _("unknown"),
            "sessions_url": settings.SITE_URL + reverse("account_sessions"),
            "reset_url": settings.SITE_URL + reverse("password_reset"),
        }
    emails.queue("new-sign-in", to=user.email, context=context, language=user.language)


def sign_in_notices_set(*, user: User, on: bool) -> User:
    user.sign_in_notices = on
    user.save(update_fields=["sign_in_notices"])
    return user


def on_sign_in(sender, request, user, **kwargs) -> None:
    """Receiver of `user_logged_in`."""
    if request is not None and hasattr(request, "session"):
        sign_in_recorded(request=request, user=user)
