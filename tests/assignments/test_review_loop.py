"""The review-loop invariant: every open assignment stands on the agenda of exactly one session still
to be held (the first at or after its due moment), or needs a session; a session where it was
reviewed keeps the review. Checked on the queryset, and through the agenda page a coach opens.
The property-based test of the same rule is in test_review_loop_properties.py."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from assignments.models import Assignment, Review
from assignments.services import assignment_cancel, assignment_create, review_record
from sessions.services import session_cancel, session_schedule, session_update
from tests.assignments.conftest import days
from tests.factories import AssignmentFactory, CoachingSessionFactory


def agenda(coach, session):
    """The homework due at `session` (not reviewed there), each with whether it is carried over."""
    session.refresh_from_db()
    listed = Assignment.objects.for_coach(coach).on_agenda(session).filter(reviewed_here=False)
    return {a.pk: a.carried_over for a in listed}


def reviewed_at(coach, session):
    session.refresh_from_db()
    return {a.pk for a in Assignment.objects.for_coach(coach).on_agenda(session).filter(reviewed_here=True)}


def assign(coachee, **kwargs):
    return assignment_create(
        coachee=coachee, kind="behavioural", title="Say no once a day", instructions="Say no.", **kwargs
    )


# --- On the queryset --------------------------------------------------------------------------


def test_assigned_homework_is_on_the_next_sessions_agenda(coach, coachee, next_session):
    earlier = CoachingSessionFactory(coachee=coachee, starts_at=days(-7))
    homework = assign(coachee)
    assert agenda(coach, next_session) == {homework.pk: False}
    assert agenda(coach, earlier) == {}


def test_rescheduling_the_next_session_keeps_the_homework_on_it(coach, coachee, next_session):
    homework = assign(coachee)
    session_update(session=next_session, starts_at=days(10, hour=15))
    assert homework.pk in agenda(coach, next_session)


def test_rescheduling_a_session_to_before_the_assignment_moves_the_homework_to_the_next_one(
    coach, coachee, next_session, later_session
):
    homework = assign(coachee)
    session_update(session=next_session, starts_at=days(-1))
    assert homework.pk not in agenda(coach, next_session)
    assert agenda(coach, later_session) == {homework.pk: False}


def test_cancelling_the_next_session_moves_the_homework_to_the_one_after(coach, coachee, next_session, later_session):
    homework = assign(coachee)
    session_cancel(session=next_session)
    assert agenda(coach, later_session) == {homework.pk: False}


def test_a_session_added_in_between_gets_the_homework_and_the_later_one_does_not(coach, coachee, next_session):
    homework = assign(coachee)
    added = session_schedule(coachee=coachee, starts_at=days(3))
    assert agenda(coach, added) == {homework.pk: False}
    assert agenda(coach, next_session) == {}


def test_two_sessions_ahead_list_the_homework_once_and_not_carried_over(coach, coachee, next_session, later_session):
    homework = assign(coachee)
    assert agenda(coach, next_session) == {homework.pk: False}
    assert agenda(coach, later_session) == {}


def test_carried_over_homework_reappears_marked_carried_over(coach, coachee, next_session, later_session):
    homework = assign(coachee)
    review_record(assignment=homework, session=next_session, outcome="partly", next_step="carry_over")
    assert agenda(coach, next_session) == {}
    assert reviewed_at(coach, next_session) == {homework.pk}
    assert agenda(coach, later_session) == {homework.pk: True}
    homework.refresh_from_db()
    assert homework.is_open


@pytest.mark.parametrize("next_step", [Review.NextStep.CLOSE, Review.NextStep.FOLLOW_UP])
def test_reviewed_homework_leaves_later_agendas_but_stays_where_it_was_reviewed(
    next_step, coach, coachee, next_session, later_session
):
    homework = assign(coachee)
    review_record(assignment=homework, session=next_session, outcome="done", next_step=next_step)
    assert reviewed_at(coach, next_session) == {homework.pk}
    assert homework.pk not in agenda(coach, later_session)
    assert homework.pk not in reviewed_at(coach, later_session)


def test_cancelled_homework_leaves_the_agendas(coach, coachee, next_session):
    homework = assign(coachee)
    assignment_cancel(assignment=homework)
    assert agenda(coach, next_session) == {}


@pytest.mark.parametrize("minutes_before_start", [60, 30, 0, -45])
def test_homework_assigned_in_a_session_is_due_at_the_following_one(
    minutes_before_start, frozen_clock, coach, coachee, next_session, later_session
):
    """Also when the coach assigns it in the hour before the session starts; it is assigned at the
    real moment, never at the session's start."""
    frozen_clock.move_to(next_session.starts_at - timedelta(minutes=minutes_before_start))
    homework = assign(coachee, assigned_in_session=next_session)
    assert homework.assigned_at == next_session.starts_at - timedelta(minutes=minutes_before_start)
    assert homework.pk not in agenda(coach, next_session)
    assert agenda(coach, later_session) == {homework.pk: False}
    due = Assignment.objects.with_review_loop().get(pk=homework.pk).effective_due_at()
    assert due == later_session.starts_at


