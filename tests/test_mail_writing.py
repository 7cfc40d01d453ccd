"""Mail is written out faster than Django's default (`Mail`), byte for byte the same."""

import re
from email.policy import compat32

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from hypothesis import given
from hypothesis import strategies as st

from coachhub.mail import QUICK_FOLDING, Mail

HEADER_NAMES = ["Subject", "To", "From", "Message-ID", "List-Unsubscribe", "X-A-Rather-Long-Header-Name-Here"]
# Printable ASCII with runs of spaces and tabs, some non-ASCII and line breaks: what the shortcut
# takes and what it must leave to compat32.
VALUES = st.text(alphabet=st.characters(codec="ascii") | st.sampled_from(" \t\r\néü€"), max_size=120)


@given(name=st.sampled_from(HEADER_NAMES), value=VALUES)
def test_a_header_is_folded_as_compat32_folds_it(name, value):
    def fold(policy):
        try:
            return policy.clone(linesep="\r\n").fold_binary(name, value)
        except Exception as error:  # compat32 refuses some values; the same must then be refused
            return type(error)

    assert fold(QUICK_FOLDING) == fold(compat32)


def _written(mail_class, **fields) -> bytes:
    mail = mail_class(
        fields.get("subject", "New homework from Cody O'Neil & Partners: Weekly reflection"),
        "Hello Ada,\n\nYour homework: https://coachhub.example.com/me/homework/1/\n",
        "CoachHub <noreply@coachhub.example.com>",
        [fields.get("to", "ada@example.com")],
        headers={
            "Date": "Mon, 30 Nov 2026 01:05:44 -0000",
            "Message-ID": "<reminder-1@coachhub.example.com>",
            "List-Unsubscribe": "<https://coachhub.example.com/reminders/unsubscribe/WzIsIm5ld19hc3NpZ25tZW50Il0:1x"
            "Xppw:O96qYL0aha9peuaScJJLTZpmKvqu8rJgJPTolHVqySE/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    mail.attach_alternative(fields.get("html", "<p>Hello Ada,</p>"), "text/html")
    message = mail.message()
    message.set_boundary("boundary")
    return message.as_bytes(linesep="\r\n")


def test_a_whole_mail_is_written_as_django_writes_it():
    cases = [
        {},
        {"subject": "Neue Hausaufgabe von Jürgen Müller: Wöchentliche Reflexion über das, was war"},
        {"subject": "A subject long enough that compat32 has to fold it onto a second line of the header"},
        {"to": "Zoë <zoe@example.com>", "html": "<p>Grüße, " + "x" * 1200 + "</p>"},
    ]
    for fields in cases:
        assert _written(Mail, **fields) == _written(EmailMultiAlternatives, **fields)


def _normalized(data: bytes) -> bytes:
    """The mail with its random MIME boundary replaced by a fixed one."""
    boundary = re.search(rb'boundary="([^"]+)"', data).group(1)
    return data.replace(boundary, b"BOUNDARY")


def _sent_by_django(mail) -> tuple[str, list[str], bytes]:
    """What Django's own SMTP backend hands to smtplib for `mail`."""
    sender = sanitize_address(mail.from_email, "utf-8")
    recipients = [sanitize_address(address, "utf-8") for address in mail.recipients()]
    return sender, recipients, EmailMultiAlternatives.message(mail).as_bytes(linesep="\r\n")


def _compare(**fields):
    """`Mail` sends what Django's backend sends (the same error for a value Django refuses), up to
    the random MIME boundary and a Message-ID Django makes up."""
    mail = Mail(**fields)
    try:
        expected = _sent_by_django(mail)
    except Exception as error:
        with pytest.raises(type(error)):
            mail.wire_form()
        return
    sender, recipients, data = mail.wire_form()
    assert (sender, recipients) == expected[:2]
    if "Message-ID" not in mail.extra_headers:
        expected_data = re.sub(rb"Message-ID: <[^>]+>", b"Message-ID: <x>", expected[2])
        data = re.sub(rb"Message-ID: <[^>]+>", b"Message-ID: <x>", data)
    else:
        expected_data = expected[2]
    if mail.alternatives:
        expected_data, data = _normalized(expected_data), _normalized(data)
    assert data == expected_data


# Text with what changes how a mail is written: non-ASCII, every kind of line break, dots and
# "From " at line starts, and (sometimes) lines too long for 8bit.
PIECES = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30) | st.sampled_from(
    ["\r\n", "\n", "\r", ".", "From ", "x" * 999, "é" * 500]
)
BODIES = st.lists(PIECES, max_size=8).map("".join)
SUBJECTS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.just(" "), max_size=150)
ADDRESSES = st.sampled_from(
    [
        "ada@example.com",
        "Ada.King@Example.COM",
        "x@a-b.example",
        "Ada Lovelace <ada@example.com>",
        "Zoë <zoe@example.com>",
        "o'neil@bücher.example",
        "a.b+c@x.io",
    ]
)


@given(
    subject=SUBJECTS,
    body=BODIES.filter(bool),
    html=BODIES,
    to=st.lists(ADDRESSES, min_size=1, max_size=3),
    from_email=ADDRESSES,
    message_id=st.sampled_from([None, "<reminder-7@coachhub.example.com>"]),
)
def test_a_mail_is_sent_as_djangos_smtp_backend_sends_it(subject, body, html, to, from_email, message_id):
    headers = {
        "Date": "Mon, 30 Nov 2026 01:05:44 -0000",
        "List-Unsubscribe": "<https://coachhub.example.com/reminders/unsubscribe/WzIsIm5ldyJd:1x:O96qYL0/>",
    }
    if message_id:
        headers["Message-ID"] = message_id
    _compare(
        subject=subject, body=body, to=to, from_email=from_email, headers=headers, alternatives=[(html, "text/html")]
    )


@given(
    address=st.text(alphabet=st.characters(codec="ascii") | st.sampled_from("é@."), min_size=1, max_size=80) | ADDRESSES
)
def test_the_envelope_names_sender_and_recipients_as_djangos_backend_does(address):
    headers = {"Date": "Mon, 30 Nov 2026 01:05:44 -0000"}
    _compare(subject="Hi", body="Hello", to=[address], from_email=address, headers=headers)
    _compare(subject="Hi", body="Hello", to=[address], headers=headers, alternatives=[("<p>Hello</p>", "text/html")])
