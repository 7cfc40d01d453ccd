"""Nudge: half-way between assigning and the due moment, when the coachee has not started."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from assignments.reminders.models import CoacheeSettings, Kind, MailPreferences
from assignments.reminders.timing import at_local
from assignments.services import log_entry_add
from tests.factories import AssignmentFactory, CoachingSessionFactory

from .conftest import NOW, local, walk


def nudges(sent):
    return [s for s in sent if s.kind == Kind.NUDGE]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        # Assigned Monday 09:00, due Saturday 09:00 (local): half-way is Wednesday 21:00, a quiet
        # hour everywhere, so it comes at 08:00 on Thursday by the coachee's own clock.
        ("Europe/Berlin", "Thu 08:00"),
        ("America/New_York", "Thu 08:00"),
        ("Asia/Tokyo", "Thu 08:00"),
    ],
)
def test_the_nudge_comes_half_way_by_the_coachees_clock_outside_quiet_hours(zone, expected, coachee, clock):
    tz = ZoneInfo(zone)
    coachee.user.timezone = zone
    coachee.user.save()
    start = clock.move_to(at_local(date(2026, 1, 12), time(9), tz))
    session = CoachingSessionFactory(coachee=coachee, starts_at=at_local(date(2026, 1, 17), time(9), tz))
    AssignmentFactory(coachee=coachee, assigned_at=start)

    [nudge] = nudges(walk(clock, session.starts_at, step=timedelta(hours=1)))

    assert local(nudge.at, zone).strftime("%a %H:%M") == expected
    assert "Half the time" in nudge.message.body


def test_the_nudge_outside_quiet_hours_comes_exactly_half_way(coachee, next_session, clock):
    # Assigned Monday 10:00 Berlin, due next Monday 10:00: half-way is Thursday 22:00, quiet; so
    # assign at 06:00 on Monday instead: half-way is Thursday 20:00.
    start = clock.move_to(NOW - timedelta(hours=4))
    AssignmentFactory(coachee=coachee, assigned_at=start)

    [nudge] = nudges(walk(clock, next_session.starts_at, step=timedelta(hours=1)))

    assert local(nudge.at, "Europe/Berlin").strftime("%a %H:%M") == "Thu 20:00"


def test_no_nudge_once_started(coachee, homework, next_session, clock):
    homework.kind, homework.cadence = "behavioural", "daily"
    homework.save()
    clock.forward(days=1)
    log_entry_add(assignment=homework, day=clock.now.date(), did_it=True)

    assert nudges(walk(clock, next_session.starts_at, step=timedelta(hours=1))) == []


@pytest.mark.parametrize("switched_off_by", ["coach", "coachee"])
def test_no_nudge_when_switched_off(switched_off_by, coachee, homework, next_session, clock):
    if switched_off_by == "coach":
        CoacheeSettings.objects.create(coachee=coachee, nudge=False)
    else:
        MailPreferences.objects.create(coachee=coachee, nudge=False)

    assert nudges(walk(clock, next_session.starts_at, step=timedelta(hours=1))) == []


def test_homework_without_a_due_moment_gets_no_nudge(coachee, clock):
    AssignmentFactory(coachee=coachee, assigned_at=clock.now)

    sent = walk(clock, clock.now + timedelta(days=14), step=timedelta(hours=3))

    assert [s.kind for s in sent] == [Kind.NEW_ASSIGNMENT]
