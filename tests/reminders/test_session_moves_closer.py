"""Case 4 of issue 8: a due-soon reminder is not lost when the session moves closer.

Homework without a date is due at its session; the due-soon reminder goes a day before it. When the
coach moves the session closer than that, the coachee has not been told: the reminder goes at once
(outside their quiet hours, else when those end), exactly once. Moving a session further away sends
nothing early, and homework given within the day before an unmoved session still gets none (its
new-homework mail said when it is due)."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from assignments.reminders.models import CoacheeSettings, Kind, Reminder
from sessions.services import session_schedule, session_update
from tests.factories import AssignmentFactory, CoachingSessionFactory

from .conftest import NOW, deliver, local, walk


def to_coachee(sent, coachee):
    return [s for s in sent if s.reminder.recipient_id == coachee.user_id]


def due_soon(sent):
    return [s for s in sent if s.kind == Kind.DUE_SOON]


def sweep_at(clock, moment):
    """Move the clock to `moment` and run one sweep there; the mails it sent."""
    clock.move_to(moment)
    return deliver(moment)


def wall(moment) -> str:
    return local(moment, "Europe/Berlin").strftime("%a %d %H:%M")


@pytest.fixture
def thursday(coachee, clock):
    """Thursday 15 January, 10:00 in Berlin: three days ahead."""
    return CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(days=3))


@pytest.fixture
def homework(coachee, thursday, clock):
    """Given now (Monday 10:00 in Berlin), due at Thursday's session."""
    return AssignmentFactory(coachee=coachee, assigned_at=NOW, title="Notice your yes")


def test_moving_the_session_to_18_hours_ahead_sends_the_due_soon_at_once_and_only_once(
    coachee, thursday, homework, clock
):
    before = sweep_at(clock, NOW + timedelta(hours=6))  # Mon 16:00 in Berlin
    assert [s.kind for s in to_coachee(before, coachee)] == [Kind.NEW_ASSIGNMENT]
    session_update(session=thursday, starts_at=clock.now + timedelta(hours=18))  # Tue 10:00

    at_once = sweep_at(clock, clock.now + timedelta(minutes=1))
    later = walk(clock, thursday.starts_at + timedelta(hours=1), step=timedelta(hours=1))

    [mail] = due_soon(at_once)
    assert wall(mail.at) == "Mon 12 16:01"
    assert mail.message.to == ["cody@example.com"]
    assert mail.message.subject == "Due Tuesday 13 January, 10:00: Notice your yes"
    due = '"Notice your yes" is due Tuesday 13 January, 10:00 (Europe/Berlin) and is not handed in yet.'
    assert due in mail.message.body
    assert to_coachee(later, coachee) == []
    assert Reminder.objects.filter(kind=Kind.DUE_SOON, status=Reminder.Status.SENT).count() == 1


def test_moved_closer_in_the_coachees_quiet_hours_it_comes_when_they_end(coachee, thursday, homework, clock):
    sweep_at(clock, NOW + timedelta(hours=12))  # Mon 22:00 in Berlin: quiet until 08:00
    session_update(session=thursday, starts_at=clock.now + timedelta(hours=18))  # Tue 16:00

    sent = walk(clock, thursday.starts_at, step=timedelta(hours=1))

    [mail] = due_soon(sent)
    assert wall(mail.at) == "Tue 13 08:00"
    assert "is due Tuesday 13 January, 16:00" in mail.message.body


def test_the_coachees_own_quiet_hours_defer_it_too(coachee, thursday, homework, clock):
    CoacheeSettings.objects.create(coachee=coachee, quiet_start=time(15), quiet_end=time(17))
    sweep_at(clock, NOW + timedelta(hours=6))  # Mon 16:00 in Berlin
    session_update(session=thursday, starts_at=clock.now + timedelta(hours=18))

    sent = walk(clock, thursday.starts_at, step=timedelta(hours=1))

    assert [wall(s.at) for s in due_soon(sent)] == ["Mon 12 17:00"]


def test_moving_the_session_to_25_hours_ahead_sends_it_a_day_before_as_ever(coachee, thursday, homework, clock):
    sweep_at(clock, NOW + timedelta(hours=6))  # Mon 16:00 in Berlin
    session_update(session=thursday, starts_at=clock.now + timedelta(hours=25))  # Tue 17:00

    sent = walk(clock, thursday.starts_at, step=timedelta(hours=1))

    assert [wall(s.at) for s in due_soon(sent)] == ["Mon 12 17:00"]


