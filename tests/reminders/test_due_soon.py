"""Due soon: a day before the due moment by the coachee's own clock, when not handed in; across time
zones and daylight-saving changes it comes once, at the same wall time."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from assignments.reminders.models import CoacheeSettings, Kind, PracticeSettings
from assignments.reminders.timing import at_local
from assignments.services import submission_submit
from tests.factories import AssignmentFactory, CoachingSessionFactory

from .conftest import deliver, local, walk


def of_kind(sent, kind):
    return [s for s in sent if s.kind == kind]


def _wall(moment, zone):
    return local(moment, zone).strftime("%a %Y-%m-%d %H:%M")


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Asia/Tokyo"])
def test_due_soon_comes_the_day_before_at_the_same_local_time(zone, coachee, clock):
    coachee.user.timezone = zone
    coachee.user.save()
    start = clock.move_to(at_local(date(2026, 1, 12), time(9), ZoneInfo(zone)))
    session = CoachingSessionFactory(coachee=coachee, starts_at=at_local(date(2026, 1, 19), time(10), ZoneInfo(zone)))
    AssignmentFactory(coachee=coachee, assigned_at=start)

    [due_soon] = of_kind(walk(clock, session.starts_at, step=timedelta(hours=1)), Kind.DUE_SOON)

    assert _wall(due_soon.at, zone) == "Sun 2026-01-18 10:00"
    assert f"is due Monday 19 January, 10:00 ({zone.replace('_', ' ')})" in due_soon.message.body


@pytest.mark.parametrize(
    ("session_day", "expected"),
    [
        # Clocks go forward on Sunday 29 March at 02:00 (23-hour day) ...
        (date(2026, 3, 29), "Sat 2026-03-28 10:00"),
        (date(2026, 3, 30), "Sun 2026-03-29 10:00"),
        # ... and back on Sunday 25 October at 03:00 (25-hour day).
        (date(2026, 10, 25), "Sat 2026-10-24 10:00"),
        (date(2026, 10, 26), "Sun 2026-10-25 10:00"),
    ],
)
def test_a_daylight_saving_change_neither_moves_nor_duplicates_it(session_day, expected, coachee, clock):
    berlin = ZoneInfo("Europe/Berlin")
    start = clock.move_to(at_local(session_day - timedelta(days=3), time(9), berlin))
    session = CoachingSessionFactory(coachee=coachee, starts_at=at_local(session_day, time(10), berlin))
    AssignmentFactory(coachee=coachee, assigned_at=start)

    sent = walk(clock, session.starts_at + timedelta(hours=2), step=timedelta(hours=1))

    [due_soon] = of_kind(sent, Kind.DUE_SOON)
    assert _wall(due_soon.at, "Europe/Berlin") == expected


def test_not_sent_when_the_work_is_handed_in(coachee, homework, next_session, clock):
    clock.move_to(next_session.starts_at - timedelta(days=2))
    submission_submit(assignment=homework, answers=["Done"])

    sent = walk(clock, next_session.starts_at, step=timedelta(hours=1))

    assert of_kind(sent, Kind.DUE_SOON) == []


def test_a_started_draft_still_gets_it(coachee, homework, next_session, clock):
    from assignments.services import submission_save_draft

    submission_save_draft(assignment=homework, answers=["Half"])

    sent = walk(clock, next_session.starts_at, step=timedelta(hours=1))

    [due_soon] = of_kind(sent, Kind.DUE_SOON)
    assert "Your draft is saved" in due_soon.message.body
    assert of_kind(sent, Kind.NUDGE) == []  # started: no nudge


def test_homework_given_less_than_the_hours_before_gets_none(coachee, next_session, clock):
    clock.move_to(next_session.starts_at - timedelta(hours=20))
    AssignmentFactory(coachee=coachee, assigned_at=clock.now)

    sent = walk(clock, next_session.starts_at, step=timedelta(hours=1))

    assert of_kind(sent, Kind.DUE_SOON) == []


def test_the_coach_sets_the_hours_for_the_practice_and_per_coachee(coach, coachee, homework, next_session, clock):
    PracticeSettings.objects.create(coach=coach, due_soon_hours=48)
    CoacheeSettings.objects.create(coachee=coachee, due_soon_hours=6)

    [due_soon] = of_kind(walk(clock, next_session.starts_at, step=timedelta(hours=1)), Kind.DUE_SOON)

    # Six hours before 10:00 is 04:00, in the quiet hours: it waits until they end.
    assert _wall(due_soon.at, "Europe/Berlin") == "Mon 2026-01-19 08:00"


def test_an_explicit_due_date_counts_instead_of_the_session(coachee, next_session, clock):
    due = next_session.starts_at - timedelta(days=3)  # Friday 10:00 in Berlin
    AssignmentFactory(coachee=coachee, assigned_at=clock.now, due_at=due)

    [due_soon] = of_kind(walk(clock, due, step=timedelta(hours=1)), Kind.DUE_SOON)

    assert _wall(due_soon.at, "Europe/Berlin") == "Thu 2026-01-15 10:00"


def test_after_the_session_began_a_waiting_one_is_skipped(coachee, homework, next_session, clock):
    """An outage: the sweep comes back only after the session began; nothing stale goes out."""
    clock.move_to(next_session.starts_at + timedelta(minutes=5))

    assert of_kind(deliver(clock.now), Kind.DUE_SOON) == []
