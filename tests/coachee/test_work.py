"""Doing homework: answers per reflection question, text for creative and preparation work, a draft
kept on the server, and submitting with how well it fitted and a last remark."""

import pytest
from django.urls import reverse

from assignments.models import Assignment, Submission
from tests.coachee.conftest import homework, page_url
from tests.factories import LogEntryFactory, UploadFactory


def test_the_page_shows_what_why_how_review_goal_and_due(coachee_client, coachee, next_session):
    from tests.factories import GoalFactory

    goal = GoalFactory(coachee=coachee, title="Set clear boundaries")
    reflection = homework(
        coachee,
        "reflection",
        title="Weekly reflection",
        instructions="Answer in a few sentences.",
        purpose="Noticing patterns.",
        approach="Fifteen quiet minutes.",
        review_plan="We start with what surprised you.",
        goal=goal,
    )
    page = coachee_client.get(page_url(reflection)).content.decode()
    for text in (
        "Weekly reflection",
        "Answer in a few sentences.",
        "Noticing patterns.",
        "Fifteen quiet minutes.",
        "We start with what surprised you.",
        "Set clear boundaries",
        "at the next session (Mon 19 Jan 2026, 10:00)",
        "What did you notice?",
        "What worked well?",
        'name="answer_0"',
        'name="answer_1"',
    ):
        assert text in page, text


def test_saving_a_draft_keeps_the_answers_aligned_with_the_questions(coachee_client, coachee):
    reflection = homework(coachee, "reflection")
    response = coachee_client.post(page_url(reflection), {"action": "draft", "answer_1": "Saying no at lunch"})
    assert response.status_code == 302
    submission = Submission.objects.get(assignment=reflection)
    assert submission.answers == ["", "Saying no at lunch"]
    assert submission.draft_saved_at is not None
    reflection.refresh_from_db()
    assert reflection.status == Assignment.Status.STARTED
    assert reflection.submitted_at is None
    page = coachee_client.get(page_url(reflection)).content.decode()
    assert "Saying no at lunch" in page
    assert "Draft saved at 10:00" in page


def test_submitting_a_reflection(coachee_client, coachee):
    reflection = homework(coachee, "reflection")
    response = coachee_client.post(
        page_url(reflection),
        {
            "action": "submit",
            "answer_0": "I say yes too fast",
            "answer_1": "Pausing",
            "fit_rating": "4",
            "remark": "Hard",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("my:home")
    reflection.refresh_from_db()
    assert reflection.status == Assignment.Status.SUBMITTED
    assert reflection.submitted_at is not None and reflection.started_at is not None
    submission = reflection.submission
    assert (submission.answers, submission.fit_rating, submission.remark) == (
        ["I say yes too fast", "Pausing"],
        4,
        "Hard",
    )
    page = coachee_client.get(page_url(reflection)).content.decode()
    assert "You submitted this on" in page
    assert 'name="answer_0"' not in page  # submitted work is read-only


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("reflection", "Answer at least one question before you submit."),
        ("preparation", "Write your preparation before you submit"),
        ("creative", "Write something here or add a file before you submit."),
        ("behavioural", "Log at least one check-in before you submit."),
        ("observation", "Note at least one observation before you submit."),
        ("mood_journal", "Log at least one mood before you submit."),
    ],
)
def test_submitting_needs_the_work_itself(coachee_client, coachee, kind, message):
    assignment = homework(coachee, kind)
    response = coachee_client.post(page_url(assignment), {"action": "submit", "remark": "Keep me"})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Keep me" in page
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.STARTED  # kept as a draft, not submitted
    assert assignment.submission.remark == "Keep me"


def test_creative_work_with_only_a_file_can_be_submitted(coachee_client, coachee):
    creative = homework(coachee, "creative")
    UploadFactory(assignment=creative)
    assert coachee_client.post(page_url(creative), {"action": "submit"}).status_code == 302
    creative.refresh_from_db()
    assert creative.status == Assignment.Status.SUBMITTED


def test_practice_with_a_check_in_can_be_submitted_with_a_look_back(coachee_client, coachee):
    practice = homework(coachee, "behavioural")
    LogEntryFactory(assignment=practice)
    response = coachee_client.post(page_url(practice), {"action": "submit", "text": "Mornings were easier"})
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == Assignment.Status.SUBMITTED
    assert practice.submission.text == "Mornings were easier"


def test_preparation_text_is_kept_and_submitted(coachee_client, coachee):
    preparation = homework(coachee, "preparation")
    coachee_client.post(page_url(preparation), {"action": "submit", "text": "A case: the planning meeting"})
    preparation.refresh_from_db()
    assert preparation.submission.text == "A case: the planning meeting"
    assert preparation.status == Assignment.Status.SUBMITTED


def test_submitting_twice_is_refused_and_shows_what_was_typed(coachee_client, coachee):
    preparation = homework(coachee, "preparation")
    coachee_client.post(page_url(preparation), {"action": "submit", "text": "First version"})
    response = coachee_client.post(page_url(preparation), {"action": "submit", "text": "Second thoughts"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "can no longer change" in page
    assert "Second thoughts" in page  # shown to copy, not saved
    preparation.refresh_from_db()
    assert preparation.submission.text == "First version"


def test_a_fit_rating_outside_1_to_5_is_refused(coachee_client, coachee):
    reflection = homework(coachee, "reflection")
    response = coachee_client.post(page_url(reflection), {"action": "draft", "answer_0": "Mine", "fit_rating": "9"})
    assert response.status_code == 200
    assert "Choose a number from 1 to 5" in response.content.decode()
    assert not Submission.objects.filter(assignment=reflection).exists()
