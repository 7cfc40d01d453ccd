"""After the review (or a cancellation) the homework is read-only: every change is refused."""

import pytest
from django.urls import reverse

from assignments.models import Submission
from assignments.services import assignment_cancel, review_record, submission_save_draft
from tests.coachee.conftest import TODAY, days, homework, page_url
from tests.factories import CoachingSessionFactory, LogEntryFactory, UploadFactory


@pytest.fixture(params=["reviewed", "cancelled"])
def closed(request, coachee):
    """Homework of every kind with some work on it, then reviewed or cancelled."""
    items = {}
    for kind in ("reflection", "behavioural", "creative", "mood_journal"):
        assignment = homework(coachee, kind)
        submission_save_draft(assignment=assignment, answers=["Before"], text="Before")
        items[kind] = assignment
    items["entry"] = LogEntryFactory(assignment=items["behavioural"], day=TODAY)
    items["upload"] = UploadFactory(assignment=items["creative"])
    session = CoachingSessionFactory(coachee=coachee, starts_at=days(-1))
    for kind in ("reflection", "behavioural", "creative", "mood_journal"):
        if request.param == "reviewed":
            review_record(assignment=items[kind], session=session, outcome="partly", next_step="close")
        else:
            assignment_cancel(assignment=items[kind])
    return items


def test_every_change_is_refused(coachee_client, closed):
    reflection, practice, creative, journal = (
        closed[k] for k in ("reflection", "behavioural", "creative", "mood_journal")
    )
    attempts = [
        (page_url(reflection), {"action": "draft", "answer_0": "After"}),
        (page_url(reflection), {"action": "submit", "answer_0": "After"}),
        (reverse("my:draft", args=[reflection.pk]), {"answer_0": "After"}),
        (reverse("my:entry_add", args=[practice.pk]), {"day": TODAY.isoformat(), "did_it": "no"}),
        (reverse("my:entry_delete", args=[practice.pk, closed["entry"].pk]), {}),
        (reverse("my:entry_add", args=[journal.pk]), {"day": TODAY.isoformat(), "mood": "1"}),
        (reverse("my:upload_delete", args=[creative.pk, closed["upload"].pk]), {}),
    ]
    for url, data in attempts:
        assert coachee_client.post(url, data).status_code == 409, url
    assert Submission.objects.get(assignment=reflection).answers == ["Before", ""]
    assert practice.log_entries.get().did_it is True
    assert not journal.log_entries.exists()
    assert creative.uploads.count() == 1


def test_the_page_shows_the_work_without_forms(coachee_client, closed):
    page = coachee_client.get(page_url(closed["reflection"])).content.decode()
    assert "Before" in page
    assert 'id="work-form"' not in page
    assert "Save draft" not in page
    practice_page = coachee_client.get(page_url(closed["behavioural"])).content.decode()
    assert "Save check-in" not in practice_page
    assert "Remove" not in practice_page


def test_a_closed_reflection_without_work_says_so_instead_of_an_empty_card(coachee_client, coachee):
    reflection = homework(coachee, "reflection")
    session = CoachingSessionFactory(coachee=coachee, starts_at=days(-1))
    review_record(assignment=reflection, session=session, outcome="not_done", next_step="close")

    page = coachee_client.get(page_url(reflection)).content.decode()

    assert "Nothing was handed in." in page
    assert '<dl class="answers' not in page
