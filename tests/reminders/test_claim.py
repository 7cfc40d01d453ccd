"""The claim is atomic: of two senders claiming one row, exactly one wins, so a second sweep, a second
worker or a retried task cannot send a reminder twice."""

import threading

import pytest
from django.db import connection, connections

from assignments.reminders import services
from assignments.reminders.models import Reminder
from tests.conftest import skip_or_fail

from .conftest import NOW, deliver


def test_two_claims_of_one_row_one_wins(homework, clock):
    services.reminders_plan(now=NOW)
    [reminder_id] = services.reminders_due(now=NOW)

    assert services.reminder_claim(reminder_id=reminder_id, now=NOW) is True
    assert services.reminder_claim(reminder_id=reminder_id, now=NOW) is False
    assert Reminder.objects.get(pk=reminder_id).attempts == 1


def test_two_sweeps_and_two_senders_send_each_mail_once(coachee, homework, clock):
    services.reminders_plan(now=NOW)
    services.reminders_plan(now=NOW)  # a second sweep plans nothing new
    ids = services.reminders_due(now=NOW)
    assert len(ids) == 1

    first = services.reminders_send(ids=ids, now=NOW)
    second = services.reminders_send(ids=ids, now=NOW)

    assert len(first.sent) == 1 and second.sent == []
    assert deliver(NOW) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_claims_on_postgresql_one_wins(homework, clock):
    """Many threads, each with its own database connection, claim the same row at the same moment."""
    if connection.vendor != "postgresql":
        skip_or_fail("concurrent claims need PostgreSQL (set DATABASE_URL)")
    services.reminders_plan(now=NOW)
    [reminder_id] = services.reminders_due(now=NOW)
    start = threading.Barrier(8)
    wins = []

    def claim():
        try:
            start.wait()
            wins.append(services.reminder_claim(reminder_id=reminder_id, now=NOW))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(wins) == [False] * 7 + [True]
