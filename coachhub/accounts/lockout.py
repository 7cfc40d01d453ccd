"""How django-axes names the account behind a login attempt."""

import hashlib


def axes_username(request, credentials=None) -> str | None:
    """The email as the login form received it, trimmed and in lower case; for a one-time login
    link, a name for that link.

    Logins match email without regard to case, so the lockout must too: otherwise
    "Coach@Example.com" would get five fresh attempts after "coach@example.com" used up its own.

    A login link carries no email. Its failures count per link (named by a hash of its token, so no
    token is stored): several people behind one shared address pressing expired links must not
    lock every good link from there out.
    """
    source = credentials or getattr(request, "POST", None) or {}
    token = source.get("sesame")
    if isinstance(token, str) and token:
        return "login-link:" + hashlib.sha256(token.encode()).hexdigest()[:24]
    username = source.get("username")
    return username.strip().lower() if isinstance(username, str) else username
