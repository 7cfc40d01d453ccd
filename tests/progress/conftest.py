"""Fixtures for progress, calendar feeds, exports and deletion: a frozen clock and a coachee's
history small enough to count by hand (see `history`)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from assignments.models import Assignment, Cadence, CreativeFormat, Kind, LogEntry
from assignments.services import review_record, submission_save_draft, submission_submit
from tests.factories import AssignmentFactory, CoachingSessionFactory, GoalFactory, LogEntryFactory

# A Wednesday in winter: 10:00 in Europe/Berlin (the factories' time zone, UTC+1).
NOW = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 11)


def days(n: float, hour: int = 9) -> datetime:
    """A moment `n` days from NOW at `hour` o'clock UTC."""
    return (NOW + timedelta(days=n)).replace(hour=hour)


def day(n: int) -> date:
    """The coachee's calendar day `n` days from today."""
    return TODAY + timedelta(days=n)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class History:
    sessions: dict
    homework: dict
    goals: dict


def build_history(coachee) -> History:
    """Sessions, homework, check-ins and moods whose numbers the tests count by hand.

    Sessions: S1 28 days ago, S2 21, a cancelled one 17, S4 14, S5 7 days ago, and one in 7 days.
    Homework (kind, what happened):
      A1 reflection, given 30 days ago, handed in 29 days ago (fit 4), closed at S1.
      A2 behavioural practice per occurrence, given 30 days ago, never handed in, carried over at S1,
         closed at S2.
      A3 reflection, given 20 days ago, handed in 15 days ago (fit 2), waiting for its review.
      A4 daily behavioural practice, given 10 days ago, started, a draft rated 5 (not handed in).
      A5 creative, given 25 days ago, cancelled.
      A6 observation, given yesterday.
      A7, A8 mood journals, given 5 days ago, started.
    Goals: G1 served by A1, A3 and the cancelled A5; G2 by nothing.
    """
    s = {
        "S1": CoachingSessionFactory(coachee=coachee, starts_at=days(-28), status="held"),
        "S2": CoachingSessionFactory(coachee=coachee, starts_at=days(-21), status="held"),
        "cancelled": CoachingSessionFactory(coachee=coachee, starts_at=days(-17), status="cancelled"),
        "S4": CoachingSessionFactory(coachee=coachee, starts_at=days(-14), status="held"),
        "S5": CoachingSessionFactory(coachee=coachee, starts_at=days(-7), status="held"),
        "next": CoachingSessionFactory(coachee=coachee, starts_at=days(7)),
    }
    g = {"G1": GoalFactory(coachee=coachee, title="Set clear boundaries"), "G2": GoalFactory(coachee=coachee)}
    a = {
        "A1": AssignmentFactory(coachee=coachee, goal=g["G1"], title="Notice your yes", assigned_at=days(-30)),
        "A2": AssignmentFactory(
            coachee=coachee, kind=Kind.BEHAVIOURAL, cadence=Cadence.ONCE, questions=[], assigned_at=days(-30)
        ),
        "A3": AssignmentFactory(coachee=coachee, goal=g["G1"], title="What drains you", assigned_at=days(-20)),
        "A4": AssignmentFactory(
            coachee=coachee, kind=Kind.BEHAVIOURAL, cadence=Cadence.DAILY, questions=[], assigned_at=days(-10)
        ),
        "A5": AssignmentFactory(
            coachee=coachee, goal=g["G1"], kind=Kind.CREATIVE, questions=[], assigned_at=days(-25), status="cancelled"
        ),
        "A6": AssignmentFactory(coachee=coachee, kind=Kind.OBSERVATION, questions=[], assigned_at=days(-1)),
        "A7": AssignmentFactory(
            coachee=coachee,
            kind=Kind.CREATIVE,
            creative_format=CreativeFormat.MOOD_JOURNAL,
            questions=[],
            assigned_at=days(-5),
            status="started",
        ),
        "A8": AssignmentFactory(
            coachee=coachee,
            kind=Kind.CREATIVE,
            creative_format=CreativeFormat.MOOD_JOURNAL,
            questions=[],
            assigned_at=days(-5),
            status="started",
        ),
        "A9": AssignmentFactory(coachee=coachee, assigned_at=days(-9)),
    }
    submission_submit(assignment=a["A1"], answers=["Often."], fit_rating=4, now=days(-29))
    review_record(assignment=a["A1"], session=s["S1"], outcome="done", next_step="close")
    review_record(assignment=a["A2"], session=s["S1"], outcome="not_done", next_step="carry_over")
    review_record(assignment=a["A2"], session=s["S2"], outcome="not_done", next_step="close")
    submission_submit(assignment=a["A3"], answers=["Meetings."], fit_rating=2, now=days(-15))
    submission_submit(assignment=a["A9"], answers=["Later."], fit_rating=3, now=days(-6))
    submission_save_draft(assignment=a["A4"], text="Going well", fit_rating=5, now=days(-2))

    def check_in(assignment, n, did_it=True, type=LogEntry.Type.DAY):
        LogEntryFactory(assignment=assignment, type=type, day=day(n), did_it=did_it)

    for n in (0, -1, -2, -4, -13, -14):
        check_in(a["A4"], n)
    check_in(a["A4"], -3, did_it=False)
    for n in (-2, -2, -40):
        check_in(a["A2"], n, type=LogEntry.Type.OCCURRENCE)
    LogEntryFactory(assignment=a["A6"], type=LogEntry.Type.OBSERVATION, day=day(0), did_it=None)
    for assignment, n, mood in ((a["A7"], -1, 2), (a["A7"], -3, 4), (a["A8"], -1, 5), (a["A7"], -100, 1)):
        LogEntryFactory(assignment=assignment, type=LogEntry.Type.MOOD, day=day(n), did_it=None, mood=mood)
    for assignment in a.values():
        assignment.refresh_from_db()
    return History(sessions=s, homework=a, goals=g)


