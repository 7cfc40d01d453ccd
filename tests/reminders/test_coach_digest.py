"""The coach's digest before a session: the evening before by the coach's clock, listing what is due
for review there, what was handed in and what was not."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from assignments.reminders.models import CoacheeSettings, Kind, PracticeSettings, Reminder
from assignments.reminders.timing import at_local
from assignments.services import assignment_cancel, submission_submit
from tests.factories import AssignmentFactory, CoachingSessionFactory

from .conftest import NOW, deliver, local, walk


def digests(sent):
    return [s for s in sent if s.kind == Kind.COACH_DIGEST]


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Asia/Tokyo"])
def test_the_digest_comes_at_18_00_the_day_before_by_the_coachs_clock(zone, coach, coachee, clock):
    coach.timezone = zone
    coach.save()
    tz = ZoneInfo(zone)
    session = CoachingSessionFactory(coachee=coachee, starts_at=at_local(date(2026, 1, 14), time(9), tz))
    AssignmentFactory(coachee=coachee, assigned_at=clock.now)

    [digest] = digests(walk(clock, session.starts_at, step=timedelta(hours=1)))

    assert local(digest.at, zone).strftime("%a %d %H:%M") == "Tue 13 18:00"
    assert digest.message.to == ["coach@example.com"]


def test_the_digest_lists_what_was_handed_in_and_what_was_not(coachee, next_session, clock, settings):
    settings.SITE_URL = "https://coachhub.example.com"
    handed_in = AssignmentFactory(coachee=coachee, assigned_at=NOW, title="Values collage")
    AssignmentFactory(coachee=coachee, assigned_at=NOW, title="Letter to future self")
    cancelled = AssignmentFactory(coachee=coachee, assigned_at=NOW, title="Dropped idea")
    assignment_cancel(assignment=cancelled)
    clock.forward(days=2)
    submission_submit(assignment=handed_in, text="My collage")

    [digest] = digests(walk(clock, next_session.starts_at, step=timedelta(hours=1)))

    body = digest.message.body
    handed_part, not_part = body.split("Not handed in:")
    assert "Values collage" in handed_part and "Letter to future self" in not_part
    assert "Dropped idea" not in body
    assert "https://coachhub.example.com" + reverse("homework:session_detail", args=[next_session.pk]) in body
    assert "Session with Cody Coachee on Monday 19 January, 10:00" in digest.message.subject


def test_no_digest_when_nothing_is_due_for_review(coachee, next_session, clock):
    assert digests(walk(clock, next_session.starts_at, step=timedelta(hours=2))) == []


def test_a_session_scheduled_after_the_digest_time_gets_it_at_once_if_not_quiet(coachee, clock):
    clock.move_to(NOW.replace(hour=18))  # 19:00 in Berlin
    AssignmentFactory(coachee=coachee, assigned_at=NOW)
    CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(days=1))

    # The coachee hears of the session too: it was scheduled within a day, after the homework was given.
    assert sorted(s.kind for s in deliver(clock.now)) == sorted([Kind.NEW_ASSIGNMENT, Kind.DUE_SOON, Kind.COACH_DIGEST])


def test_a_session_scheduled_late_at_night_for_early_the_next_morning_gets_none(coachee, clock):
    clock.move_to(NOW.replace(hour=21))  # 22:00 in Berlin; quiet until 08:00, the session is at 07:30
    AssignmentFactory(coachee=coachee, assigned_at=NOW)
    session = CoachingSessionFactory(coachee=coachee, starts_at=NOW.replace(hour=6, minute=30) + timedelta(days=1))

    assert digests(walk(clock, session.starts_at, step=timedelta(minutes=30))) == []


@pytest.mark.parametrize("where", ["practice", "coachee"])
def test_the_coach_switches_digests_off(where, coach, coachee, homework, next_session, clock):
    if where == "practice":
        PracticeSettings.objects.create(coach=coach, coach_digest=False)
    else:
        CoacheeSettings.objects.create(coachee=coachee, coach_digest=False)

    assert digests(walk(clock, next_session.starts_at, step=timedelta(hours=2))) == []


def test_the_digest_time_is_the_coachs_choice(coach, coachee, homework, next_session, clock):
    PracticeSettings.objects.create(coach=coach, digest_time=time(8, 30))

    [digest] = digests(walk(clock, next_session.starts_at, step=timedelta(minutes=30)))

    assert local(digest.at, "Europe/Berlin").strftime("%a %H:%M") == "Sun 08:30"


def test_the_digest_around_the_autumn_change_comes_once_at_18_00(coachee, clock):
    berlin = ZoneInfo("Europe/Berlin")
    clock.move_to(at_local(date(2026, 10, 24), time(9), berlin))
    AssignmentFactory(coachee=coachee, assigned_at=clock.now)
    session = CoachingSessionFactory(coachee=coachee, starts_at=at_local(date(2026, 10, 26), time(10), berlin))

    sent = walk(clock, session.starts_at, step=timedelta(minutes=30))

    [digest] = digests(sent)
    assert local(digest.at, "Europe/Berlin").strftime("%a %d %H:%M") == "Sun 25 18:00"
    assert Reminder.objects.filter(kind=Kind.COACH_DIGEST).count() == 1
