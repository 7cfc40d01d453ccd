"""Sending works on the batch: claiming, the staleness check, loading what the mails show, rendering
and the record of what was sent cost the same queries for 5 mails as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.models import Assignment
from assignments.reminders import services
from tests.factories import AssignmentFactory, CoacheeFactory, CoacheeUserFactory, CoachingSessionFactory

from .conftest import NOW


def _queries_to_send(coach, count) -> tuple[int, int]:
    """(queries, mails sent) for a batch of `count` mails of every kind about homework."""
    coachees = [CoacheeFactory(coach=coach, user=CoacheeUserFactory()) for _ in range(2)]
    for n in range(count):
        coachee = coachees[n % 2]
        CoachingSessionFactory(coachee=coachee)
        AssignmentFactory(coachee=coachee, assigned_at=NOW, title=f"Homework {n}")
    services.reminders_plan(now=NOW)
    ids = services.reminders_due(now=NOW)
    with CaptureQueriesContext(connection) as captured:
        result = services.reminders_send(ids=ids, now=NOW)
    Assignment.objects.all().delete()  # and their outbox rows
    return len(captured.captured_queries), len(result.sent)


@pytest.mark.parametrize("small, large", [(5, 50)])
def test_a_batch_costs_the_same_queries_whatever_its_size(small, large, coach, clock):
    small_queries, small_sent = _queries_to_send(coach, small)
    large_queries, large_sent = _queries_to_send(coach, large)

    assert (small_sent, large_sent) == (small, large)
    assert large_queries == small_queries
