"""Mails about accounts, one small function per kind, and the helper every app sends mail with.

Each kind of mail has three templates under templates/emails/: `<name>-subject.txt`,
`<name>-body.txt` (plain text) and `<name>-body.html`.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .models import User


def send(name: str, *, to: str, context: dict) -> None:
    """Render the three templates of mail `name` and send it to one address.

    Sending is synchronous: the SMTP backend gives up after EMAIL_TIMEOUT seconds and raises, and
    the caller decides what a failure means to the person waiting.
    """
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    text = render_to_string(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def login_link(*, user: User, link: str) -> None:
    send(
        "login-link",
        to=user.email,
        context={"user": user, "link": link, "minutes": settings.SESAME_MAX_AGE // 60},
    )
