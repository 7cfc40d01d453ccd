"""My homework: what is open (by due date, the next session beside it), submitted and reviewed,
with only what the coach shares: the review outcome and feedback, never their private notes."""

import re

import pytest
from django.urls import reverse

from assignments.services import feedback_give, review_record, submission_submit
from tests.coachee.conftest import days, homework
from tests.factories import AssignmentFactory, CoachingSessionFactory, GoalFactory, LogEntryFactory

URL = reverse("my:home")


def section(page: str, heading_id: str) -> str:
    match = re.search(rf'id="{heading_id}".*?</section>', page, re.DOTALL)
    assert match, heading_id
    return match.group(0)


def test_open_homework_by_due_date_with_the_next_session(coachee_client, coachee, next_session):
    later = homework(coachee, "reflection", title="Due at the session")
    sooner = homework(coachee, "preparation", title="Due on Thursday", due_at=days(3, hour=20))
    page = coachee_client.get(URL).content.decode()
    todo = section(page, "todo-title")
    assert todo.index(sooner.title) < todo.index(later.title)
    assert "at the next session (Mon 19 Jan 2026, 10:00)" in todo
    assert "Thu 15 Jan 2026, 21:00" in todo
    assert "Monday 19 January, 10:00" in section(page, "next-session-title")
    assert reverse("my:assignment", args=[later.pk]) in todo


def test_submitted_and_reviewed_homework_with_only_what_is_shared(coachee_client, coachee):
    session = CoachingSessionFactory(
        coachee=coachee, starts_at=days(-1), coach_notes="Private: seems tired", shared_summary="We explored boundaries"
    )
    submitted = homework(coachee, "preparation", title="Handed in")
    submission_submit(assignment=submitted, text="My case")
    reviewed = homework(coachee, "reflection", title="Talked about", assigned_at=days(-10))
    submission_submit(assignment=reviewed, answers=["Yes"])
    feedback_give(assignment=reviewed, feedback="Thank you for your honesty.")
    review_record(
        assignment=reviewed,
        session=session,
        outcome="partly",
        next_step="close",
        coach_notes="Private review note",
        insights="Private insight",
    )
    page = coachee_client.get(URL).content.decode()
    assert "Handed in" in section(page, "submitted-title")
    done = section(page, "reviewed-title")
    assert "Talked about" in done
    assert "Partly done" in done
    assert "Thank you for your honesty." in done
    for private in ("Private review note", "Private insight", "Private: seems tired"):
        assert private not in page


def test_the_assignment_page_never_shows_private_notes(coachee_client, coachee):
    session = CoachingSessionFactory(coachee=coachee, starts_at=days(-1), coach_notes="Private session note")
    reviewed = homework(coachee, "reflection")
    review_record(
        assignment=reviewed, session=session, outcome="done", next_step="close", coach_notes="Secret", insights="Hidden"
    )
    page = coachee_client.get(reverse("my:assignment", args=[reviewed.pk])).content.decode()
    assert "Done" in page
    for private in ("Secret", "Hidden", "Private session note"):
        assert private not in page


def test_an_empty_home_says_what_will_come(coachee_client):
    page = coachee_client.get(URL).content.decode()
    assert "Nothing to do right now." in page
    assert "No session is scheduled yet." in page


def test_another_coachees_homework_never_shows(coachee_client, other_coachee):
    AssignmentFactory(coachee=other_coachee, title="Olga's homework")
    assert "Olga's homework" not in coachee_client.get(URL).content.decode()


def build_homework(coachee, size: int) -> None:
    """`size` times: open homework with a goal and check-ins, submitted work, and reviewed work."""
    session = CoachingSessionFactory(coachee=coachee, starts_at=days(-2))
    for _ in range(size):
        goal = GoalFactory(coachee=coachee)
        practice = homework(coachee, "behavioural", goal=goal)
        LogEntryFactory(assignment=practice)
        submitted = homework(coachee, "preparation")
        submission_submit(assignment=submitted, text="Ready")
        reviewed = homework(coachee, "reflection", assigned_at=days(-9))
        feedback_give(assignment=reviewed, feedback="Well done")
        review_record(assignment=reviewed, session=session, outcome="done", next_step="close")


QUERY_BOUND = 12


@pytest.mark.parametrize("size", [1, 10])
def test_query_count_does_not_grow_with_the_homework(
    size, coachee, coachee_client, next_session, django_assert_max_num_queries
):
    build_homework(coachee, size)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = coachee_client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count('class="card my-item') == 3 * size
