"""Demo data for trying CoachHub locally (`make run`): a coach, two coachees, sessions and homework.

Idempotent: a second run leaves the data as it is and only makes sure the demo logins work.
`--reset` deletes the demo accounts with everything under them and seeds afresh.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assignments.models import Criterion, HomeworkTemplate, Review
from assignments.services import CONTENT_FIELDS, assignment_create, log_entry_add, review_record
from coachhub.accounts.models import User
from sessions.models import Coachee
from sessions.services import coachee_create, session_mark_held, session_schedule

DEMO_PASSWORD = "coachhub-demo"
COACH_EMAIL = "coach@example.com"
COACHEE_EMAIL = "coachee@example.com"
DEMO_TIMEZONE = "Europe/Berlin"


class Command(BaseCommand):
    help = "Create demo accounts and data for local use (DEBUG only). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo accounts and their data first.")

    def handle(self, *args, reset=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only with DEBUG=1 "
                "(as `make run` sets it). It never runs in production."
            )
        with transaction.atomic():
            if reset:
                User.objects.filter(email__in=[COACH_EMAIL, COACHEE_EMAIL]).delete()
            coach = ensure_user(email=COACH_EMAIL, name="Clara Demo-Coach", role=User.Role.COACH)
            coachee_user = ensure_user(email=COACHEE_EMAIL, name="Jonas Weber", role=User.Role.COACHEE)
            if Coachee.objects.for_coach(coach).exists():
                self.stdout.write("Demo data is in place; the demo logins are ready.")
                return
            seed_practice(coach=coach, coachee_user=coachee_user)
        self.stdout.write(self.style.SUCCESS("Demo data created."))


def ensure_user(*, email: str, name: str, role: str) -> User:
    """The demo login, created if missing; its password is reset to the published one if changed."""
    user = User.objects.filter(email=email).first()
    if user is None:
        return User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            name=name,
            role=role,
            timezone=DEMO_TIMEZONE,
            email_confirmed_at=timezone.now(),
        )
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def library(title: str) -> dict:
    """The content of a built-in template, ready to pass to `assignment_create`."""
    template = HomeworkTemplate.objects.get(coach__isnull=True, title=title)
    content = {name: getattr(template, name) for name in CONTENT_FIELDS}
    return {"template": template, "checklist": list(Criterion.values), **content}


def at(day: datetime, hour: int) -> datetime:
    """`day` at `hour` o'clock in the demo time zone."""
    return datetime.combine(day.date(), time(hour), tzinfo=ZoneInfo(DEMO_TIMEZONE))


def seed_practice(*, coach: User, coachee_user: User) -> None:
    """Steps:
    1. Two coachees with goals: Jonas (with the coachee login) and Mara (no login yet).
    2. Jonas: a session a week ago (held), and two upcoming ones; Mara: one upcoming session.
    3. Homework Jonas got before last week's session, reviewed there: one closed, one carried over.
    4. Homework from last week's session, due at the next one; one piece for Mara.
    5. Jonas's work so far: check-ins on his daily practice, an observation, and a mood journal.
    """
    today = timezone.localtime(timezone.now(), ZoneInfo(DEMO_TIMEZONE))

    jonas = coachee_create(
        coach=coach,
        name="Jonas Weber",
        email=COACHEE_EMAIL,
        coaching_question="How can I lead my team with more calm, and say no without feeling guilty?",
        timezone_name=DEMO_TIMEZONE,
        goals=["Set clear boundaries at work", "Give feedback with confidence"],
    )
    jonas.user = coachee_user
    jonas.save(update_fields=["user"])
    boundaries, feedback = jonas.goals.all()

    mara = coachee_create(
        coach=coach,
        name="Mara Lindqvist",
        email="mara@example.com",
        coaching_question="What do I want the next five years of my career to look like?",
        timezone_name=DEMO_TIMEZONE,
        goals=["Find a sustainable weekly rhythm"],
    )
    rhythm = mara.goals.get()

    last_week = session_schedule(
        coachee=jonas, starts_at=at(today - timedelta(days=7), 10), duration_minutes=60, location="Office"
    )
    session_mark_held(session=last_week, now=last_week.ends_at)
    session_schedule(
        coachee=jonas,
        starts_at=at(today + timedelta(days=7), 10),
        duration_minutes=60,
        video_url="https://meet.example.com/jonas-weber",
    )
    session_schedule(
        coachee=jonas, starts_at=at(today + timedelta(days=21), 10), duration_minutes=60, location="Office"
    )
    session_schedule(coachee=mara, starts_at=at(today + timedelta(days=3), 16), duration_minutes=90, location="Office")

    before_last_week = last_week.starts_at - timedelta(days=14)
    reflection = assignment_create(
        coachee=jonas, goal=boundaries, assigned_at=before_last_week, **library("Weekly reflection")
    )
    review_record(
        assignment=reflection,
        session=last_week,
        outcome=Review.Outcome.DONE,
        next_step=Review.NextStep.CLOSE,
        insights="Jonas notices that he agrees to requests before he has thought about them.",
    )
    feedback_talk = assignment_create(
        coachee=jonas, goal=feedback, assigned_at=before_last_week, **library("Start a feedback conversation")
    )
    review_record(
        assignment=feedback_talk,
        session=last_week,
        outcome=Review.Outcome.PARTLY,
        next_step=Review.NextStep.CARRY_OVER,
        coach_notes="Picked the colleague, but the conversation has not happened yet.",
    )

    assigned_last_week = last_week.ends_at
    say_no, criticism = (
        assignment_create(
            coachee=jonas, goal=goal, assigned_in_session=last_week, assigned_at=assigned_last_week, **library(title)
        )
        for title, goal in [("Say no once a day", boundaries), ("How you respond to criticism", feedback)]
    )
    assignment_create(
        coachee=jonas,
        assigned_in_session=last_week,
        assigned_at=assigned_last_week,
        **library("A question for our next session"),
    )
    assignment_create(
        coachee=mara, goal=rhythm, assigned_at=today - timedelta(days=2), **library("Letter to your future self")
    )

    local_today = today.date()
    for days_ago, did_it, note in [
        (4, True, "Declined an extra meeting on Friday."),
        (3, False, "Agreed to review a report I had no time for."),
        (2, True, "Said no to lunch-time calls."),
        (1, True, "Asked for a day's time before answering."),
    ]:
        log_entry_add(assignment=say_no, day=local_today - timedelta(days=days_ago), did_it=did_it, note=note)
    log_entry_add(
        assignment=criticism,
        day=local_today - timedelta(days=2),
        note="My manager questioned my estimate. I felt my face get hot and started to justify myself at once.",
    )
    moods = assignment_create(coachee=jonas, assigned_at=today - timedelta(days=5), **library("Mood journal"))
    for days_ago, mood, note in [(3, 2, "Long day, little sleep."), (2, 4, "Good talk with my team."), (1, 3, "")]:
        log_entry_add(assignment=moods, day=local_today - timedelta(days=days_ago), mood=mood, note=note)
