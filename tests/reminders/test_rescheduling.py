"""Rescheduling a session re-times its reminders; cancelling one moves them to the next session.
Nothing is kept by hand: reminders are derived from the session times when they are due."""

from datetime import time, timedelta

from assignments.reminders.models import Kind, PracticeSettings, Reminder
from sessions.services import session_cancel, session_update
from tests.factories import CoachingSessionFactory

from .conftest import NOW, local, walk


def wall(sent):
    return [(s.kind, local(s.at, "Europe/Berlin").strftime("%a %d %H:%M")) for s in sent]


def test_moving_the_session_later_moves_the_due_soon_and_the_nudge(coachee, homework, next_session, clock):
    walk(clock, NOW + timedelta(days=1), step=timedelta(hours=1))
    session_update(session=next_session, starts_at=next_session.starts_at + timedelta(days=7))

    sent = walk(clock, next_session.starts_at, step=timedelta(hours=1))

    # Assigned Mon 12 10:00, now due Mon 26 10:00: half-way is Mon 19 10:00.
    assert wall(sent) == [
        (Kind.NUDGE, "Mon 19 10:00"),
        (Kind.DUE_SOON, "Sun 25 10:00"),
        (Kind.COACH_DIGEST, "Sun 25 18:00"),
    ]


def test_moving_the_session_after_the_due_soon_went_out_brings_a_new_one(coachee, homework, next_session, clock):
    first = walk(clock, next_session.starts_at - timedelta(hours=12), step=timedelta(hours=1))
    assert Kind.DUE_SOON in [s.kind for s in first]
    session_update(session=next_session, starts_at=next_session.starts_at + timedelta(days=2))

    sent = walk(clock, next_session.starts_at, step=timedelta(hours=1))

    assert [(k, w) for k, w in wall(sent) if k == Kind.DUE_SOON] == [(Kind.DUE_SOON, "Tue 20 10:00")]
    assert Reminder.objects.filter(kind=Kind.DUE_SOON, status=Reminder.Status.SENT).count() == 2


def test_a_waiting_reminder_of_a_moved_session_is_skipped_and_replaced(coachee, homework, next_session, clock):
    """The due-soon of a 07:00 session falls into the quiet hours and waits for 08:00; meanwhile
    the session moves a day later."""
    session_update(session=next_session, starts_at=next_session.starts_at.replace(hour=6))  # 07:00 Berlin
    walk(clock, next_session.starts_at - timedelta(hours=23, minutes=30), step=timedelta(minutes=30))  # Sun 07:30
    waiting = Reminder.objects.get(kind=Kind.DUE_SOON)
    assert waiting.status == Reminder.Status.PENDING
    assert local(waiting.due_at, "Europe/Berlin").strftime("%a %H:%M") == "Sun 08:00"
    session_update(session=next_session, starts_at=next_session.starts_at + timedelta(days=1))

    sent = walk(clock, next_session.starts_at, step=timedelta(minutes=30))

    waiting.refresh_from_db()
    assert waiting.status == Reminder.Status.SKIPPED
    assert [(k, w) for k, w in wall(sent) if k == Kind.DUE_SOON] == [(Kind.DUE_SOON, "Mon 19 08:00")]


def test_cancelling_the_session_moves_the_reminders_to_the_next_one(coachee, homework, next_session, clock):
    later = CoachingSessionFactory(coachee=coachee, starts_at=next_session.starts_at + timedelta(days=7))
    walk(clock, NOW + timedelta(days=2), step=timedelta(hours=1))
    session_cancel(session=next_session)

    sent = walk(clock, later.starts_at, step=timedelta(hours=1))

    # Now due Mon 26 10:00: half-way Mon 19 10:00; the cancelled session gets no digest.
    assert wall(sent) == [
        (Kind.NUDGE, "Mon 19 10:00"),
        (Kind.DUE_SOON, "Sun 25 10:00"),
        (Kind.COACH_DIGEST, "Sun 25 18:00"),
    ]
    assert not Reminder.objects.filter(session=next_session).exists()


def test_cancelling_after_the_digest_was_planned_skips_it(coach, coachee, homework, next_session, clock):
    """The coach's digest at 18:00 is deferred (quiet hours from 17:00); the session is cancelled
    before it goes out."""
    PracticeSettings.objects.create(coach=coach, digest_time=time(18), quiet_start=time(17), quiet_end=time(8))
    walk(clock, next_session.starts_at - timedelta(hours=12), step=timedelta(hours=1))  # Sun 22:00
    digest = Reminder.objects.get(kind=Kind.COACH_DIGEST)
    assert digest.status == Reminder.Status.PENDING
    session_cancel(session=next_session)

    walk(clock, next_session.starts_at, step=timedelta(hours=1))

    digest.refresh_from_db()
    assert digest.status == Reminder.Status.SKIPPED
    assert digest.get_skip_reason_display() == "the session was cancelled"
