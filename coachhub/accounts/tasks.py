"""The worker's side of account mail: every mail a request asks for is sent here (see emails.py).

A mail server that is down or answers "try later" gets the mail again with growing pauses; one that
refuses the mail or its recipient for good (5xx) is not asked again.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from . import emails, services
from .models import User

logger = logging.getLogger(__name__)

MAIL_RETRIES = 5


def send_or_retry(task, send) -> None:
    """Call `send()`; after a passing failure have Celery try again later (1, 2, 4, ... minutes)."""
    try:
        send()
    except Exception as error:
        if emails.is_permanent(error):
            logger.warning("Mail refused for good by the server (%s): %s", task.name, error)
            return
        raise task.retry(exc=error, countdown=60 * 2**task.request.retries) from error


@shared_task(bind=True, acks_late=True, max_retries=MAIL_RETRIES)
def deliver(self, name: str, to: str, context: dict, language: str | None = None) -> None:
    """Send mail `name` in `language`, queued by emails.queue()."""
    resolved = emails.resolve(context)
    if resolved is None:
        logger.info("Mail %s not sent: what it was about no longer exists", name)
        return
    send_or_retry(self, lambda: emails.send(name, to=to, context=resolved, language=language))


@shared_task(bind=True, acks_late=True, max_retries=MAIL_RETRIES)
def send_login_link(self, email: str) -> None:
    """A one-time login link for the active account with this address, if there is one. The
    request that asked only checked the rate limits; whether anybody gets mail is decided here."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    send_or_retry(self, lambda: emails.login_link(user=user, link=services.login_link_url(user=user)))


class RecipientLanguagePasswordResetForm(PasswordResetForm):
    """Django's reset mail, written in the language of the account it goes to."""

    def send_mail(self, *args, **kwargs):
        context = args[2] if len(args) > 2 else kwargs["context"]
        with translation.override(context["user"].language):
            super().send_mail(*args, **kwargs)


@shared_task(bind=True, acks_late=True, max_retries=MAIL_RETRIES)
def send_password_reset(self, email: str) -> None:
    """Django's password-reset mail for the active accounts with this address (none for an unknown
    address), with links that start with SITE_URL."""
    form = RecipientLanguagePasswordResetForm({"email": email})
    if not form.is_valid():
        return
    scheme, _, domain = settings.SITE_URL.partition("://")
    send_or_retry(
        self,
        lambda: form.save(
            domain_override=domain,
            use_https=scheme == "https",
            extra_email_context={"site_url": settings.SITE_URL},
        ),
    )
