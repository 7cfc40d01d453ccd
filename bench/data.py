"""Practices of a chosen size, built through the project's own services as a coach and coachees would.

Each coachee of a practice has a login, two goals, five sessions (three held, two ahead), twenty pieces
of homework (twelve reviewed at the held sessions, eight open and due at the next one), twelve
submissions and fifty check-ins. Check-ins are bulk-inserted: the service adds one row per call and
locks the homework each time, which would make a large practice take most of an hour to build.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assignments.models import Assignment, Criterion, HomeworkTemplate, LogEntry, Review
from assignments.reminders import receivers
from assignments.reminders.services import reminders_recheck
from assignments.services import CONTENT_FIELDS, assignment_create, review_record, submission_submit
from assignments.signals import assignment_created
from coachhub.accounts.models import User
from sessions.models import Coachee, CoachingSession
from sessions.services import coachee_create, session_mark_held, session_schedule

TIMEZONE = "Europe/Berlin"
# Days from now of the five sessions of every coachee: three held, two ahead.
SESSION_DAYS = [-35, -21, -7, 7, 21]
HELD_SESSIONS = 3
# Homework given two weeks before each held session and reviewed there, the first of each with a
# daily practice logged on every one of those fourteen days.
PAST_HOMEWORK = ["Say no once a day", "Weekly reflection", "How you respond to criticism", "Letter to your future self"]
# Given in the last held session, due at the next one; the first three are handed in already.
OPEN_HOMEWORK = [
    "Weekly reflection",
    "A question for our next session",
    "How you respond to criticism",
    "Say no once a day",
    "Letter to your future self",
    "Looking back on a difficult conversation",
    "Start a feedback conversation",
    "Mood journal",
]
OPEN_SUBMITTED = 3
PRACTICE_DAYS_OPEN = 7  # check-ins on the open daily practice, one a day since it was given
WORK_TEXT = "I noticed that I say yes before I have thought about it. " * 6


@dataclass
class Practice:
    """One coach's practice and the objects whose pages the benchmark opens."""

    size: int
    coach: User
    coachee: Coachee  # the first one; its login is the coachee the benchmark signs in as
    session: CoachingSession  # the coachee's next session, with its open homework on the agenda
    homework: Assignment  # open homework of that coachee with check-ins on it


def library() -> dict[str, dict]:
    """Content of each built-in template by title, ready for `assignment_create`."""
    return {
        template.title: {
            "template": template,
            "checklist": list(Criterion.values),
            **{name: getattr(template, name) for name in CONTENT_FIELDS},
        }
        for template in HomeworkTemplate.objects.filter(coach__isnull=True)
    }


def create_coach(*, email: str, name: str) -> User:
    return User.objects.create_user(
        email=email,
        password=None,
        name=name,
        role=User.Role.COACH,
        timezone=TIMEZONE,
        email_confirmed_at=timezone.now(),
    )


def create_logins(*, prefix: str, count: int, timezone_name: str = TIMEZONE) -> list[User]:
    """Coachee logins in one INSERT; they sign in through the benchmark's own sessions only."""
    password = make_password(None)
    return User.objects.bulk_create(
        User(
            email=f"{prefix}-{n}@bench.example.com",
            name=f"Coachee {n} of {prefix}",
            role=User.Role.COACHEE,
            timezone=timezone_name,
            password=password,
            email_confirmed_at=timezone.now(),
        )
        for n in range(count)
    )


def build_practice(*, size: int, now: datetime) -> Practice:
    """One coach with `size` coachees, each as the module docstring describes."""
    coach = create_coach(email=f"coach-{size}@bench.example.com", name=f"Coach of {size}")
    content = library()
    logins = create_logins(prefix=f"p{size}", count=size)
    with without_new_homework_mail():
        built = [
            _build_coachee(coach=coach, login=login, n=n, now=now, content=content) for n, login in enumerate(logins)
        ]
    coachee, session, homework = built[0]
    return Practice(size=size, coach=coach, coachee=coachee, session=session, homework=homework)


