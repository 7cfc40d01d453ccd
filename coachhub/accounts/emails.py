"""Mails about accounts, one small function per kind, and the helpers every app sends mail with.

Each kind of mail has three templates under templates/emails/: `<name>-subject.txt`,
`<name>-body.txt` (plain text) and `<name>-body.html`.

No mail is sent inside a web request: a request calls `queue()`, and the Celery worker renders and
sends (coachhub/accounts/tasks.py). A request that leads to a mail then takes as long as one that
does not, so its timing tells nobody whether an address has an account, and a slow mail server
never holds up a page.
"""

import logging
import smtplib

import css_inline
from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .models import User

logger = logging.getLogger(__name__)


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping: subjects and text bodies are not HTML,
    and "O'Neil & Partners" must arrive as typed."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


# Mail programs that drop a <style> block (many webmail clients) still get every rule, written into
# the elements' style attributes. The block stays too: its dark-mode rules cannot be written inline.
INLINER = css_inline.CSSInliner(keep_style_tags=True)


def render_html(template_name: str, context: dict) -> str:
    """An HTML mail body with its styles inlined (about 0.05 ms a mail)."""
    return INLINER.inline(render_to_string(template_name, context))


def message(name: str, *, to: str, context: dict, language: str | None = None) -> EmailMultiAlternatives:
    """The mail `name` to one address, rendered from its three templates in the recipient's
    `language` (the site's default when there is none)."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_text(f"emails/{name}-subject.txt", context).split())
        text = render_text(f"emails/{name}-body.txt", context)
        html = render_html(f"emails/{name}-body.html", context)
    mail = EmailMultiAlternatives(subject, text, to=[to])
    mail.attach_alternative(html, "text/html")
    return mail


def is_permanent(error: Exception) -> bool:
    """A 5xx refusal of this mail or its recipient. Everything else (4xx, no connection, a timeout,
    a refused login or sender, which are the server's or our configuration's) is worth retrying."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    return False


def send(name: str, *, to: str, context: dict, language: str | None = None) -> None:
    """Render and send mail `name` now. Only the worker calls this; requests call `queue()`."""
    message(name, to=to, context=context, language=language).send()


# --- Queueing for the worker --------------------------------------------------------------------
# A task message carries JSON, so model instances in a context travel as references and are loaded
# again in the worker. An object deleted in between means the mail has no reason to go any more.


def _reference(value):
    if isinstance(value, models.Model):
        return {"model": value._meta.label_lower, "pk": value.pk}
    return value


def resolve(context: dict) -> dict | None:
    """The context with its references loaded again; None if one of the objects is gone."""
    resolved = {}
    for key, value in context.items():
        if isinstance(value, dict) and set(value) == {"model", "pk"}:
            value = apps.get_model(value["model"])._default_manager.filter(pk=value["pk"]).first()
            if value is None:
                return None
        resolved[key] = value
    return resolved


def queue(name: str, *, to: str, context: dict, language: str) -> None:
    """Have the worker send mail `name`, in `language`, once the current transaction commits."""
    from .tasks import deliver

    payload = {key: _reference(value) for key, value in context.items()}
    transaction.on_commit(lambda: enqueue(deliver, name, to, payload, language))


def enqueue(task, *args) -> bool:
    """Hand a task to the broker. If the broker cannot be reached the mail is lost, and the page
    still answers: every mail queued this way can be asked for again (a login link, a reset, a
    resent invitation). Returns whether the task was handed over."""
    try:
        task.delay(*args)
    except Exception:
        logger.exception("Could not queue %s", task.name)
        return False
    return True


# --- The kinds ----------------------------------------------------------------------------------


def login_link(*, user: User, link: str) -> None:
    send(
        "login-link",
        to=user.email,
        context={"user": user, "link": link, "minutes": settings.SESAME_MAX_AGE // 60},
        language=user.language,
    )
