"""The coach's written feedback on submitted work: given before the session, seen by the coachee on
the homework page and on their home page."""

from django.urls import reverse

from assignments.models import Submission
from assignments.services import assignment_cancel, submission_submit
from tests.coachee.conftest import homework, page_url


def feedback_url(assignment):
    return reverse("homework:feedback", args=[assignment.pk])


def test_the_coach_gives_feedback_and_the_coachee_sees_it(client, coach, coachee):
    preparation = homework(coachee, "preparation", title="Bring a case example")
    submission_submit(assignment=preparation, text="The planning meeting")
    client.force_login(coach)
    detail = client.get(reverse("homework:assignment_detail", args=[preparation.pk])).content.decode()
    assert "The planning meeting" in detail
    assert f'action="{feedback_url(preparation)}"' in detail

    response = client.post(feedback_url(preparation), {"feedback": "A rich case. We start with it."})
    assert response.status_code == 302
    submission = Submission.objects.get(assignment=preparation)
    assert submission.feedback == "A rich case. We start with it."
    assert submission.feedback_at is not None

    client.force_login(coachee.user)
    assert "A rich case. We start with it." in client.get(page_url(preparation)).content.decode()
    home = client.get(reverse("my:home")).content.decode()
    assert "A rich case. We start with it." in home
    assert "Feedback from your coach" in home


def test_feedback_can_be_changed_and_taken_back(coach_client, coachee):
    reflection = homework(coachee, "reflection")
    coach_client.post(feedback_url(reflection), {"feedback": "First"})
    coach_client.post(feedback_url(reflection), {"feedback": "Second"})
    assert Submission.objects.get(assignment=reflection).feedback == "Second"
    coach_client.post(feedback_url(reflection), {"feedback": ""})
    submission = Submission.objects.get(assignment=reflection)
    assert (submission.feedback, submission.feedback_at) == ("", None)


def test_over_long_feedback_is_refused_and_kept(coach_client, coachee):
    reflection = homework(coachee, "reflection")
    response = coach_client.post(feedback_url(reflection), {"feedback": "y" * 10001})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Shorten the feedback to at most 10000 characters (it has 10001)." in page
    assert "y" * 10001 in page


def test_cancelled_homework_takes_no_feedback(coach_client, coachee):
    reflection = homework(coachee, "reflection")
    assignment_cancel(assignment=reflection)
    assert coach_client.post(feedback_url(reflection), {"feedback": "Late"}).status_code == 302
    assert not Submission.objects.filter(assignment=reflection).exists()


def test_another_coach_cannot_give_feedback(client, other_coach, coachee):
    reflection = homework(coachee, "reflection")
    client.force_login(other_coach)
    assert client.post(feedback_url(reflection), {"feedback": "Not mine"}).status_code == 404
    assert not Submission.objects.filter(assignment=reflection).exists()
