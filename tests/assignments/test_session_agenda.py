"""The session page: the session's facts, then its agenda of homework due for review."""

from datetime import timedelta

import pytest
from django.urls import reverse

from assignments.services import review_record
from sessions.services import session_cancel
from tests.assignments.conftest import days
from tests.factories import AssignmentFactory, CoacheeFactory, CoachingSessionFactory, GoalFactory


def url(session):
    return reverse("homework:session_detail", args=[session.pk])


def test_session_facts_in_the_coachs_time_zone(coach_client, coachee):
    session = CoachingSessionFactory(
        coachee=coachee,
        starts_at=days(0, hour=9) + timedelta(minutes=30),  # begins half an hour from now
        duration_minutes=90,
        location="Room 4",
        video_url="https://meet.example.com/cody",
        coach_notes="Ask about the team meeting",
        shared_summary="We explored boundaries",
    )
    page = coach_client.get(url(session)).content.decode()
    assert "Mon 12 Jan 2026, 10:30–12:00" in page
    assert "90 minutes" in page
    assert "Room 4" in page
    assert "https://meet.example.com/cody" in page
    assert "Ask about the team meeting" in page
    assert "We explored boundaries" in page
    for name in ("coaching:session_edit", "coaching:session_cancel", "homework:session_hold"):
        assert reverse(name, args=[session.pk]) in page
    assert f"{reverse('homework:assign', args=[coachee.pk])}?session={session.pk}" in page


def test_the_coachees_own_time_is_shown_when_it_differs(coach_client, coach):
    tokyo = CoacheeFactory(coach=coach, timezone="Asia/Tokyo")
    session = CoachingSessionFactory(coachee=tokyo, starts_at=days(2, hour=9))
    page = coach_client.get(url(session)).content.decode()
    assert "Wed 14 Jan, 18:00 for the coachee (Asia/Tokyo)" in page


def test_a_session_that_lies_ahead_offers_no_review_holding_or_assigning_in_it(coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee)
    page = coach_client.get(url(next_session)).content.decode()
    assert homework.title in page
    assert reverse("homework:review", args=[next_session.pk, homework.pk]) not in page
    assert reverse("homework:session_hold", args=[next_session.pk]) not in page
    assert f"?session={next_session.pk}" not in page
    assert "From an hour before it starts you can record reviews, mark it as held and assign homework in it." in page
    # Editing, rescheduling and cancelling stay possible, with buttons that do not look switched off.
    assert f'class="btn btn-outline-primary" href="{reverse("coaching:session_edit", args=[next_session.pk])}"' in page
    assert reverse("coaching:session_cancel", args=[next_session.pk]) in page


def test_agenda_items_show_kind_status_due_goal_and_a_review_link(frozen_clock, coach_client, coachee, next_session):
    goal = GoalFactory(coachee=coachee, title="Lead with calm")
    homework = AssignmentFactory(coachee=coachee, goal=goal, kind="observation", title="Tension in your body")
    dated = AssignmentFactory(coachee=coachee, title="Write it down", due_at=days(5, hour=22))
    frozen_clock.move_to(next_session.starts_at - timedelta(minutes=60))  # the session has opened
    page = coach_client.get(url(next_session)).content.decode()
    assert "Self-observation" in page
    assert "Not started" in page
    # Due here goes without saying; a date of its own is shown.
    assert "at the next session" not in page
    assert "due Sat 17 Jan 2026, 23:00" in page
    assert "Lead with calm" in page
    for item in (homework, dated):
        assert reverse("homework:review", args=[next_session.pk, item.pk]) in page


def test_a_review_recorded_here_is_shown_on_the_agenda(frozen_clock, coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee)
    frozen_clock.move_to(next_session.starts_at)
    review_record(
        assignment=homework,
        session=next_session,
        outcome="not_done",
        next_step="carry_over",
        coach_notes="Busy week",
        insights="Needs a smaller step",
    )
    page = coach_client.get(url(next_session)).content.decode()
    assert "Not done" in page
    assert "Busy week" in page
    assert "Needs a smaller step" in page
    assert "Carry it over to the next session" in page
    assert "Change review" in page


def test_homework_assigned_in_the_session_is_listed_separately(coach_client, coachee, next_session):
    made_here = AssignmentFactory(coachee=coachee, assigned_in_session=next_session, assigned_at=days(7, hour=10))
    page = coach_client.get(url(next_session)).content.decode()
    assert "Homework assigned in this session" in page
    assert reverse("homework:review", args=[next_session.pk, made_here.pk]) not in page


def test_a_cancelled_session_says_where_its_homework_went(coach_client, coachee, next_session, later_session):
    AssignmentFactory(coachee=coachee)
    session_cancel(session=next_session)
    page = coach_client.get(url(next_session)).content.decode()
    assert "moves to the next session" in page
    assert url(later_session) in page
    assert "Assign homework in this session" not in page


def test_an_empty_agenda_says_so(coach_client, next_session):
    assert "No homework is due for review at this session." in coach_client.get(url(next_session)).content.decode()


def build_agenda(coachee, size: int):
    """`size` times: a goal, an open homework, one carried over from an earlier session, one reviewed
    at that earlier session, and one assigned in the session itself."""
    earlier = CoachingSessionFactory(coachee=coachee, starts_at=days(-7))
    session = CoachingSessionFactory(coachee=coachee, starts_at=days(7))
    for _ in range(size):
        goal = GoalFactory(coachee=coachee)
        AssignmentFactory(coachee=coachee, goal=goal, assigned_at=days(-1))
        carried = AssignmentFactory(coachee=coachee, goal=goal, assigned_at=days(-10))
        review_record(assignment=carried, session=earlier, outcome="partly", next_step="carry_over")
        reviewed = AssignmentFactory(coachee=coachee, assigned_at=days(-5))
        review_record(assignment=reviewed, session=session, outcome="done", next_step="close")
        AssignmentFactory(coachee=coachee, assigned_in_session=session, assigned_at=days(7, hour=10))
    return session


# The page, its agenda with the coachee's work, what is due later, and the sessions around it.
# One of them is the second-factor check every logged-in request makes (accounts.twofactor).
QUERY_BOUND = 13


@pytest.mark.parametrize("size", [1, 10])
def test_query_count_does_not_grow_with_the_agenda(size, coachee, coach_client, django_assert_max_num_queries):
    session = build_agenda(coachee, size)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = coach_client.get(url(session))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="card agenda-item"') == 3 * size
    assert page.count('class="badge carried-over-badge"') == size


@pytest.mark.parametrize("size", [1, 10])
def test_a_past_agendas_query_count_does_not_grow_either(
    size, coachee, coach_client, frozen_clock, django_assert_max_num_queries
):
    """After the session: what was reviewed there, and what went by and where it went."""
    session = build_agenda(coachee, size)
    after = CoachingSessionFactory(coachee=coachee, starts_at=days(14))
    frozen_clock.move_to(days(8))
    with django_assert_max_num_queries(QUERY_BOUND):
        response = coach_client.get(url(session))
    page = response.content.decode()
    assert page.count('class="card agenda-item"') == 3 * size
    assert page.count('class="badge went-by-badge"') == 2 * size
    assert page.count(f"Carried over to the session of {after.starts_at:%a} ") == 2 * size
