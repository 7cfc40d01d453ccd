"""Writes for accounts: sign-up, a coachee's own account, settings, one-time login links."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone as dj_timezone
from sesame.utils import get_query_string

from . import emails
from .models import User

logger = logging.getLogger(__name__)

# Login-link tokens are only good for the login-link page, never for another use of django-sesame.
LOGIN_LINK_SCOPE = "login-link"


class AccountExists(Exception):
    """An account with this email exists already; nobody gets a second one."""


@transaction.atomic
def coach_sign_up(*, name: str, email: str, password: str, timezone: str) -> User:
    return User.objects.create_user(email=email, password=password, name=name, timezone=timezone, role=User.Role.COACH)


def coachee_sign_up(*, name: str, email: str, password: str, timezone: str) -> User:
    """The login of a coachee who accepted an invitation. Raises AccountExists if the email is taken."""
    if User.objects.filter(email__iexact=email).exists():
        raise AccountExists(email)
    try:
        with transaction.atomic():  # a savepoint, so a lost race leaves the caller's transaction usable
            # The invitation reached them at this address, which proves it.
            return User.objects.create_user(
                email=email,
                password=password,
                name=name,
                timezone=timezone,
                role=User.Role.COACHEE,
                email_confirmed_at=dj_timezone.now(),
            )
    except IntegrityError as error:  # created by someone else a moment ago
        raise AccountExists(email) from error


def account_update(*, user: User, name: str, timezone: str) -> User:
    user.name, user.timezone = name, timezone
    user.save(update_fields=["name", "timezone"])
    return user


def login_link_url(*, user: User) -> str:
    """An absolute one-time login link for `user` (valid for SESAME_MAX_AGE seconds)."""
    query = get_query_string(user, scope=LOGIN_LINK_SCOPE)
    return f"{settings.SITE_URL}{reverse('login_link_open')}{query}"


def login_link_send(*, user: User) -> bool:
    """Mail `user` a one-time login link. A mail that cannot be sent is logged; returns whether it went."""
    try:
        emails.login_link(user=user, link=login_link_url(user=user))
    except Exception:
        logger.exception("Could not send a login link to user %s", user.pk)
        return False
    return True
