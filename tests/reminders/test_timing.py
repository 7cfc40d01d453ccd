"""Local wall times and quiet hours: what every reminder rule is built on."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from assignments.reminders.timing import QuietHours, at_local, shift_wall_clock

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
QUIET = QuietHours(time(21), time(8))


@pytest.mark.parametrize(
    ("zone", "expected_utc"),
    [
        (BERLIN, datetime(2026, 1, 11, 17, 0, tzinfo=UTC)),
        (NEW_YORK, datetime(2026, 1, 11, 23, 0, tzinfo=UTC)),
        (TOKYO, datetime(2026, 1, 11, 9, 0, tzinfo=UTC)),
    ],
)
def test_a_wall_time_becomes_the_utc_moment_of_that_zone(zone, expected_utc):
    assert at_local(date(2026, 1, 11), time(18), zone) == expected_utc


def test_the_day_before_by_the_clock_keeps_the_wall_time_across_the_spring_change():
    # Berlin moves its clocks forward on Sunday 29 March 2026 at 02:00: that day has 23 hours.
    sunday = at_local(date(2026, 3, 29), time(10), BERLIN)

    before = shift_wall_clock(sunday, BERLIN, hours=-24)

    assert before.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 3, 28, 10, 0)
    assert (sunday - before).total_seconds() == 23 * 3600


def test_the_day_before_by_the_clock_keeps_the_wall_time_across_the_autumn_change():
    # Berlin moves its clocks back on Sunday 25 October 2026 at 03:00: that day has 25 hours.
    sunday = at_local(date(2026, 10, 25), time(10), BERLIN)

    before = shift_wall_clock(sunday, BERLIN, hours=-24)

    assert before.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 10, 24, 10, 0)
    assert (sunday - before).total_seconds() == 25 * 3600


def test_a_skipped_wall_time_lands_just_after_the_gap():
    moment = at_local(date(2026, 3, 29), time(2, 30), BERLIN)

    assert moment.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)


def test_a_repeated_wall_time_is_its_first_occurrence():
    moment = at_local(date(2026, 10, 25), time(2, 30), BERLIN)

    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("wall", "quiet"),
    [
        (time(20, 59), False),
        (time(21), True),
        (time(23, 30), True),
        (time(3), True),
        (time(7, 59), True),
        (time(8), False),
    ],
)
def test_quiet_hours_cross_midnight(wall, quiet):
    moment = at_local(date(2026, 1, 12), wall, BERLIN)

    assert QUIET.contains(moment, BERLIN) is quiet


def test_a_moment_in_the_evening_is_deferred_to_the_next_morning():
    evening = at_local(date(2026, 1, 12), time(22, 15), TOKYO)

    assert QUIET.defer(evening, TOKYO) == at_local(date(2026, 1, 13), time(8), TOKYO)


def test_a_moment_after_midnight_is_deferred_to_the_same_morning():
    night = at_local(date(2026, 1, 13), time(2), NEW_YORK)

    assert QUIET.defer(night, NEW_YORK) == at_local(date(2026, 1, 13), time(8), NEW_YORK)


def test_quiet_hours_within_one_day_and_none_at_all():
    lunch = QuietHours(time(12), time(14))
    noon = at_local(date(2026, 1, 12), time(13), BERLIN)

    assert lunch.defer(noon, BERLIN) == at_local(date(2026, 1, 12), time(14), BERLIN)
    assert QuietHours(time(0), time(0)).defer(noon, BERLIN) == noon