@contextmanager
def without_new_homework_mail():
    """Build without the listener that plans the "new homework" mail of each new piece: asking its
    rule costs some 40 ms each, most of the time a large practice takes to build. Homework given a
    week or more ago gets no such mail anyway, and the due homework's rows are what the benchmark
    plans itself. The listener plans only that one mail; should it ever do more, build with it."""
    disconnected = assignment_created.disconnect(dispatch_uid="reminders.new_assignment")
    try:
        yield
    finally:
        if disconnected:
            receivers.connect()


@transaction.atomic
def _build_coachee(*, coach: User, login: User, n: int, now: datetime, content: dict):
    """Steps:
    1. The coachee record with two goals, linked to its login; five sessions, three of them held.
    2. For each held session: four pieces of homework given two weeks before, worked on, reviewed there.
    3. Eight pieces given in the last held session, three of them handed in, a daily practice logged.
    Returns the coachee, their next session and the open practice."""
    coachee = coachee_create(
        coach=coach,
        name=login.name,
        email=login.email,
        coaching_question="How can I lead my team with more calm, and say no without feeling guilty?",
        timezone_name=TIMEZONE,
        goals=["Set clear boundaries at work", "Give feedback with confidence"],
    )
    coachee.user = login
    coachee.save(update_fields=["user"])
    goals = list(coachee.goals.all())
    sessions = _schedule(coachee=coachee, n=n, now=now)
    entries = []
    for session in sessions[:HELD_SESSIONS]:
        entries += _reviewed_homework(coachee=coachee, session=session, goals=goals, content=content)
    last_held, next_session = sessions[HELD_SESSIONS - 1], sessions[HELD_SESSIONS]
    practice, open_entries = _open_homework(coachee=coachee, session=last_held, goals=goals, content=content, now=now)
    LogEntry.objects.bulk_create(entries + open_entries)
    return coachee, next_session, practice


def _schedule(*, coachee: Coachee, n: int, now: datetime) -> list[CoachingSession]:
    # Spread over the working day, so the practice's sessions do not all start at the same minute.
    zone = ZoneInfo(TIMEZONE)
    today = timezone.localtime(now, zone).replace(hour=9 + n % 8, minute=(n * 5) % 60, second=0, microsecond=0)
    sessions = [
        session_schedule(
            coachee=coachee, starts_at=today + timedelta(days=days), duration_minutes=60, location="Office"
        )
        for days in SESSION_DAYS
    ]
    for session in sessions[:HELD_SESSIONS]:
        session_mark_held(session=session, now=session.ends_at)
    return sessions


def _assign(*, coachee, title, content, goals, index, **fields) -> Assignment:
    return assignment_create(coachee=coachee, goal=goals[index % len(goals)], **content[title], **fields)


def _reviewed_homework(*, coachee, session, goals, content) -> list[LogEntry]:
    given = session.starts_at - timedelta(days=14)
    homework = [
        _assign(coachee=coachee, title=title, content=content, goals=goals, index=i, assigned_at=given)
        for i, title in enumerate(PAST_HOMEWORK)
    ]
    practice, *handed_in = homework
    for assignment in handed_in:
        _hand_in(assignment, at=session.starts_at - timedelta(days=2))
    entries = _check_ins(practice, first_day=given, days=14)
    _mark_started([practice], at=given + timedelta(days=1))
    for i, assignment in enumerate(homework):
        review_record(
            assignment=assignment,
            session=session,
            outcome=[Review.Outcome.DONE, Review.Outcome.PARTLY][i % 2],
            next_step=Review.NextStep.CLOSE,
            insights="Noticed the pattern earlier than last time.",
        )
    return entries


def _open_homework(*, coachee, session, goals, content, now) -> tuple[Assignment, list[LogEntry]]:
    homework = [
        _assign(
            coachee=coachee,
            title=title,
            content=content,
            goals=goals,
            index=i,
            assigned_in_session=session,
            assigned_at=session.ends_at,
        )
        for i, title in enumerate(OPEN_HOMEWORK)
    ]
    for assignment in homework[:OPEN_SUBMITTED]:
        _hand_in(assignment, at=now - timedelta(days=1))
    practice = next(a for a in homework if a.entry_type == LogEntry.Type.DAY)
    _mark_started([practice], at=session.ends_at + timedelta(hours=1))
    return practice, _check_ins(practice, first_day=session.ends_at, days=PRACTICE_DAYS_OPEN)


