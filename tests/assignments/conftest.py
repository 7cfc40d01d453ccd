"""Fixtures for the homework tests: a frozen clock and a coachee with a goal and two sessions."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories import CoachingSessionFactory, GoalFactory

# A Monday in winter: Europe/Berlin (the factories' time zone) is UTC+1.
NOW = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


def days(n: float, hour: int = 9) -> datetime:
    """A moment `n` days from NOW at `hour` o'clock UTC."""
    return (NOW + timedelta(days=n)).replace(hour=hour)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def goal(coachee):
    return GoalFactory(coachee=coachee, title="Set clear boundaries")


@pytest.fixture
def next_session(coachee):
    return CoachingSessionFactory(coachee=coachee, starts_at=days(7))


@pytest.fixture
def later_session(coachee):
    return CoachingSessionFactory(coachee=coachee, starts_at=days(21))
