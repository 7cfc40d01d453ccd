"""New homework: the coachee hears of it right away, in their own outbox row written with the
assignment, even when the broker is down at that moment."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment
from assignments.reminders import tasks
from assignments.reminders.models import Kind, MailPreferences, PracticeSettings, Reminder
from assignments.services import assignment_create, submission_save_draft
from tests.factories import CoacheeFactory

from .conftest import NOW, deliver, local


def assign(coachee, title="Say no once a day"):
    return assignment_create(coachee=coachee, kind="reflection", title=title, instructions="Write it down.")


def test_assigning_writes_the_mail_into_the_outbox_and_hands_it_out_after_commit(
    coachee, clock, handed_out, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assignment = assign(coachee)
        reminder = Reminder.objects.get(assignment=assignment)
        assert handed_out == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    assert reminder.kind == Kind.NEW_ASSIGNMENT
    assert reminder.recipient == coachee.user
    assert reminder.due_at == NOW
    assert handed_out == [[reminder.pk]]
    reminder.refresh_from_db()
    assert reminder.enqueued_at == NOW


def test_the_mail_names_the_coachee_and_links_to_the_homework(coachee, clock, settings, next_session):
    settings.SITE_URL = "https://coachhub.example.com"
    assignment = assign(coachee)

    [sent] = deliver(NOW)

    message = sent.message
    assert message.to == ["cody@example.com"]
    assert message.subject == "New homework from Clara Coach: Say no once a day"
    link = "https://coachhub.example.com" + reverse("my:assignment", args=[assignment.pk])
    assert "Hello Cody," in message.body  # the first name
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html
    # Times are shown on the coachee's clock: the session is at 10:00 in Berlin.
    assert "Due: Monday 19 January, 10:00 (Europe/Berlin)" in message.body  # every time with its zone


def test_a_broker_that_is_down_at_commit_delays_the_mail_until_the_next_sweep(
    coachee, clock, handed_out, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.send_reminders._get_current_object(), "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assign(coachee)

    reminder = Reminder.objects.get(assignment=assignment)
    assert reminder.status == Reminder.Status.PENDING and reminder.enqueued_at is None
    assert mail.outbox == []

    clock.forward(minutes=1)
    [sent] = deliver(clock.now)
    assert sent.reminder == reminder


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_assigning_through_the_page_works_while_the_real_broker_is_unreachable(
    coach, coachee, client, monkeypatch, caplog, settings, request
):
    """No mocks on the way out: Celery publishes to a port where nothing listens. At 10:00 in the
    coachee's zone, so quiet hours never hold the mail back, whenever the suite runs."""
    from coachhub.celery import app

    traveller = time_machine.travel(NOW, tick=True)
    traveller.start()
    request.addfinalizer(traveller.stop)

    monkeypatch.delattr(tasks.send_reminders._get_current_object(), "apply_async")  # publish for real
    previous = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    app._pool = None
    app.amqp._producer_pool = None
    try:
        client.force_login(coach)
        with caplog.at_level(logging.WARNING, logger="assignments.reminders.tasks"):
            response = client.post(
                reverse("homework:assign", args=[coachee.pk]),
                {
                    "kind": "behavioural",
                    "title": "Say no",
                    "instructions": "Say no to one request a day.",
                    "cadence": "daily",
                    "due": "date",
                    "due_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
                },
            )
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL = previous
        app._pool = None
        app.amqp._producer_pool = None

    assert response.status_code == 302, response.content.decode()[:2000]
    reminder = Reminder.objects.get(assignment__title="Say no")
    assert reminder.status == Reminder.Status.PENDING and reminder.enqueued_at is None
    assert "Broker unavailable" in caplog.text


def test_homework_assigned_in_quiet_hours_waits_for_the_morning(coachee, clock, handed_out):
    evening = clock.move_to(NOW.replace(hour=21, minute=30))  # 22:30 in Berlin
    assignment = assign(coachee)

    reminder = Reminder.objects.get(assignment=assignment)
    assert local(reminder.due_at, "Europe/Berlin").strftime("%Y-%m-%d %H:%M") == "2026-01-13 08:00"
    assert deliver(evening) == []
    assert deliver(clock.move_to(reminder.due_at - timedelta(minutes=1))) == []
    [sent] = deliver(clock.move_to(reminder.due_at))
    assert sent.reminder == reminder


def test_started_before_the_morning_it_is_skipped_not_sent(coachee, clock):
    clock.move_to(NOW.replace(hour=21, minute=30))
    assignment = assign(coachee)
    clock.move_to(NOW.replace(hour=23) + timedelta(hours=6))  # 07:00 in Berlin: the coachee starts
    submission_save_draft(assignment=assignment, answers=["First thoughts"])

    assert deliver(clock.move_to(NOW.replace(hour=7) + timedelta(days=1))) == []
    reminder = Reminder.objects.get(assignment=assignment)
    assert reminder.status == Reminder.Status.SKIPPED
    assert reminder.get_skip_reason_display() == "the coachee had started"


def test_a_coachee_without_a_login_gets_no_mail(coach, clock):
    invited = CoacheeFactory(coach=coach, user=None)

    assign(invited)

    assert not Reminder.objects.exists()
    assert deliver(NOW) == []


def test_the_coach_can_switch_it_off_for_the_practice(coach, coachee, clock):
    PracticeSettings.objects.create(coach=coach, new_assignment=False)

    assign(coachee)

    assert deliver(NOW) == []


def test_the_coachee_can_switch_it_off(coachee, clock):
    MailPreferences.objects.create(coachee=coachee, new_assignment=False)

    assign(coachee)

    assert deliver(NOW) == []


def test_homework_made_otherwise_is_announced_by_the_sweep(coachee, clock):
    """The admin or a data import creates rows without the service: the sweep derives the mail."""
    assignment = Assignment.objects.create(coachee=coachee, kind="reflection", title="Imported", instructions="x")

    [sent] = deliver(NOW)

    assert sent.reminder.assignment == assignment and sent.kind == Kind.NEW_ASSIGNMENT


def test_old_homework_is_not_announced_as_new(coachee, clock):
    Assignment.objects.create(
        coachee=coachee, kind="reflection", title="Old", instructions="x", assigned_at=NOW - timedelta(days=4)
    )

    assert deliver(NOW) == []


def test_names_with_apostrophes_and_ampersands_arrive_as_typed(coachee, clock, next_session):
    """Subjects and text bodies are not HTML: nothing in them is escaped."""
    coachee.coach.name = "Anne O'Neil & Partners"
    coachee.coach.save(update_fields=["name"])
    assign(coachee, title='Say "no" & mean it')

    [sent] = deliver(NOW)

    assert sent.message.subject == 'New homework from Anne O\'Neil & Partners: Say "no" & mean it'
    assert "Anne O'Neil & Partners" in sent.message.body and "&amp;" not in sent.message.body
    assert "Anne O'Neil &amp; Partners" in sent.message.alternatives[0][0]  # the HTML part is HTML
