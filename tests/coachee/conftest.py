"""Fixtures for the coachee's pages: a frozen clock, a logged-in coachee, and homework of each kind."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from assignments.models import Cadence, CreativeFormat, Kind
from tests.factories import AssignmentFactory, CoachingSessionFactory

# A Monday in winter, 10:00 in Europe/Berlin (the factories' time zone, UTC+1).
NOW = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


def days(n: float, hour: int = 9) -> datetime:
    """A moment `n` days from NOW at `hour` o'clock UTC."""
    return (NOW + timedelta(days=n)).replace(hour=hour)


def page_url(assignment) -> str:
    return reverse("my:assignment", args=[assignment.pk])


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def next_session(coachee):
    return CoachingSessionFactory(coachee=coachee, starts_at=days(7))


def homework(coachee, kind: str, **fields):
    """Homework of `kind` for `coachee`, given a week ago, shaped as the library shapes that kind."""
    shape = {
        Kind.REFLECTION: {"questions": ["What did you notice?", "What worked well?"]},
        Kind.BEHAVIOURAL: {"questions": [], "cadence": Cadence.DAILY, "title": "Say no once a day"},
        Kind.OBSERVATION: {"questions": [], "cadence": Cadence.DAILY, "title": "Tension in your body"},
        Kind.CREATIVE: {"questions": [], "title": "Values collage"},
        Kind.PREPARATION: {"questions": [], "title": "Bring a case example"},
        "mood_journal": {
            "questions": [],
            "cadence": Cadence.DAILY,
            "title": "Mood journal",
            "creative_format": CreativeFormat.MOOD_JOURNAL,
        },
    }[kind]
    real_kind = Kind.CREATIVE if kind == "mood_journal" else kind
    return AssignmentFactory(coachee=coachee, kind=real_kind, **{"assigned_at": days(-7), **shape, **fields})
