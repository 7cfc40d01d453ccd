"""One assignment: its content, checklist and reviews, and cancelling it."""

import re

from django.urls import reverse

from assignments.models import Assignment
from assignments.services import review_record
from tests.factories import AssignmentFactory, GoalFactory


def url(assignment):
    return reverse("homework:assignment_detail", args=[assignment.pk])


def cancel_url(assignment):
    return reverse("homework:assignment_cancel", args=[assignment.pk])


def test_shows_everything_about_the_assignment(coach_client, coachee, next_session):
    goal = GoalFactory(coachee=coachee, title="Lead with calm")
    homework = AssignmentFactory(
        coachee=coachee,
        goal=goal,
        title="Weekly reflection",
        instructions="Answer the questions.",
        purpose="Notice patterns.",
        approach="Fifteen quiet minutes.",
        review_plan="We start with what surprised you.",
        questions=["What did you notice?", "What worked well?"],
        checklist=["achievable", "invites"],
    )
    review_record(assignment=homework, session=next_session, outcome="partly", next_step="carry_over", insights="Aha")
    page = coach_client.get(url(homework)).content.decode()
    for text in (
        "Weekly reflection",
        "Answer the questions.",
        "Notice patterns.",
        "Fifteen quiet minutes.",
        "We start with what surprised you.",
        "What worked well?",
        "Lead with calm",
        "Partly done",
        "Aha",
    ):
        assert text in page, text
    ticked = re.findall(r'class="is-ticked">\s*<span aria-hidden="true">✓</span>\s*([^<]+)<', page)
    assert [label.strip() for label in ticked] == ["Short and achievable", "Invites reflection or action"]
    assert cancel_url(homework) in page


def test_cancelling_takes_it_out_of_the_loop(coach_client, coachee):
    homework = AssignmentFactory(coachee=coachee)
    response = coach_client.post(cancel_url(homework))
    assert response.status_code == 302
    assert response["Location"] == url(homework)
    homework.refresh_from_db()
    assert homework.status == Assignment.Status.CANCELLED
    assert homework.closed_at is not None
    assert cancel_url(homework) not in coach_client.get(url(homework)).content.decode()


def test_cancelling_a_reviewed_assignment_leaves_it_reviewed(coach_client, coachee):
    homework = AssignmentFactory(coachee=coachee, status=Assignment.Status.REVIEWED)
    coach_client.post(cancel_url(homework))
    homework.refresh_from_db()
    assert homework.status == Assignment.Status.REVIEWED


def test_cancel_needs_post_and_the_owner(client, coach_client, other_coach, coachee):
    homework = AssignmentFactory(coachee=coachee)
    assert coach_client.get(cancel_url(homework)).status_code == 405
    client.force_login(other_coach)
    assert client.post(cancel_url(homework)).status_code == 404
    homework.refresh_from_db()
    assert homework.is_open
