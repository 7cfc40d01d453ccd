"""Handed-in work, to the coach: a mail for each submission, or one digest a day (the coach's choice)."""

from datetime import time, timedelta

from assignments.reminders.models import Kind, PracticeSettings, SubmissionMails
from assignments.services import review_record, submission_submit
from tests.factories import AssignmentFactory, CoachingSessionFactory

from .conftest import NOW, deliver, local, walk


def test_a_notice_goes_to_the_coach_when_work_is_handed_in(coach, coachee, homework, clock):
    clock.forward(hours=2)
    submission_submit(assignment=homework, answers=["I said no twice"])

    [notice] = [s for s in deliver(clock.now) if s.kind == Kind.SUBMISSION_NOTICE]

    assert notice.message.to == [coach.email]
    assert notice.message.subject == "Cody Coachee handed in Notice your yes"
    assert f"/assignments/{homework.pk}/#work" in notice.message.body


def test_work_handed_in_at_night_is_announced_in_the_coachs_morning(coach, coachee, homework, clock):
    clock.move_to(NOW.replace(hour=22))  # 23:00 in Berlin
    submission_submit(assignment=homework, answers=["Late thoughts"])

    sent = walk(clock, NOW.replace(hour=9) + timedelta(days=1), step=timedelta(minutes=30))

    [notice] = [s for s in sent if s.kind == Kind.SUBMISSION_NOTICE]
    assert local(notice.at, "Europe/Berlin").strftime("%a %H:%M") == "Tue 08:00"


def test_no_notice_when_reviewed_before_it_went_out(coach, coachee, homework, next_session, clock):
    clock.move_to(NOW.replace(hour=22))
    submission_submit(assignment=homework, answers=["Late thoughts"])
    deliver(clock.now)  # planned for the morning
    session = CoachingSessionFactory(coachee=coachee, starts_at=clock.now + timedelta(minutes=10))
    clock.move_to(session.starts_at + timedelta(minutes=20))
    review_record(assignment=homework, session=session, outcome="done", next_step="close")

    sent = walk(clock, NOW.replace(hour=9) + timedelta(days=1), step=timedelta(minutes=30))

    assert [s for s in sent if s.kind == Kind.SUBMISSION_NOTICE] == []


def test_a_daily_digest_lists_the_days_submissions_instead(coach, coachee, next_session, clock):
    PracticeSettings.objects.create(coach=coach, submissions=SubmissionMails.DIGEST, digest_time=time(19))
    first = AssignmentFactory(coachee=coachee, assigned_at=NOW, title="First")
    second = AssignmentFactory(coachee=coachee, assigned_at=NOW, title="Second")
    AssignmentFactory(coachee=coachee, assigned_at=NOW, title="Still open")
    clock.forward(hours=1)
    submission_submit(assignment=first, answers=["a"])
    clock.forward(hours=3)
    submission_submit(assignment=second, answers=["b"])

    sent = walk(clock, NOW + timedelta(days=2), step=timedelta(hours=1))

    [digest] = [s for s in sent if s.kind == Kind.SUBMISSION_DIGEST]
    assert not [s for s in sent if s.kind == Kind.SUBMISSION_NOTICE]
    assert local(digest.at, "Europe/Berlin").strftime("%a %H:%M") == "Mon 19:00"
    assert digest.message.subject == "2 pieces of homework handed in"
    assert "First" in digest.message.body and "Second" in digest.message.body
    assert "Still open" not in digest.message.body


def test_no_mail_when_the_coach_chose_none(coach, coachee, homework, clock):
    PracticeSettings.objects.create(coach=coach, submissions=SubmissionMails.OFF)
    submission_submit(assignment=homework, answers=["a"])

    sent = walk(clock, NOW + timedelta(days=2), step=timedelta(hours=1))

    assert {s.kind for s in sent} <= {Kind.NEW_ASSIGNMENT}
