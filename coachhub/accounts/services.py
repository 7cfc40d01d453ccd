"""Writes for accounts: sign-up and its confirmation, a coachee's own account, settings, one-time
login links."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from sesame.utils import get_query_string

from . import emails
from .models import User

# Login-link tokens are only good for the login-link page, never for another use of django-sesame.
LOGIN_LINK_SCOPE = "login-link"


class AccountExists(Exception):
    """An account with this email exists already; nobody gets a second one."""


# --- Sign-up and confirming the address -----------------------------------------------------------


class EmailConfirmationTokens(PasswordResetTokenGenerator):
    """Tokens for the link that confirms a new coach's address. Valid for PASSWORD_RESET_TIMEOUT
    and only until the address is confirmed (or changed), so each link works once."""

    key_salt = "coachhub.accounts.EmailConfirmationTokens"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_confirmed_at}{timestamp}"


email_confirmation_tokens = EmailConfirmationTokens()


def email_confirmation_url(*, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_tokens.make_token(user)
    return f"{settings.SITE_URL}{reverse('confirm_email', args=[uid, token])}"


def email_confirmation_send(*, user: User) -> None:
    """Queue the mail with the link that confirms `user`'s address."""
    emails.queue(
        "confirm-email",
        to=user.email,
        context={"user": user, "link": email_confirmation_url(user=user)},
        language=user.language,
    )


def coach_sign_up(
    *,
    name: str,
    email: str,
    password: str,
    timezone: str,
    language: str = settings.LANGUAGE_CODE,
    send_mail: bool = True,
) -> None:
    """A visitor signs up as a coach. What happens depends on the address, and the visitor is not
    told which (the page says "check your inbox" either way):
    - a new address gets an account that waits for its owner to confirm the address (by the link
      mailed to it); until then no mail goes out on the coach's behalf;
    - an address with an unconfirmed coach account gets the confirmation link again;
    - an address with a confirmed account gets a note to its owner, not a second account.
    `send_mail` False (over the per-address mail limit) does the same without mailing.
    """
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = User.objects.create_user(
                    email=email,
                    password=password,
                    name=name,
                    timezone=timezone,
                    language=language,
                    role=User.Role.COACH,
                )
        except IntegrityError:  # the same address signed up a moment ago
            return
    else:
        make_password(password)  # the same work as a new account, so the answer comes as fast
    if not send_mail:
        return
    if existing.is_coach and not existing.email_confirmed:
        email_confirmation_send(user=existing)
    else:
        emails.queue("signup-account-exists", to=existing.email, context={"user": existing}, language=existing.language)


def email_confirm(*, user: User) -> User:
    """The owner of the address opened the link mailed to it."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = dj_timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user


# --- Coachees' own accounts ------------------------------------------------------------------------


def coachee_sign_up(
    *, name: str, email: str, password: str, timezone: str, language: str = settings.LANGUAGE_CODE
) -> User:
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
                language=language,
                role=User.Role.COACHEE,
                email_confirmed_at=dj_timezone.now(),
            )
    except IntegrityError as error:  # created by someone else a moment ago
        raise AccountExists(email) from error


def account_update(
    *, user: User, name: str, timezone: str, language: str | None = None, propose_homework: bool | None = None
) -> User:
    user.name, user.timezone = name, timezone
    user.language = language or user.language
    if propose_homework is not None:
        user.propose_homework = propose_homework
    user.save(update_fields=["name", "timezone", "language", "propose_homework"])
    return user


# --- One-time login links and password resets -----------------------------------------------------


def login_link_url(*, user: User) -> str:
    """An absolute one-time login link for `user` (valid for SESAME_MAX_AGE seconds)."""
    query = get_query_string(user, scope=LOGIN_LINK_SCOPE)
    return f"{settings.SITE_URL}{reverse('login_link_open')}{query}"


def login_link_request(*, email: str) -> bool:
    """Have the worker mail a login link to the active account with this address, if any. The
    worker decides whether there is one, so the request costs the same either way. Returns whether
    the request reached the worker's queue."""
    from .tasks import send_login_link

    return emails.enqueue(send_login_link, email)


def password_reset_request(*, email: str) -> bool:
    """As login_link_request, for Django's password-reset mail."""
    from .tasks import send_password_reset

    return emails.enqueue(send_password_reset, email)
