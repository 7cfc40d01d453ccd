"""The coach sees the coachee's work: on the session agenda, beside the review form, and among the
submissions on the dashboard. Drafts stay private until submitted; the log is seen as it is kept."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from assignments.services import log_entry_add, submission_save_draft, submission_submit, upload_add
from tests.coachee.conftest import TODAY, days, homework
from tests.factories import PNG_BYTES, CoachingSessionFactory, SubmissionFactory, UploadFactory


def agenda(client, session):
    return client.get(reverse("homework:session_detail", args=[session.pk])).content.decode()


@pytest.fixture
def work(coachee):
    """A reflection, a daily practice with check-ins, a values collage with a photo, and a case for
    the next session, all submitted."""
    reflection = homework(coachee, "reflection", title="Weekly reflection")
    submission_submit(
        assignment=reflection, answers=["I say yes too fast", "Pausing"], fit_rating=4, remark="Tough one"
    )
    practice = homework(coachee, "behavioural", title="Say no once a day")
    for offset, did_it in [(-3, True), (-2, True), (-1, True)]:
        log_entry_add(assignment=practice, day=TODAY + timedelta(days=offset), did_it=did_it, note=f"Note {offset}")
    collage = homework(coachee, "creative", title="Values collage")
    upload = upload_add(
        assignment=collage,
        file=ContentFile(PNG_BYTES, name="c.png"),
        original_name="collage.png",
        content_type="image/png",
    )
    submission_submit(assignment=collage, text="Family in the middle")
    case = homework(coachee, "preparation", title="Bring a case example")
    submission_submit(assignment=case, text="The planning meeting where I stayed silent")
    return {"reflection": reflection, "practice": practice, "collage": collage, "upload": upload, "case": case}


def test_the_agenda_shows_the_work_beside_each_item(coach_client, coachee, next_session, work):
    page = agenda(coach_client, next_session)
    for text in (
        "I say yes too fast",
        "What worked well?",
        "Tough one",
        "4/5",
        "Note -1",
        "<strong>3</strong>\n    <span>days in a row</span>",
        "Family in the middle",
        "collage.png",
        f'src="{reverse("upload_file", args=[work["upload"].pk])}"',
        "The planning meeting where I stayed silent",
    ):
        assert text in page, text
    # The file opens for the coach, as an image.
    response = coach_client.get(reverse("upload_file", args=[work["upload"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_the_review_page_has_the_work_beside_the_form(frozen_clock, coach_client, next_session, work):
    frozen_clock.move_to(next_session.starts_at)  # reviews are recorded at the session
    page = coach_client.get(reverse("homework:review", args=[next_session.pk, work["reflection"].pk])).content.decode()
    assert "The coachee's work" in page
    assert "I say yes too fast" in page
    assert 'name="outcome"' in page


def test_a_draft_stays_private_until_submitted(coach_client, coachee, next_session):
    reflection = homework(coachee, "reflection")
    submission_save_draft(assignment=reflection, answers=["Unfinished private thought"])
    collage = homework(coachee, "creative")
    upload = UploadFactory(assignment=collage, original_name="not-yet.png")
    page = agenda(coach_client, next_session)
    assert "Unfinished private thought" not in page
    assert "not-yet.png" not in page
    assert "In progress" in page
    assert coach_client.get(reverse("upload_file", args=[upload.pk])).status_code == 404


def test_the_dashboard_lists_submissions_with_fit_and_a_feedback_link(coach_client, coachee, work):
    page = coach_client.get(reverse("homework:dashboard")).content.decode()
    assert "Weekly reflection" in page
    assert "fit 4/5" in page
    assert reverse("homework:assignment_detail", args=[work["reflection"].pk]) + "#work" in page


def build_agenda_with_work(coachee, size: int):
    session = CoachingSessionFactory(coachee=coachee, starts_at=days(7))
    for _ in range(size):
        practice = homework(coachee, "behavioural")
        log_entry_add(assignment=practice, day=TODAY, did_it=True)
        collage = homework(coachee, "creative")
        UploadFactory(assignment=collage)
        submission_submit(assignment=collage, text="Done")
        SubmissionFactory(assignment=homework(coachee, "reflection"))
    return session


# One of them is the second-factor check every logged-in request makes (accounts.twofactor).
QUERY_BOUND = 13


@pytest.mark.parametrize("size", [1, 10])
def test_query_count_of_the_agenda_with_work(size, coachee, coach_client, django_assert_max_num_queries):
    session = build_agenda_with_work(coachee, size)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = coach_client.get(reverse("homework:session_detail", args=[session.pk]))
    assert response.content.decode().count('class="card agenda-item"') == 3 * size


@pytest.mark.parametrize("size", [1, 10])
def test_query_count_of_the_dashboard_with_work(size, coachee, coach_client, django_assert_max_num_queries):
    build_agenda_with_work(coachee, size)
    with django_assert_max_num_queries(QUERY_BOUND):
        assert coach_client.get(reverse("homework:dashboard")).status_code == 200


def test_the_coach_reads_check_ins_newest_first_as_the_coachee_does(coach_client, coachee, work):
    page = coach_client.get(reverse("homework:assignment_detail", args=[work["practice"].pk])).content.decode()
    mine = Client()
    mine.force_login(coachee.user)
    own = mine.get(reverse("my:assignment", args=[work["practice"].pk])).content.decode()

    for html in (page, own):
        assert html.index("Note -1") < html.index("Note -2") < html.index("Note -3")
