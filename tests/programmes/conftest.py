"""Fixtures for programme tests: a frozen clock and a coach's three-step programme."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from assignments.programmes.models import Programme, ProgrammeStep

NOW = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


def days(n: float) -> datetime:
    return NOW + timedelta(days=n)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def make_programme(coach, steps: int = 3, title: str = "Three steps") -> Programme:
    programme = Programme.objects.create(coach=coach, title=title, language="en")
    for number in range(1, steps + 1):
        ProgrammeStep.objects.create(
            programme=programme,
            number=number,
            kind="preparation",
            title=f"Step {number} homework",
            instructions=f"Do step {number}.",
            coach_notes=f"Secret coach note {number}",
        )
    return programme


@pytest.fixture
def programme(coach):
    return make_programme(coach)
