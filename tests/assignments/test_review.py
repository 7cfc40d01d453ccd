"""Reviewing an assignment at a session: outcome, notes, insights and the next step."""

from datetime import timedelta

import pytest
from django.urls import reverse

from assignments.models import Assignment, Review
from assignments.services import assignment_cancel, review_record
from sessions.services import session_cancel
from tests.assignments.conftest import days
from tests.factories import AssignmentFactory, CoachingSessionFactory, GoalFactory


@pytest.fixture(autouse=True)
def next_session_has_opened(frozen_clock):
    """Reviews are recorded from an hour before a session starts: these tests run half an hour
    before the next session (days(7)), unless they say otherwise."""
    frozen_clock.move_to(days(7) - timedelta(minutes=30))


def url(session, assignment):
    return reverse("homework:review", args=[session.pk, assignment.pk])


@pytest.mark.parametrize("minutes_before_start", [61, 60 * 24 * 3])
def test_a_session_that_lies_ahead_takes_no_review_yet(
    minutes_before_start, frozen_clock, coach_client, coachee, next_session
):
    homework = AssignmentFactory(coachee=coachee, assigned_at=days(-1))
    frozen_clock.move_to(next_session.starts_at - timedelta(minutes=minutes_before_start))

    page = coach_client.get(url(next_session, homework)).content.decode()
    response = coach_client.post(url(next_session, homework), {"outcome": "done", "next_step": "close"})

    assert "You can record reviews from an hour before it starts." in page
    assert 'name="outcome"' not in page
    assert response.status_code == 200 and "You can record reviews" in response.content.decode()
    assert not Review.objects.exists()
    homework.refresh_from_db()
    assert homework.is_open
    agenda = coach_client.get(reverse("homework:session_detail", args=[next_session.pk])).content.decode()
    assert url(next_session, homework) not in agenda
    assert "From an hour before it starts you can record reviews" in agenda


def test_the_form_shows_the_instructions_and_a_place_for_the_coachees_work(coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee, instructions="Notice one moment of tension a day.")
    page = coach_client.get(url(next_session, homework)).content.decode()
    assert "Notice one moment of tension a day." in page
    assert "The coachee's work" in page
    for value in ("done", "partly", "not_done", "close", "carry_over", "follow_up"):
        assert f'value="{value}"' in page


def test_saving_a_review_closes_the_homework_and_returns_to_the_agenda(coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee)
    response = coach_client.post(
        url(next_session, homework),
        {"outcome": "done", "next_step": "close", "coach_notes": "Went well", "insights": "Saying no is possible"},
    )
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("homework:session_detail", args=[next_session.pk]) + f"#assignment-{homework.pk}"
    )
    review = Review.objects.get(assignment=homework, session=next_session)
    assert (review.outcome, review.next_step, review.coach_notes, review.insights) == (
        "done",
        "close",
        "Went well",
        "Saying no is possible",
    )
    homework.refresh_from_db()
    assert homework.status == Assignment.Status.REVIEWED
    assert homework.reviewed_session == next_session


def test_reviewing_again_updates_the_one_review(coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee)
    coach_client.post(url(next_session, homework), {"outcome": "done", "next_step": "close"})
    response = coach_client.get(url(next_session, homework))
    assert response.context["form"].initial["outcome"] == "done"
    assert "Change the review" in response.content.decode()
    coach_client.post(url(next_session, homework), {"outcome": "partly", "next_step": "carry_over"})
    assert Review.objects.filter(assignment=homework).count() == 1
    assert Review.objects.get(assignment=homework).outcome == "partly"
    homework.refresh_from_db()
    assert homework.is_open
    assert homework.reviewed_session is None


