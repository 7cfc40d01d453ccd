"""How CoachHub's mail is written out and handed to the SMTP server.

Django writes a mail by building a tree of email.mime objects and flattening it with the email
package's generator, which folds every header line through an email.header.Header; the SMTP backend
then parses the sender and every recipient again. For a mail server on the same network that is
most of what sending a mail costs. `Mail` writes the usual shape of our mail (a text part and text
alternatives, UTF-8, no attachments) straight to bytes, the same bytes Django writes, and leaves
every other shape to Django. `EmailBackend` is Django's SMTP backend sending a `Mail` that way.
"""

import random
import re
import smtplib
import sys
from email.policy import Compat32
from email.utils import formatdate, make_msgid
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import smtp
from django.core.mail.message import (
    DNS_NAME,
    RFC5322_EMAIL_LINE_LENGTH_LIMIT,
    forbid_multi_line_headers,
    sanitize_address,
)


class _QuickFolding(Compat32):
    """The compat32 policy Django's mail is written with, minus the Header it builds to fold each
    line: a short line of plain ASCII comes out of that unchanged, so it is written as is; every
    other value takes compat32's own way."""

    def _fold(self, name, value, sanitize):
        if (
            isinstance(value, str)
            and self.max_line_length
            and len(name) + 2 + len(value) <= self.max_line_length
            and value.isascii()
            and value.isprintable()
            and value
            and " ".join(value.split()) == value
        ):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


QUICK_FOLDING = _QuickFolding()
_WIRE = QUICK_FOLDING.clone(linesep="\r\n")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what the email package's generator turns into CRLF
# Headers Django takes from the mail's own fields; a mail that overrides them is written by Django.
_OWN_HEADERS = {"from", "to", "cc", "reply-to"}
# A plain address (dot-atom@domain): the envelope form of it is itself.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})*"
)


class Mail(EmailMultiAlternatives):
    """A mail with a text part and an HTML (or other text) alternative."""

    def message(self):
        message = super().message()
        message.policy = QUICK_FOLDING
        return message

    def wire_form(self) -> tuple[str, list[str], bytes]:
        """(envelope sender, envelope recipients, the mail as sent): what Django's SMTP backend
        hands to smtplib for this mail, byte for byte, except the random MIME boundary."""
        encoding = self.encoding or settings.DEFAULT_CHARSET
        sender = _envelope_sender(self.from_email, encoding)
        recipients = [_envelope_recipient(address, encoding) for address in self.recipients()]
        data = self._written(encoding)
        if data is None:
            data = self.message().as_bytes(linesep="\r\n")
        return sender, recipients, data

    def _written(self, encoding: str) -> bytes | None:
        """The mail written directly, or None for a shape this does not cover."""
        texts = [self.body] + [alternative.content for alternative in self.alternatives]
        if (
            encoding != "utf-8"
            or not all(isinstance(text, str) for text in texts)
            or not self.body
            or self.attachments
            or self.cc
            or self.reply_to
            or not self.to
            or any(name.lower() in _OWN_HEADERS for name in self.extra_headers)
            or not all(alternative.mimetype.startswith("text/") for alternative in self.alternatives)
        ):
            return None
        parts = [_text_part(self.body, self.content_subtype)]
        parts += [_text_part(a.content, a.mimetype.split("/", 1)[1]) for a in self.alternatives]
        if None in parts:
            return None
        if not self.alternatives:
            return None  # a single part is not multipart: Django's way
        boundary = _boundary(parts)
        extra = {name.lower() for name in self.extra_headers}
        headers = [
            ("Content-Type", f'multipart/{self.alternative_subtype}; boundary="{boundary}"'),
            ("MIME-Version", "1.0"),
            ("Subject", self.subject),
            ("From", self.from_email),
            ("To", ", ".join(str(address) for address in self.to)),
        ]
        if "date" not in extra:
            headers.append(("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
        if "message-id" not in extra:
            headers.append(("Message-ID", make_msgid(domain=DNS_NAME)))
        headers += list(self.extra_headers.items())
        written = [_header(name, value, encoding) for name, value in headers]
        delimiter = b"--" + boundary.encode("ascii")
        written += [b"\r\n", delimiter, b"\r\n", parts[0]]
        for part in parts[1:]:
            written += [b"\r\n", delimiter, b"\r\n", part]
        written += [b"\r\n", delimiter, b"--\r\n"]
        return b"".join(written)


def _header(name: str, value, encoding: str) -> bytes:
    """One header line as Django sets it (checked, encoded when not ASCII) and compat32 folds it."""
    name, value = forbid_multi_line_headers(name, value, encoding)
    return _WIRE.fold_binary(name, value)


def _text_part(content: str, subtype: str) -> bytes | None:
    """A text part in UTF-8 as Django writes it, or None when Django would quote it (lines too long)."""
    if any(
        len(line.encode(errors="surrogateescape")) > RFC5322_EMAIL_LINE_LENGTH_LIMIT for line in content.splitlines()
    ):
        return None
    encoding = "7bit" if content.isascii() else "8bit"
    body = _LINE_BREAK.sub("\r\n", content).encode("utf-8", errors="surrogateescape")
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nMIME-Version: 1.0\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    ).encode("ascii") + body


def _boundary(parts: list[bytes]) -> str:
    """A boundary in the email package's form that occurs in none of the parts."""
    while True:
        boundary = f"==============={random.randrange(sys.maxsize):0{len(repr(sys.maxsize - 1))}d}=="
        if not any(b"--" + boundary.encode("ascii") in part for part in parts):
            return boundary


@lru_cache(maxsize=64)
def _envelope_sender(address: str, encoding: str) -> str:
    """Every mail has one of a few senders: each is parsed once."""
    return sanitize_address(address, encoding)


def _envelope_recipient(address, encoding: str) -> str:
    if isinstance(address, str) and _PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, encoding)


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend, sending a `Mail` in the form it writes itself."""

    def _send(self, email_message):
        if not isinstance(email_message, Mail):
            return super()._send(email_message)
        if not email_message.recipients():
            return False
        sender, recipients, data = email_message.wire_form()
        try:
            self.connection.sendmail(sender, recipients, data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
