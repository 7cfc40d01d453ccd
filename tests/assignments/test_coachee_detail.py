"""The coachee page: who they are, their goals and what served each, and a timeline of sessions,
homework and reviews (newest first)."""

import pytest
from django.urls import reverse

from assignments.services import review_record
from tests.assignments.conftest import days
from tests.factories import AssignmentFactory, CoacheeFactory, CoachingSessionFactory, GoalFactory


def url(coachee):
    return reverse("homework:coachee_detail", args=[coachee.pk])


def test_header_shows_the_coachee_and_the_actions(coach_client, coachee):
    page = coach_client.get(url(coachee)).content.decode()
    assert coachee.name in page
    assert coachee.email in page
    assert coachee.coaching_question in page
    assert "Europe/Berlin" in page
    for name in (
        "coaching:coachee_edit",
        "coaching:session_create",
        "coaching:goal_create",
        "coaching:coachee_archive",
    ):
        assert reverse(name, args=[coachee.pk]) in page
    assert reverse("homework:assign", args=[coachee.pk]) in page


def test_an_archived_coachee_offers_restore_instead_of_new_work(coach_client, coach):
    archived = CoacheeFactory(coach=coach, archived_at=days(-1))
    page = coach_client.get(url(archived)).content.decode()
    assert "Archived" in page
    assert reverse("coaching:coachee_restore", args=[archived.pk]) in page
    assert reverse("homework:assign", args=[archived.pk]) not in page


def test_goals_with_status_and_the_homework_that_served_them(coach_client, coachee):
    goal = GoalFactory(coachee=coachee, title="Say no more often")
    GoalFactory(coachee=coachee, title="Find calm", status="achieved")
    homework = AssignmentFactory(coachee=coachee, goal=goal, title="Say no once a day")
    page = coach_client.get(url(coachee)).content.decode()
    assert "Say no more often" in page
    assert "Achieved" in page
    assert reverse("homework:assignment_detail", args=[homework.pk]) in page
    assert reverse("coaching:goal_edit", args=[goal.pk]) in page


def test_timeline_merges_sessions_homework_and_reviews_newest_first(coach_client, coachee):
    first = CoachingSessionFactory(coachee=coachee, starts_at=days(-14))
    homework = AssignmentFactory(coachee=coachee, title="Weekly reflection", assigned_at=days(-14, hour=10))
    second = CoachingSessionFactory(coachee=coachee, starts_at=days(-1))
    review_record(assignment=homework, session=second, outcome="partly", next_step="close", insights="Saw a pattern")
    cancelled = CoachingSessionFactory(coachee=coachee, starts_at=days(7), status="cancelled")

    page = coach_client.get(url(coachee)).content.decode()
    timeline = page[page.index('class="timeline"') :]
    positions = [
        timeline.index(reverse("homework:session_detail", args=[cancelled.pk])),
        timeline.index(reverse("homework:session_detail", args=[second.pk])),
        timeline.index("Saw a pattern"),
        timeline.index('class="timeline-assignment"'),
        timeline.index(reverse("homework:session_detail", args=[first.pk])),
    ]
    assert positions == sorted(positions)
    assert "Partly done" in timeline
    assert "Cancelled" in timeline
    assert "Reflection" in timeline


def test_another_coachs_coachee_is_not_found(client, other_coach, coachee):
    client.force_login(other_coach)
    assert client.get(url(coachee)).status_code == 404


def build_history(coachee, size: int) -> None:
    for n in range(size):
        goal = GoalFactory(coachee=coachee)
        session = CoachingSessionFactory(coachee=coachee, starts_at=days(-30 + n))
        CoachingSessionFactory(coachee=coachee, starts_at=days(3 + n))
        done = AssignmentFactory(coachee=coachee, goal=goal, assigned_at=days(-40 + n))
        AssignmentFactory(coachee=coachee, goal=goal, assigned_at=days(-20 + n))
        review_record(assignment=done, session=session, outcome="done", next_step="close")


# One of these is the programme block (the coachee's enrolment, else the programmes to enrol them in).
QUERY_BOUND = 11


@pytest.mark.parametrize("size", [1, 10])
def test_query_count_does_not_grow_with_the_history(size, coachee, coach_client, django_assert_max_num_queries):
    build_history(coachee, size)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = coach_client.get(url(coachee))
    assert response.status_code == 200
    assert response.content.decode().count("timeline-assignment") == 2 * size
