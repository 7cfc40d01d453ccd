"""The sweep works in batches: its number of queries does not grow with the number of due reminders,
and with nothing due it does not grow with the amount of open homework (test_next_check.py shows it
looks at no homework then)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.reminders import services, tasks
from assignments.reminders.models import Reminder
from tests.factories import AssignmentFactory, CoacheeFactory, CoacheeUserFactory, CoachingSessionFactory

from .conftest import NOW

# Give up; a savepoint and its release; the homework due for a look, then it, their coachees and
# their sessions; the new outbox rows; the homework's next moments; the due rows; mark them handed out.
QUERY_BOUND = 12


@pytest.fixture
def due_homework(coach, clock):
    def make(count):
        coachees = [
            CoacheeFactory(coach=coach, user=CoacheeUserFactory(timezone=zone))
            for zone in ("Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo", "UTC")  # all awake at NOW
        ]
        AssignmentFactory.create_batch(count, coachee=coachees[0], assigned_at=NOW)
        for coachee in coachees[1:]:
            AssignmentFactory.create_batch(2, coachee=coachee, assigned_at=NOW)
        return count + 6

    return make


def _inserts(rows: int) -> int:
    """INSERT statements for `rows` new outbox rows: one on PostgreSQL; SQLite caps parameters."""
    fields = [f for f in Reminder._meta.concrete_fields if not f.primary_key]
    per_insert = connection.ops.bulk_batch_size(fields, [None] * rows) or rows
    return -(-rows // per_insert)


@pytest.mark.parametrize("count", [100, 1000])
def test_sweeping_due_rows_takes_the_same_queries(count, due_homework, handed_out, django_assert_max_num_queries):
    total = due_homework(count)
    services.reminders_plan(now=NOW)  # the rows exist and are due

    with django_assert_max_num_queries(QUERY_BOUND):
        result = tasks.sweep(now=NOW.isoformat())

    assert result["due"] == total and sum(len(batch) for batch in handed_out) == total


@pytest.mark.parametrize("count", [100, 1000])
def test_planning_and_sweeping_new_rows_is_batched(count, due_homework, handed_out, django_assert_max_num_queries):
    total = due_homework(count)

    with django_assert_max_num_queries(QUERY_BOUND + _inserts(total)):
        result = tasks.sweep(now=NOW.isoformat())

    assert result["planned"] == total and result["due"] == total


def _idle_sweep_queries(coach, count) -> int:
    """Queries of a sweep with nothing due, over `count` pieces of open homework due at a session."""
    coachee = CoacheeFactory(coach=coach, user=CoacheeUserFactory())
    CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(days=7))
    AssignmentFactory.create_batch(count, coachee=coachee, assigned_at=NOW)
    tasks.sweep(now=NOW.isoformat())
    Reminder.objects.update(status=Reminder.Status.SENT, sent_at=NOW)
    with CaptureQueriesContext(connection) as captured:
        result = tasks.sweep(now=(NOW + timedelta(minutes=1)).isoformat())
    assert result["planned"] == result["due"] == 0
    return len(captured.captured_queries)


def test_an_idle_sweep_takes_the_same_queries_for_ten_times_the_homework(coach, clock):
    assert _idle_sweep_queries(coach, 10) == _idle_sweep_queries(coach, 100)
