"""Sending a batch: one SMTP connection, a Message-ID derived from the row, one-click unsubscribe
headers; transient failures are retried with backoff, permanent ones recorded and not retried."""

import smtplib
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from celery.exceptions import Retry
from django.utils import timezone, translation
from django.utils.formats import date_format

from assignments.reminders import services, tasks
from assignments.reminders.models import Kind, Reminder
from tests.factories import AssignmentFactory, CoacheeFactory, CoacheeUserFactory

from .conftest import NOW, deliver
from .mailers import Script


@pytest.fixture
def scripted(settings):
    settings.EMAIL_BACKEND = "tests.reminders.mailers.ScriptedBackend"
    Script.reset()
    yield Script
    Script.reset()


@pytest.fixture
def batch(coachee, next_session, clock):
    """Three new-homework mails, due now, planned into the outbox."""
    for title in ("One", "Two", "Three"):
        AssignmentFactory(coachee=coachee, assigned_at=NOW, title=title)
    services.reminders_plan(now=NOW)
    return services.reminders_due(now=NOW)


def test_every_mail_carries_its_rows_message_id_and_unsubscribe_headers(coachee, homework, clock, settings):
    settings.SITE_URL = "https://coachhub.example.com"

    [sent] = deliver(NOW)

    headers = sent.message.extra_headers
    assert headers["Message-ID"] == f"<reminder-{sent.reminder.pk}@coachhub.example.com>"
    assert sent.reminder.message_id == headers["Message-ID"]
    unsubscribe = headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://coachhub.example.com/reminders/unsubscribe/") and unsubscribe.endswith(">")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in sent.message.body  # the same link in the text
    assert headers["Auto-Submitted"] == "auto-generated"
    # The header really ends up in the mail as sent.
    assert f"Message-ID: {headers['Message-ID']}" in sent.message.message().as_string()


def test_a_batch_goes_over_one_connection(scripted, batch):
    result = services.reminders_send(ids=batch, now=NOW)

    assert scripted.opened == 1
    assert len(scripted.sent) == 3 and len(result.sent) == 3
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPDataError(451, b"4.3.0 Try again later"),
        smtplib.SMTPRecipientsRefused({"cody@example.com": (450, b"Mailbox busy")}),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
    ],
    ids=["451", "450-recipient", "disconnected", "refused", "timeout"],
)
def test_a_transient_failure_puts_the_row_back_with_backoff_and_retries_the_rest(scripted, batch, error):
    scripted.failures = [None, error]

    result = services.reminders_send(ids=batch, now=NOW)

    first, second, third = (Reminder.objects.get(pk=pk) for pk in batch)
    assert first.status == Reminder.Status.SENT
    assert second.status == Reminder.Status.PENDING
    assert second.attempts == 1 and second.due_at == NOW + timedelta(minutes=1)
    assert second.enqueued_at is None and type(error).__name__ in second.last_error
    assert third.status == Reminder.Status.PENDING and third.attempts == 0  # never claimed
    assert result.retry_ids == batch[1:] and result.retry_in == timedelta(minutes=1)


def test_the_backoff_doubles_and_the_row_is_sent_once_the_server_recovers(scripted, batch):
    scripted.failures = [smtplib.SMTPDataError(451, b"later")] * 3
    at = NOW
    delays = []
    for _ in range(3):
        result = services.reminders_send(ids=batch, now=at)
        delays.append(result.retry_in)
        at = at + result.retry_in

    result = services.reminders_send(ids=batch, now=at)

    assert delays == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert len(result.sent) == 3 and len(scripted.sent) == 3


def test_the_server_down_when_connecting(scripted, batch):
    scripted.fail_open = ConnectionRefusedError(111, "Connection refused")

    result = services.reminders_send(ids=batch, now=NOW)

    assert result.retry_ids == batch
    assert Reminder.objects.get(pk=batch[0]).status == Reminder.Status.PENDING


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"cody@example.com": (550, b"5.1.1 No such user")}),
        smtplib.SMTPDataError(554, b"5.7.1 Rejected as spam"),
    ],
    ids=["550-recipient", "554-data"],
)
def test_a_permanent_refusal_is_recorded_and_not_retried(scripted, batch, error):
    scripted.failures = [error]

    result = services.reminders_send(ids=batch, now=NOW)

    refused = Reminder.objects.get(pk=batch[0])
    assert refused.status == Reminder.Status.FAILED and str(error.args[0]) in refused.last_error
    assert result.failed == [batch[0]] and result.retry_ids == []
    assert len(scripted.sent) == 2  # the rest of the batch went out
    assert services.reminders_due(now=NOW + timedelta(days=1)) == []


def test_the_send_task_asks_celery_to_retry_the_rest_later(scripted, batch, monkeypatch):
    """What the task hands to Celery's retry (the integration tests run a real retry)."""
    scripted.failures = [None, smtplib.SMTPDataError(451, b"later")]
    asked = {}

    def retry(**options):
        asked.update(options)
        return Retry()

    monkeypatch.setattr(tasks.send_reminders._get_current_object(), "retry", retry)
    with pytest.raises(Retry):
        tasks.send_reminders(batch, now=NOW.isoformat())

    assert asked == {"args": [batch[1:]], "kwargs": {"now": NOW.isoformat()}, "countdown": 60.0}


