"""The migration that adds `held_at` and `moved_earlier_at` to sessions (coaching_sessions 0004), run from
the schema before it: existing sessions get their values, and no review or carry-over decision
recorded before is lost. It leaves the database at the latest migration again."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from assignments.models import Assignment
from sessions.models import CoachingSession

BEFORE = ("coaching_sessions", "0003_timezone_choices_callable")
AFTER = ("coaching_sessions", "0004_session_held_at_and_moved_earlier_at")
NOW = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


def migrate(targets):
    """Migrate to `targets` and return the historical models of the state reached."""
    executor = MigrationExecutor(connection)
    return executor.migrate(targets).apps


def to_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def history_before(apps) -> dict:
    """With the models as they were before 0004: a coach and coachee, a session held a week ago and
    one next week; two homework reviewed at the held session, one closed and one carried over."""
    User = apps.get_model("accounts", "User")
    Coachee = apps.get_model("coaching_sessions", "Coachee")
    Session = apps.get_model("coaching_sessions", "CoachingSession")
    Assignment = apps.get_model("assignments", "Assignment")
    Review = apps.get_model("assignments", "Review")
    coach = User.objects.create(email="coach@example.com", name="Clara Coach", password="!", timezone="Europe/Berlin")
    coachee = Coachee.objects.create(
        coach=coach, name="Cody Coachee", email="cody@example.com", timezone="Europe/Berlin"
    )
    held = Session.objects.create(coachee=coachee, starts_at=NOW - timedelta(days=7), status="held")
    scheduled = Session.objects.create(coachee=coachee, starts_at=NOW + timedelta(days=7))
    Session.objects.filter(pk=held.pk).update(created_at=NOW - timedelta(days=20))
    Session.objects.filter(pk=scheduled.pk).update(created_at=NOW - timedelta(days=3))

    def homework(title, **fields):
        return Assignment.objects.create(
            coachee=coachee,
            kind="reflection",
            title=title,
            instructions="Write.",
            assigned_at=NOW - timedelta(days=10),
            **fields,
        )

    closed = homework("Notice your yes", status="reviewed", reviewed_session=held, closed_at=NOW - timedelta(days=7))
    carried = homework("Say no once")
    Review.objects.create(assignment=closed, session=held, outcome="done", next_step="close")
    Review.objects.create(assignment=carried, session=held, outcome="partly", next_step="carry_over")
    return {"coach": coach.pk, "held": held.pk, "scheduled": scheduled.pk, "closed": closed.pk, "carried": carried.pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sessions_get_held_at_and_moved_earlier_at_and_keep_their_reviews():
    with time_machine.travel(NOW, tick=False):
        try:
            ids = history_before(migrate([BEFORE]))

            apps = migrate([AFTER])

            Session = apps.get_model("coaching_sessions", "CoachingSession")
            held, scheduled = Session.objects.get(pk=ids["held"]), Session.objects.get(pk=ids["scheduled"])
            assert held.held_at == held.starts_at == NOW - timedelta(days=7)
            assert scheduled.held_at is None
            assert held.moved_earlier_at == held.created_at == NOW - timedelta(days=20)
            assert scheduled.moved_earlier_at == scheduled.created_at == NOW - timedelta(days=3)
            Review = apps.get_model("assignments", "Review")
            assert sorted(Review.objects.values_list("assignment_id", "session_id", "next_step")) == sorted(
                [(ids["closed"], ids["held"], "close"), (ids["carried"], ids["held"], "carry_over")]
            )
        finally:
            to_latest()

        executor = MigrationExecutor(connection)
        assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []

        held, scheduled = CoachingSession.objects.get(pk=ids["held"]), CoachingSession.objects.get(pk=ids["scheduled"])
        carried = Assignment.objects.with_review_loop(NOW).get(pk=ids["carried"])
        assert (carried.carried_over, carried.review_session_id) == (True, scheduled.pk)
        assert {a.pk: a.carried_over for a in Assignment.objects.on_agenda(scheduled, NOW)} == {ids["carried"]: True}
        assert {a.pk: a.reviewed_here for a in Assignment.objects.on_agenda(held, NOW)} == {
            ids["closed"]: True,
            ids["carried"]: True,
        }

        browser = Client()
        browser.force_login(Assignment.objects.get(pk=ids["carried"]).coachee.coach)
        page = browser.get(reverse("homework:session_detail", args=[scheduled.pk])).content.decode()
        assert "Say no once" in page
        assert "Carried over" in page
        assert "Notice your yes" not in page
