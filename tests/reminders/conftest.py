"""Fixtures for the reminder tests: a clock that can be moved, a way to run the sweep and the sender
in this process (the integration tests use a real worker), and homework with a next session.

No test here reaches a real broker: handing rows to a worker is recorded instead (`handed_out`).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from assignments.reminders import services, tasks
from assignments.reminders.models import Reminder
from tests.factories import AssignmentFactory, CoachingSessionFactory

# A Monday in winter, 10:00 in Europe/Berlin (the factories' time zone, UTC+1): no quiet hours.
NOW = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def handed_out(monkeypatch):
    """Batches handed to the broker, as lists of row ids, instead of publishing them."""
    batches = []

    def record(args=None, kwargs=None, **options):
        batches.append(list(args[0]))

    monkeypatch.setattr(tasks.send_reminders._get_current_object(), "apply_async", record)
    return batches


class Clock:
    def __init__(self, traveller):
        self.traveller = traveller
        self.now = NOW

    def move_to(self, moment: datetime) -> datetime:
        self.traveller.move_to(moment)
        self.now = moment
        return moment

    def forward(self, **delta) -> datetime:
        return self.move_to(self.now + timedelta(**delta))


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield Clock(traveller)


@dataclass
class Sent:
    at: datetime
    reminder: Reminder
    message: mail.EmailMessage

    @property
    def kind(self) -> str:
        return self.reminder.kind


def deliver(now: datetime) -> list[Sent]:
    """One sweep at `now`, with its batches sent right here; the mails it sent."""
    services.reminders_plan(now=now)
    before = len(mail.outbox)
    services.reminders_send(ids=services.reminders_due(now=now), now=now)
    sent = []
    for message in mail.outbox[before:]:
        reminder = Reminder.objects.get(message_id=message.extra_headers["Message-ID"])
        sent.append(Sent(now, reminder, message))
    return sent


def walk(clock: Clock, until: datetime, *, step=timedelta(minutes=15)) -> list[Sent]:
    """Move the clock to `until` in steps, sweeping and sending at each; every mail sent on the way."""
    sent = []
    while clock.now < until:
        clock.move_to(min(clock.now + step, until))
        sent += deliver(clock.now)
    return sent


@pytest.fixture
def next_session(coachee, clock):
    """Next Monday, 10:00 in Berlin."""
    return CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(days=7))


@pytest.fixture
def homework(coachee, next_session, clock):
    """Assigned now, due at the next session."""
    return AssignmentFactory(coachee=coachee, assigned_at=NOW, title="Notice your yes")


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))