def test_a_claim_never_completed_expires_and_the_mail_keeps_its_message_id(coachee, homework, clock):
    """A worker died after claiming the row (after sending or before): after the claim expires the
    sweep hands it out again and the mail has the same Message-ID, so a resend is recognisable."""
    services.reminders_plan(now=NOW)
    [reminder_id] = services.reminders_due(now=NOW)
    assert services.reminder_claim(reminder_id=reminder_id, now=NOW)  # ... and the worker dies

    assert services.reminders_due(now=NOW + timedelta(minutes=9)) == []
    assert services.reminders_due(now=NOW + services.CLAIM_TIMEOUT) == [reminder_id]
    [sent] = deliver(clock.move_to(NOW + services.CLAIM_TIMEOUT))

    assert (
        sent.reminder.pk == reminder_id
        and sent.message.extra_headers["Message-ID"] == f"<reminder-{reminder_id}@127.0.0.1>"
    )
    assert sent.reminder.attempts == 2


def test_a_row_that_keeps_killing_its_sender_is_given_up(coachee, homework, clock):
    services.reminders_plan(now=NOW)
    [reminder_id] = services.reminders_due(now=NOW)
    at = NOW
    for _ in range(services.MAX_ATTEMPTS):
        assert services.reminder_claim(reminder_id=reminder_id, now=at)
        at += services.CLAIM_TIMEOUT

    assert not services.reminder_claim(reminder_id=reminder_id, now=at)
    assert tasks.sweep(now=at.isoformat())["given_up"] == 1
    assert Reminder.objects.get(pk=reminder_id).status == Reminder.Status.FAILED


def test_a_row_handed_out_is_not_handed_out_again_until_the_claim_timeout(coachee, homework, clock, handed_out):
    tasks.sweep(now=NOW.isoformat())
    tasks.sweep(now=(NOW + timedelta(minutes=1)).isoformat())
    assert len(handed_out) == 1  # the worker has not taken it yet; no second copy in the queue

    tasks.sweep(now=(NOW + services.REQUEUE_AFTER).isoformat())
    assert len(handed_out) == 2


def test_sending_in_quiet_hours_after_an_outage_waits_for_the_morning(coachee, homework, clock):
    """Planned at 10:00, but the workers were down until 23:00: the mail waits for 08:00."""
    services.reminders_plan(now=NOW)
    late = clock.move_to(NOW.replace(hour=22))  # 23:00 in Berlin

    assert deliver(late) == []
    reminder = Reminder.objects.get(kind=Kind.NEW_ASSIGNMENT)
    assert reminder.status == Reminder.Status.PENDING and reminder.attempts == 0
    assert reminder.due_at == NOW.replace(hour=7) + timedelta(days=1)


def test_an_error_mid_batch_still_records_the_mails_sent_before_it(scripted, batch, monkeypatch):
    """The record of what was sent is written after the batch, also when the batch breaks off with
    an error (here the second mail cannot be rendered): the first mail is not sent twice."""
    render = services.emails.reminder_message

    def second_breaks(reminder, loaded):
        if reminder.pk == batch[1]:
            raise RuntimeError("broken template")
        return render(reminder, loaded)

    monkeypatch.setattr(services.emails, "reminder_message", second_breaks)
    with pytest.raises(RuntimeError):
        services.reminders_send(ids=batch, now=NOW)

    first, second = (Reminder.objects.get(pk=pk) for pk in batch[:2])
    assert len(scripted.sent) == 1
    assert first.status == Reminder.Status.SENT and first.message_id == f"<reminder-{first.pk}@127.0.0.1>"
    assert second.status == Reminder.Status.CLAIMED  # the sweep hands it out again when the claim expires


def test_each_mail_of_a_batch_speaks_its_recipients_language(coach, clock):
    """One batch, two coachees who chose different languages: each mail in its recipient's (the
    page's lang, and the day it is due named as Django says it in that language)."""
    due = NOW + timedelta(days=4)
    for language in ("nl", "en"):
        user = CoacheeUserFactory(email=f"{language}@example.com", language=language)
        coachee = CoacheeFactory(coach=coach, user=user, timezone="Europe/Berlin")
        AssignmentFactory(coachee=coachee, assigned_at=NOW, due_at=due, title=f"Homework {language}")

    sent = {s.message.to[0]: s.message for s in deliver(NOW)}

    local_due = timezone.localtime(due, ZoneInfo("Europe/Berlin"))
    for language in ("nl", "en"):
        message = sent[f"{language}@example.com"]
        with translation.override(language):
            weekday = date_format(local_due, "l")
        html = message.alternatives[0][0]
        assert f'<html lang="{language}">' in html
        assert weekday in message.body and weekday in html
    assert date_format(local_due, "l") not in sent["nl@example.com"].body