def test_follow_up_goes_to_the_assign_form_prefilled(coach_client, coachee, next_session):
    goal = GoalFactory(coachee=coachee)
    homework = AssignmentFactory(
        coachee=coachee, goal=goal, kind="behavioural", title="Say no once a day", purpose="Boundaries", questions=[]
    )
    response = coach_client.post(url(next_session, homework), {"outcome": "partly", "next_step": "follow_up"})
    assign_url = reverse("homework:assign", args=[coachee.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{assign_url}?follow_up={homework.pk}&session={next_session.pk}"
    homework.refresh_from_db()
    assert homework.status == Assignment.Status.REVIEWED

    form = coach_client.get(response["Location"]).context["form"]
    assert form.initial["title"] == "Say no once a day"
    assert form.initial["kind"] == "behavioural"
    assert form.initial["purpose"] == "Boundaries"
    assert form.initial["goal"] == goal.pk


def test_a_second_follow_up_review_does_not_ask_for_another_follow_up(coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee)
    AssignmentFactory(coachee=coachee, follow_up_of=homework, assigned_in_session=next_session)
    response = coach_client.post(url(next_session, homework), {"outcome": "done", "next_step": "follow_up"})
    assert response["Location"].startswith(reverse("homework:session_detail", args=[next_session.pk]))


def test_only_homework_on_this_sessions_agenda_can_be_reviewed(coach_client, coachee, next_session, later_session):
    assigned_after = AssignmentFactory(coachee=coachee, assigned_at=days(8))
    closed_before = AssignmentFactory(coachee=coachee)
    review_record(assignment=closed_before, session=next_session, outcome="done", next_step="close")
    cancelled = AssignmentFactory(coachee=coachee)
    assignment_cancel(assignment=cancelled)
    other_coachee_homework = AssignmentFactory(coachee__coach=coachee.coach)

    assert coach_client.get(url(next_session, assigned_after)).status_code == 404
    assert coach_client.get(url(later_session, closed_before)).status_code == 404
    assert coach_client.get(url(next_session, cancelled)).status_code == 404
    assert coach_client.get(url(next_session, other_coachee_homework)).status_code == 404
    assert (
        coach_client.post(url(later_session, closed_before), {"outcome": "done", "next_step": "close"}).status_code
        == 404
    )


def test_a_cancelled_session_takes_no_reviews(coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee)
    session_cancel(session=next_session)
    assert coach_client.get(url(next_session, homework)).status_code == 404


def test_bad_input_gives_form_errors(coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee)
    for data in (
        {},
        {"outcome": "excellent", "next_step": "close"},
        {"outcome": "done", "next_step": "close", "insights": "x" * 10_001},
        {"outcome": "done", "next_step": "close", "coach_notes": "nul\x00"},
    ):
        response = coach_client.post(url(next_session, homework), data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
    assert not Review.objects.exists()
    page = coach_client.post(url(next_session, homework), {}).content.decode()
    assert "Choose how far the homework got done." in page
    assert "Choose what happens next with this homework." in page


def test_another_coach_cannot_review(client, other_coach, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee)
    client.force_login(other_coach)
    assert client.post(url(next_session, homework), {"outcome": "done", "next_step": "close"}).status_code == 404
    assert not Review.objects.exists()


def test_a_review_at_a_past_session_works_too(coach_client, coachee):
    past = CoachingSessionFactory(coachee=coachee, starts_at=days(-1))
    homework = AssignmentFactory(coachee=coachee, assigned_at=days(-8))
    response = coach_client.post(url(past, homework), {"outcome": "not_done", "next_step": "carry_over"})
    assert response.status_code == 302
    assert Review.objects.get().session == past


def test_carrying_over_after_closing_reopens_it_as_far_as_the_coachee_got(coachee, next_session):
    """Correcting a "close" to "carry over" gives back the status the work had: started stays started."""
    homework = AssignmentFactory(coachee=coachee, status=Assignment.Status.STARTED, started_at=days(-1))
    review_record(assignment=homework, session=next_session, outcome="partly", next_step="close")
    review_record(assignment=homework, session=next_session, outcome="partly", next_step="carry_over")
    homework.refresh_from_db()
    assert homework.status == Assignment.Status.STARTED
    assert homework.is_open and homework.reviewed_session is None
