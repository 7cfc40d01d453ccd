"""How django-axes names the account behind a login attempt."""


def axes_username(request, credentials=None) -> str | None:
    """The email as the login form received it, trimmed and in lower case.

    Logins match email without regard to case, so the lockout must too: otherwise
    "Coach@Example.com" would get five fresh attempts after "coach@example.com" used up its own.
    """
    source = credentials or getattr(request, "POST", None) or {}
    username = source.get("username")
    return username.strip().lower() if isinstance(username, str) else username