@pytest.fixture
def history(coachee):
    return build_history(coachee)


def build_practice(coach, size: int) -> None:
    """`size` coachees of `coach`, each with past and future sessions, homework in every state,
    check-ins, moods and a file: data for query counts at several sizes."""
    from tests.factories import CoacheeFactory, CoacheeUserFactory

    for _ in range(size):
        user = CoacheeUserFactory()
        build_units(CoacheeFactory(coach=coach, user=user, email=user.email), 1)


def build_units(coachee, units: int) -> None:
    """`units` weeks of one coachee's history: a session, two assignments, check-ins and a mood."""
    from tests.factories import SubmissionFactory, UploadFactory

    goal = GoalFactory(coachee=coachee)
    for n in range(units):
        start = days(-7 * (n + 1))
        CoachingSessionFactory(coachee=coachee, starts_at=start)
        handed_in = AssignmentFactory(
            coachee=coachee, goal=goal, assigned_at=start - timedelta(days=6), status=Assignment.Status.SUBMITTED
        )
        handed_in.submitted_at = start - timedelta(days=1)
        handed_in.save()
        SubmissionFactory(assignment=handed_in, fit_rating=4)
        practice = AssignmentFactory(
            coachee=coachee, kind=Kind.BEHAVIOURAL, cadence=Cadence.DAILY, questions=[], assigned_at=start
        )
        LogEntryFactory(assignment=practice, day=day(-7 * n))
        LogEntryFactory(assignment=practice, day=day(-7 * n - 1), did_it=False)
        mood = AssignmentFactory(
            coachee=coachee,
            kind=Kind.CREATIVE,
            creative_format=CreativeFormat.MOOD_JOURNAL,
            questions=[],
            assigned_at=start,
        )
        LogEntryFactory(assignment=mood, type=LogEntry.Type.MOOD, day=day(-7 * n), did_it=None, mood=3)
        UploadFactory(assignment__coachee=coachee)
    CoachingSessionFactory(coachee=coachee, starts_at=days(1))
    CoachingSessionFactory(coachee=coachee, starts_at=days(3))