def test_moving_the_session_further_away_sends_nothing_early(coachee, thursday, homework, clock):
    sweep_at(clock, NOW + timedelta(hours=6))  # Mon 16:00 in Berlin
    session_update(session=thursday, starts_at=thursday.starts_at + timedelta(days=2))  # Sat 17, 10:00

    sent = walk(clock, thursday.starts_at, step=timedelta(hours=3))

    assert [wall(s.at) for s in due_soon(sent)] == ["Fri 16 10:00"]
    assert all(s.at >= NOW + timedelta(days=2) for s in to_coachee(sent, coachee))  # none before Wednesday


def test_moving_it_closer_but_more_than_a_day_ahead_sends_it_a_day_before_the_new_time(
    coachee, thursday, homework, clock
):
    sweep_at(clock, NOW + timedelta(hours=6))  # Mon 16:00 in Berlin
    session_update(session=thursday, starts_at=clock.now + timedelta(days=2))  # Wed 16:00, no longer Thu 10:00

    sent = walk(clock, thursday.starts_at, step=timedelta(hours=3))

    assert [wall(s.at) for s in due_soon(sent)] == ["Tue 13 16:00"]


def test_homework_given_within_the_day_before_an_unmoved_session_gets_no_due_soon(coachee, thursday, clock):
    clock.move_to(thursday.starts_at - timedelta(hours=20))
    AssignmentFactory(coachee=coachee, assigned_at=clock.now)

    sent = walk(clock, thursday.starts_at, step=timedelta(hours=1))

    assert Kind.NEW_ASSIGNMENT in [s.kind for s in to_coachee(sent, coachee)]
    assert due_soon(sent) == []


def test_a_session_moved_before_the_homework_was_given_counts_as_unmoved(coachee, thursday, clock):
    clock.move_to(NOW + timedelta(days=2))  # Wed 10:00 in Berlin
    session_update(session=thursday, starts_at=clock.now + timedelta(hours=18))  # Thu 04:00
    clock.forward(hours=1)
    AssignmentFactory(coachee=coachee, assigned_at=clock.now)

    sent = walk(clock, thursday.starts_at, step=timedelta(hours=1))

    assert due_soon(sent) == []


def test_editing_the_place_of_the_session_on_its_page_is_no_move(client, coach, coachee, clock):
    tuesday = CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(days=1))  # Tue 10:00 in Berlin
    clock.forward(hours=4)
    AssignmentFactory(coachee=coachee, assigned_at=clock.now)
    client.force_login(coach)

    response = client.post(
        reverse("coaching:session_edit", args=[tuesday.pk]),
        {
            "starts_at": "2026-01-13T10:00",
            "duration_minutes": "60",
            "location": "Room 2",
            "video_url": "",
            "coach_notes": "",
            "shared_summary": "",
        },
    )
    sent = walk(clock, tuesday.starts_at, step=timedelta(hours=1))

    assert response.status_code == 302
    tuesday.refresh_from_db()
    assert (tuesday.location, tuesday.starts_at) == ("Room 2", NOW + timedelta(days=1))
    assert due_soon(sent) == []


def test_homework_given_within_the_day_before_gets_none_when_the_session_then_moves_a_little_later(
    coachee, thursday, clock
):
    """Moving away is no reason for an early reminder, also within the last day."""
    clock.move_to(thursday.starts_at - timedelta(hours=20))  # Wed 14:00 in Berlin
    AssignmentFactory(coachee=coachee, assigned_at=clock.now)
    clock.forward(hours=1)
    session_update(session=thursday, starts_at=thursday.starts_at + timedelta(hours=2))  # Thu 12:00

    sent = walk(clock, thursday.starts_at, step=timedelta(hours=1))

    assert due_soon(sent) == []


def test_a_session_scheduled_within_the_day_for_homework_that_needed_one_sends_it_at_once(coachee, clock):
    homework = AssignmentFactory(coachee=coachee, assigned_at=NOW, title="Notice your yes")  # no session yet
    sweep_at(clock, NOW + timedelta(hours=6))  # Mon 16:00 in Berlin
    session = session_schedule(coachee=coachee, starts_at=clock.now + timedelta(hours=18))  # Tue 10:00

    sent = sweep_at(clock, clock.now + timedelta(minutes=1)) + walk(clock, session.starts_at, step=timedelta(hours=1))

    [mail] = due_soon(sent)
    assert mail.reminder.assignment == homework
    assert wall(mail.at) == "Mon 12 16:01"
    assert "is due Tuesday 13 January, 10:00" in mail.message.body


def test_a_sweep_that_runs_twice_after_the_move_sends_one_mail(coachee, thursday, homework, clock):
    sweep_at(clock, NOW + timedelta(hours=6))
    session_update(session=thursday, starts_at=clock.now + timedelta(hours=18))
    clock.forward(minutes=1)

    first, second = deliver(clock.now), deliver(clock.now)

    assert [s.kind for s in first] == [Kind.DUE_SOON]
    assert second == []
