"""The coach's dashboard: upcoming sessions, homework awaiting review, fresh submissions, first steps."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from assignments.models import Assignment
from assignments.services import assignment_cancel, review_record
from tests.assignments.conftest import NOW, days
from tests.factories import AssignmentFactory, CoacheeFactory, CoachingSessionFactory, GoalFactory, UserFactory

URL = reverse("homework:dashboard")


def section(page: str, heading_id: str) -> str:
    """The HTML of one dashboard section, from its heading to the end of its list."""
    match = re.search(rf'id="{heading_id}".*?</ul>', page, re.DOTALL)
    assert match, heading_id
    return match.group(0)


def test_a_new_coach_is_told_what_to_do_first(client, db):
    client.force_login(UserFactory())
    page = client.get(URL).content.decode()
    assert "Add a coachee" in page
    assert "Schedule a session" in page
    assert "Assign homework from the library" in page
    assert reverse("coaching:coachee_create") in page
    assert reverse("homework:library") in page
    assert "Homework awaiting review" not in page


def test_getting_started_points_at_the_next_step_until_everything_is_done(coach_client, coach, coachee):
    page = coach_client.get(URL).content.decode()
    assert reverse("coaching:session_create", args=[coachee.pk]) in page
    assert reverse("homework:assign", args=[coachee.pk]) in page

    CoachingSessionFactory(coachee=coachee, starts_at=days(3))
    AssignmentFactory(coachee=coachee)
    page = coach_client.get(URL).content.decode()
    assert "getting-started" not in page


def test_upcoming_sessions_in_the_coachs_time_zone_with_homework_counts(coach_client, coachee, other_coachee):
    session = CoachingSessionFactory(coachee=coachee, starts_at=days(2, hour=14))
    AssignmentFactory.create_batch(2, coachee=coachee, assigned_at=NOW - timedelta(hours=1))
    reviewed = AssignmentFactory(coachee=coachee, assigned_at=NOW - timedelta(days=20))
    earlier = CoachingSessionFactory(coachee=coachee, starts_at=days(-5))
    review_record(assignment=reviewed, session=earlier, outcome="done", next_step="close")
    assignment_cancel(assignment=AssignmentFactory(coachee=coachee, assigned_at=NOW - timedelta(hours=2)))
    CoachingSessionFactory(coachee=other_coachee, starts_at=days(1))

    upcoming = section(coach_client.get(URL).content.decode(), "upcoming-title")
    assert reverse("homework:session_detail", args=[session.pk]) in upcoming
    assert "Wed 14 Jan, 15:00" in upcoming  # 14:00 UTC is 15:00 in Berlin
    assert "2 homework to review" in upcoming
    assert other_coachee.name not in upcoming


def test_upcoming_sessions_are_the_next_two_weeks_at_most_ten(coach_client, coachee):
    CoachingSessionFactory(coachee=coachee, starts_at=days(15))
    CoachingSessionFactory(coachee=coachee, starts_at=days(-1))
    CoachingSessionFactory(coachee=coachee, starts_at=days(1), status="cancelled")
    assert "No sessions in the next two weeks" in coach_client.get(URL).content.decode()

    for n in range(12):
        CoachingSessionFactory(coachee=coachee, starts_at=days(1 + n))
    upcoming = section(coach_client.get(URL).content.decode(), "upcoming-title")
    assert upcoming.count('class="upcoming-session"') == 10


def test_awaiting_review_lists_open_homework_of_active_coachees_with_its_due_date(coach, coach_client, coachee):
    CoachingSessionFactory(coachee=coachee, starts_at=days(7))
    open_one = AssignmentFactory(coachee=coachee, title="Meditate five minutes")
    dated = AssignmentFactory(coachee=coachee, title="Bring a case", due_at=days(3, hour=22))
    closed = AssignmentFactory(coachee=coachee, title="Closed one", status=Assignment.Status.REVIEWED)
    archived = CoacheeFactory(coach=coach, archived_at=NOW)
    hidden = AssignmentFactory(coachee=archived, title="Of an archived coachee")

    awaiting = section(coach_client.get(URL).content.decode(), "awaiting-title")
    assert open_one.title in awaiting
    assert "at the next session (Mon 19 Jan 2026, 10:00)" in awaiting
    assert dated.title in awaiting
    assert "Thu 15 Jan 2026, 23:00" in awaiting
    assert awaiting.index(dated.title) < awaiting.index(open_one.title)  # soonest due first
    assert closed.title not in awaiting
    assert hidden.title not in awaiting


def test_submitted_since_the_last_session(coach_client, coachee):
    CoachingSessionFactory(coachee=coachee, starts_at=days(-7))
    fresh = AssignmentFactory(
        coachee=coachee, title="Fresh work", status=Assignment.Status.SUBMITTED, submitted_at=days(-2)
    )
    old = AssignmentFactory(
        coachee=coachee,
        title="Discussed already",
        status=Assignment.Status.SUBMITTED,
        assigned_at=days(-20),
        submitted_at=days(-10),
    )
    submitted = section(coach_client.get(URL).content.decode(), "submitted-title")
    assert fresh.title in submitted
    assert old.title not in submitted


def test_submitted_counts_everything_when_there_was_no_session_yet(coach_client, coachee):
    AssignmentFactory(coachee=coachee, title="First work", status=Assignment.Status.SUBMITTED, submitted_at=days(-1))
    assert "First work" in section(coach_client.get(URL).content.decode(), "submitted-title")


def test_another_coachs_data_never_shows(client, other_coach, coachee):
    CoachingSessionFactory(coachee=coachee, starts_at=days(1))
    AssignmentFactory(coachee=coachee, title="Private homework")
    client.force_login(other_coach)
    page = client.get(URL).content.decode()
    assert coachee.name not in page
    assert "Private homework" not in page


def build_practice(coach, size: int) -> None:
    """`size` coachees, each with sessions before and after now and homework in every state."""
    for _ in range(size):
        coachee = CoacheeFactory(coach=coach)
        goal = GoalFactory(coachee=coachee)
        past = CoachingSessionFactory(coachee=coachee, starts_at=days(-7))
        CoachingSessionFactory(coachee=coachee, starts_at=days(3))
        CoachingSessionFactory(coachee=coachee, starts_at=days(10))
        AssignmentFactory(coachee=coachee, goal=goal, assigned_at=days(-10))
        AssignmentFactory(coachee=coachee, assigned_at=days(-3), status="submitted", submitted_at=days(-1))
        reviewed = AssignmentFactory(coachee=coachee, assigned_at=days(-14))
        review_record(assignment=reviewed, session=past, outcome="partly", next_step="carry_over")


QUERY_BOUND = 10


@pytest.mark.parametrize("size", [1, 10])
def test_query_count_does_not_grow_with_the_data(size, coach, coach_client, django_assert_max_num_queries):
    build_practice(coach, size)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = coach_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="badge status-badge') >= 3 * size
