"""Local wall times and quiet hours, in the recipient's own time zone.

Stored times are UTC. A reminder meant for "18:00 the day before" or "24 hours before, by the clock"
is computed on the wall clock of the recipient's zone and only then turned into a UTC moment, so a
daylight-saving change neither moves nor duplicates it.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def at_local(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC moment at which the clocks in `zone` show `wall` on `day`.

    A wall time that does not exist (the hour skipped in spring) lands just after the gap; one that
    exists twice (the hour repeated in autumn) is its first occurrence.
    """
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def shift_wall_clock(moment: datetime, zone: ZoneInfo, *, hours: int) -> datetime:
    """`hours` later (or earlier, when negative) on the wall clock of `zone`: 24 hours before
    Monday 10:00 is Sunday 10:00 even when the clocks changed in between."""
    wall = moment.astimezone(zone).replace(tzinfo=None) + timedelta(hours=hours)
    return at_local(wall.date(), wall.time(), zone)


def utc_key(moment: datetime) -> str:
    """A moment as a short, stable text: part of an outbox row's occurrence key."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


@dataclass(frozen=True)
class QuietHours:
    """A span of the local day without mail, e.g. 21:00 to 08:00 (it may cross midnight).
    Equal start and end mean no quiet hours."""

    start: time
    end: time

    def covers(self, wall: time) -> bool:
        """Whether the wall-clock time `wall` is quiet."""
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end

    def contains(self, moment: datetime, zone: ZoneInfo) -> bool:
        return self.covers(moment.astimezone(zone).time())

    def defer(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """`moment`, or the end of the quiet hours it falls into."""
        if not self.contains(moment, zone):
            return moment
        local = moment.astimezone(zone)
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day += timedelta(days=1)
        return at_local(day, self.end, zone)