def _hand_in(assignment: Assignment, *, at: datetime) -> None:
    answers = [WORK_TEXT[: 40 + 20 * i] for i, _question in enumerate(assignment.questions)]
    submission_submit(assignment=assignment, answers=answers, text=WORK_TEXT, fit_rating=4, now=at)


def _check_ins(assignment: Assignment, *, first_day: datetime, days: int) -> list[LogEntry]:
    start = timezone.localtime(first_day, ZoneInfo(TIMEZONE)).date()
    return [
        LogEntry(
            assignment=assignment,
            type=assignment.entry_type,
            day=start + timedelta(days=d),
            did_it=d % 4 != 3,
            note="Declined an extra meeting." if d % 3 == 0 else "",
            created_at=first_day + timedelta(days=d, hours=20),
        )
        for d in range(days)
    ]


def _mark_started(homework: list[Assignment], *, at: datetime) -> None:
    """What the first check-in does through the service (check-ins are inserted in bulk here), and
    what saving it would tell the reminders: look at this homework again."""
    Assignment.objects.filter(pk__in=[a.pk for a in homework], started_at__isnull=True).update(started_at=at)
    Assignment.objects.filter(pk__in=[a.pk for a in homework], status=Assignment.Status.ASSIGNED).update(
        status=Assignment.Status.STARTED
    )
    reminders_recheck(homework=Assignment.objects.filter(pk__in=[a.pk for a in homework]))
    for assignment in homework:
        assignment.refresh_from_db(fields=["status", "started_at"])


def open_homework_count() -> int:
    return Assignment.objects.filter(status__in=Assignment.OPEN_STATUSES).count()


def build_due_homework(*, count: int, now: datetime, per_coachee: int = 20) -> User:
    """A coach whose coachees were just given `count` pieces of homework in all, none started: each
    one is a "new homework" mail due now, not yet in the outbox. Their time zone has daytime now, so
    quiet hours defer none. Returns the coach."""
    coach = create_coach(email="coach-due@bench.example.com", name="Coach with due mail")
    zone = daytime_zone(now)
    content = library()
    logins = create_logins(prefix="due", count=-(-count // per_coachee), timezone_name=zone)
    titles = OPEN_HOMEWORK
    given = 0
    for n, login in enumerate(logins):
        with without_new_homework_mail(), transaction.atomic():
            coachee = coachee_create(coach=coach, name=login.name, email=login.email, timezone_name=zone)
            coachee.user = login
            coachee.save(update_fields=["user"])
            for i in range(min(per_coachee, count - given)):
                assignment_create(
                    coachee=coachee, assigned_at=now - timedelta(minutes=30), **content[titles[(n + i) % len(titles)]]
                )
                given += 1
    return coach


def daytime_zone(now: datetime) -> str:
    """A fixed-offset zone where it is about noon at `now` (outside any quiet hours)."""
    offset = max(-12, min(14, 12 - now.astimezone(ZoneInfo("UTC")).hour))
    # The Etc/GMT names count the other way round: Etc/GMT-2 is two hours ahead of UTC.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def find_practice(*, size: int) -> Practice | None:
    """The practice of `size` coachees that `build_practice` left in a kept database, or None."""
    coach = User.objects.filter(email=f"coach-{size}@bench.example.com").first()
    if coach is None:
        return None
    coachee = Coachee.objects.get(user__email=f"p{size}-0@bench.example.com")
    session = coachee.sessions.filter(held_at__isnull=True).order_by("starts_at").first()
    homework = (
        Assignment.objects.filter(coachee=coachee, status__in=Assignment.OPEN_STATUSES, log_entries__isnull=False)
        .distinct()
        .get()
    )
    return Practice(size=size, coach=coach, coachee=coachee, session=session, homework=homework)