def test_homework_is_not_assigned_in_a_session_that_has_not_opened(coachee, next_session):
    with pytest.raises(ValueError, match="from an hour before it starts"):
        assign(coachee, assigned_in_session=next_session)
    assert not Assignment.objects.exists()


def test_closed_homework_is_never_marked_carried_over(coach, coachee, next_session, later_session):
    """Carried over means still open at this session after an earlier one; once closed, an item
    shows only its review."""
    homework = assign(coachee)
    review_record(assignment=homework, session=next_session, outcome="partly", next_step="carry_over")
    assert agenda(coach, later_session) == {homework.pk: True}
    review_record(assignment=homework, session=later_session, outcome="done", next_step="close")
    assert agenda(coach, later_session) == {}
    assert reviewed_at(coach, later_session) == {homework.pk}
    closed = Assignment.objects.with_review_loop().get(pk=homework.pk)
    assert not closed.carried_over


def test_another_coachs_homework_is_never_on_the_agenda(coach, coachee, next_session, other_coachee):
    AssignmentFactory(coachee=other_coachee, assigned_at=days(-1))
    assert agenda(coach, next_session) == {}


# --- Through the agenda page ------------------------------------------------------------------


def agenda_page(client, session) -> str:
    response = client.get(reverse("homework:session_detail", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def agenda_item(page: str, assignment) -> str | None:
    """The HTML of the assignment's entry on an agenda page, or None when it is not on the agenda."""
    start = f'<li class="card agenda-item" id="assignment-{assignment.pk}">'
    match = re.search(rf"{start}(.*?)</li><!-- /agenda-item -->", page, re.DOTALL)
    return match.group(1) if match else None


def test_agenda_page_shows_assigned_homework_and_follows_a_reschedule(coach_client, coachee, next_session):
    homework = assign(coachee)
    item = agenda_item(agenda_page(coach_client, next_session), homework)
    assert homework.title in item
    assert "Carried over" not in item
    session_update(session=next_session, starts_at=days(9))
    assert agenda_item(agenda_page(coach_client, next_session), homework)


def test_agenda_page_after_cancelling_and_adding_sessions(coach_client, coachee, next_session, later_session):
    homework = assign(coachee)
    session_cancel(session=next_session)
    cancelled_page = agenda_page(coach_client, next_session)
    assert "moves to the next session" in cancelled_page
    assert reverse("homework:session_detail", args=[later_session.pk]) in cancelled_page
    assert reverse("homework:review", args=[next_session.pk, homework.pk]) not in cancelled_page
    assert "Carried over" not in agenda_item(agenda_page(coach_client, later_session), homework)

    added = session_schedule(coachee=coachee, starts_at=days(14))
    assert agenda_item(agenda_page(coach_client, added), homework)
    assert agenda_item(agenda_page(coach_client, later_session), homework) is None


def test_agenda_page_through_reviews_carry_over_then_close(
    frozen_clock, client, coach, coachee, next_session, later_session
):
    homework = assign(coachee)

    def at_the_session(session):
        """Reviews are recorded once a session has begun; the login is a fresh one that day."""
        frozen_clock.move_to(session.starts_at + timedelta(minutes=10))
        client.force_login(coach)

    at_the_session(next_session)
    review_url = reverse("homework:review", args=[next_session.pk, homework.pk])
    response = client.post(review_url, {"outcome": "partly", "next_step": "carry_over", "insights": "Hard at first"})
    assert response.status_code == 302

    item = agenda_item(agenda_page(client, later_session), homework)
    assert "Carried over" in item
    assert "Hard at first" in item  # the earlier review travels with it

    at_the_session(later_session)
    response = client.post(
        reverse("homework:review", args=[later_session.pk, homework.pk]), {"outcome": "done", "next_step": "close"}
    )
    assert response.status_code == 302
    final = session_schedule(coachee=coachee, starts_at=days(35))
    assert agenda_item(agenda_page(client, final), homework) is None
    reviewed = agenda_item(agenda_page(client, later_session), homework)
    assert "Close it" in reviewed
    assert "Change review" in reviewed
    assert "Reviewed here" in reviewed and "Carried over" not in reviewed  # closed: only its review
    earlier = agenda_item(agenda_page(client, next_session), homework)
    assert "Reviewed here" in earlier and "Carry it over" in earlier
