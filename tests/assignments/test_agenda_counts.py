"""`agenda_counts` (the dashboard's and the session list's counts, one grouped query for a page of
sessions) says what `with_agenda_counts` (one subquery per count and session) says, for sessions
ahead, held, over without being marked, and cancelled."""

from datetime import timedelta

from assignments.models import Assignment, Review, agenda_counts, with_agenda_counts
from assignments.services import review_record, submission_submit
from sessions.models import SESSION_OVER_AFTER_END, CoachingSession
from tests.assignments.conftest import days
from tests.factories import AssignmentFactory, CoacheeFactory, CoachingSessionFactory


def both_counts(sessions, now):
    """Per session pk: (due, ready) from each of the two ways of counting."""
    by_subqueries = {s.pk: (s.due_count, s.ready_count) for s in with_agenda_counts(sessions, now)}
    by_groups = {s.pk: (s.due_count, s.ready_count) for s in agenda_counts(list(sessions), now)}
    return by_subqueries, by_groups


def test_the_grouped_counts_match_the_per_session_counts(frozen_clock, coach, coachee):
    other = CoacheeFactory(coach=coach)
    held = CoachingSessionFactory(coachee=coachee, starts_at=days(-14))
    over = CoachingSessionFactory(coachee=coachee, starts_at=days(-7))  # never marked held
    cancelled = CoachingSessionFactory(coachee=coachee, starts_at=days(3), status=CoachingSession.Status.CANCELLED)
    ahead, later = (CoachingSessionFactory(coachee=coachee, starts_at=days(n)) for n in (7, 21))
    other_ahead = CoachingSessionFactory(coachee=other, starts_at=days(5))
    # Given before the held session: one reviewed and closed there, one carried over there, one left
    # unreviewed (it went by there, and again at the session that is over).
    closed, carried, unreviewed = (AssignmentFactory(coachee=coachee, assigned_at=days(-20)) for _ in range(3))
    # Due at the next session, one handed in; dated homework due after it waits for the later one.
    handed_in, not_yet = (AssignmentFactory(coachee=coachee, assigned_at=days(-3)) for _ in range(2))
    AssignmentFactory(coachee=coachee, assigned_at=days(-3), due_at=days(10))
    AssignmentFactory(coachee=other, assigned_at=days(-1))
    submission_submit(assignment=handed_in, answers=["Noticed it."], now=days(-1))
    frozen_clock.move_to(held.starts_at + timedelta(minutes=10))
    review_record(
        assignment=closed, session=held, outcome=Review.Outcome.DONE, next_step=Review.NextStep.CLOSE, insights=""
    )
    review_record(
        assignment=carried,
        session=held,
        outcome=Review.Outcome.PARTLY,
        next_step=Review.NextStep.CARRY_OVER,
        insights="",
    )
    CoachingSession.objects.filter(pk=held.pk).update(status=CoachingSession.Status.HELD, held_at=held.ends_at)
    now = days(0)
    assert over.ends_at + SESSION_OVER_AFTER_END < now
    frozen_clock.move_to(now)

    sessions = CoachingSession.objects.filter(pk__in=[s.pk for s in (held, over, cancelled, ahead, later, other_ahead)])
    by_subqueries, by_groups = both_counts(sessions.order_by("starts_at", "pk"), now)

    assert by_groups == by_subqueries
    # The case is worth comparing: something went by at each past session, and is due ahead.
    assert by_groups[held.pk][0] >= 1 and by_groups[over.pk][0] >= 1
    assert by_groups[ahead.pk] == (4, 1)  # carried, unreviewed, handed in, not yet
    assert by_groups[later.pk] == (1, 0)
    assert by_groups[cancelled.pk] == (0, 0)
    assert by_groups[other_ahead.pk] == (1, 0)
    assert Assignment.objects.get(pk=closed.pk).status == Assignment.Status.REVIEWED


def test_no_sessions_cost_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert agenda_counts([], None) == []
