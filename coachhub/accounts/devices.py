"""Where a person is signed in: the browsers they use and what they were signed in as.

"Signed in as" is a signed cookie naming the account last signed in with this browser. It outlives
the login by a day, so a page that posts after the login expired can tell whose typed text it holds
(and an anonymous visitor, who cannot forge the signature, can tell nothing).
"""

from datetime import timedelta

from django.conf import settings

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
