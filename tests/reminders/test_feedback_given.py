"""Feedback given: the coachee hears of it a few minutes after the coach wrote it (so quick edits make
one mail), at most once a day per homework; withdrawn feedback is not announced."""

from datetime import timedelta

from assignments.reminders.models import Kind, Reminder
from assignments.services import feedback_give, submission_submit

from .conftest import walk


def feedback_mails(sent):
    return [s for s in sent if s.kind == Kind.FEEDBACK_GIVEN]


def test_the_coachee_hears_of_feedback_once_despite_edits(coachee, homework, clock):
    submission_submit(assignment=homework, answers=["Done"])
    clock.forward(hours=2)
    feedback_give(assignment=homework, feedback="Great work.")
    clock.forward(minutes=2)
    feedback_give(assignment=homework, feedback="Great work. Let us look at the second answer.")

    sent = feedback_mails(walk(clock, clock.now + timedelta(hours=3), step=timedelta(minutes=5)))

    [mail] = sent
    assert mail.message.to == ["cody@example.com"]
    assert mail.message.subject == "Clara Coach gave feedback on Notice your yes"
    assert "Let us look" not in mail.message.body  # the feedback itself stays on the site
    assert f"/me/homework/{homework.pk}/#feedback-title" in mail.message.body


def test_new_feedback_on_a_later_day_is_announced_again(coachee, homework, clock):
    submission_submit(assignment=homework, answers=["Done"])
    feedback_give(assignment=homework, feedback="Good.")
    walk(clock, clock.now + timedelta(hours=1), step=timedelta(minutes=10))
    clock.forward(days=1)
    feedback_give(assignment=homework, feedback="One more thought.")

    walk(clock, clock.now + timedelta(hours=1), step=timedelta(minutes=10))

    assert Reminder.objects.filter(kind=Kind.FEEDBACK_GIVEN, status=Reminder.Status.SENT).count() == 2


def test_withdrawn_feedback_is_not_announced(coachee, homework, clock):
    submission_submit(assignment=homework, answers=["Done"])
    feedback_give(assignment=homework, feedback="Oops, wrong coachee.")
    clock.forward(minutes=1)
    feedback_give(assignment=homework, feedback="")

    assert feedback_mails(walk(clock, clock.now + timedelta(hours=1), step=timedelta(minutes=5))) == []
