"""Figures for the reminder sweep and the send path: what they cost at a given practice size.

Run them with `python manage.py bench_reminders`, which builds the data in a scratch database of its
own (Django's test database) and drops it afterwards. The functions below write into whatever
database is the default one, so call them only against a scratch database:

    from assignments.reminders import bench
    bench.sweep_figures(sizes=(100, 1000))   # idle sweep at each size, planning of 10,000 due mails
    bench.send_figures(count=1000)           # project vs plain smtplib into one SMTP sink

Each returns a dict of plain numbers (seconds, queries, mails per second), ready to print.

The practice: per coachee five sessions (three held, two ahead), twenty pieces of homework (twelve
reviewed at the held sessions, eight open and due at the next one, three of those handed in). Rows
are bulk-inserted: the figures are about the sweep, not about building data.
"""

import smtplib
import socket
import statistics
import time
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assignments.models import Assignment, Review
from coachhub.accounts.models import User
from sessions.models import Coachee, CoachingSession

from . import emails, services, tasks
from .models import Kind, Reminder

SESSION_DAYS = [-35, -21, -7, 7, 21]
HELD = 3
REVIEWED_PER_HELD = 4
OPEN = 8
OPEN_SUBMITTED = 3


def _timed(function, *args, **kwargs) -> dict:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = function(*args, **kwargs)
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 4), "queries": len(captured.captured_queries), "result": result}


def daytime_zone(now: datetime) -> str:
    """A fixed-offset zone where it is about noon at `now`, so that quiet hours defer nothing."""
    offset = max(-12, min(14, 12 - now.astimezone(UTC).hour))
    # The Etc/GMT names count the other way round: Etc/GMT-2 is two hours ahead of UTC.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def _people(prefix: str, count: int, zone: str) -> tuple[User, list[Coachee]]:
    coach = User.objects.create(email=f"{prefix}-coach@bench.example.com", name="Coach", timezone=zone)
    logins = User.objects.bulk_create(
        User(email=f"{prefix}-{n}@bench.example.com", name=f"Coachee {n}", role=User.Role.COACHEE, timezone=zone)
        for n in range(count)
    )
    coachees = Coachee.objects.bulk_create(
        Coachee(coach=coach, user=login, name=login.name, email=login.email, timezone=zone) for login in logins
    )
    return coach, coachees


def build_practice(*, prefix: str, coachees: int, now: datetime) -> User:
    """A coach with `coachees` coachees of the shape described in the module docstring."""
    coach, people = _people(prefix, coachees, daytime_zone(now))
    sessions = CoachingSession.objects.bulk_create(
        CoachingSession(
            coachee=coachee,
            starts_at=now + timedelta(days=day),
            status=CoachingSession.Status.HELD if i < HELD else CoachingSession.Status.SCHEDULED,
            held_at=now + timedelta(days=day, hours=1) if i < HELD else None,
            moved_earlier_at=now - timedelta(days=60),
        )
        for coachee in people
        for i, day in enumerate(SESSION_DAYS)
    )
    by_coachee = {c.pk: sessions[n * len(SESSION_DAYS) : (n + 1) * len(SESSION_DAYS)] for n, c in enumerate(people)}
    homework = []
    for coachee in people:
        own = by_coachee[coachee.pk]
        for held in own[:HELD]:
            for i in range(REVIEWED_PER_HELD):
                homework.append(
                    Assignment(
                        coachee=coachee,
                        kind="reflection",
                        title=f"Reviewed {i}",
                        instructions="Reflect.",
                        questions=["What did you notice?"],
                        assigned_at=held.starts_at - timedelta(days=14),
                        status=Assignment.Status.REVIEWED,
                        submitted_at=held.starts_at - timedelta(days=2),
                        reviewed_session=held,
                        closed_at=held.starts_at,
                    )
                )
        for i in range(OPEN):
            submitted = i < OPEN_SUBMITTED
            homework.append(
                Assignment(
                    coachee=coachee,
                    kind="reflection",
                    title=f"Open {i}",
                    instructions="Reflect.",
                    questions=["What did you notice?"],
                    assigned_at=own[HELD - 1].starts_at + timedelta(hours=1),
                    assigned_in_session=own[HELD - 1],
                    status=Assignment.Status.SUBMITTED if submitted else Assignment.Status.ASSIGNED,
                    submitted_at=now - timedelta(days=5) if submitted else None,
                )
            )
    homework = Assignment.objects.bulk_create(homework, batch_size=2000)
    reviews = [
        Review(assignment=a, session_id=a.reviewed_session_id, outcome="done", next_step="close")
        for a in homework
        if a.reviewed_session_id
    ]
    Review.objects.bulk_create(reviews, batch_size=2000)
    return coach


def build_due_homework(*, prefix: str, count: int, now: datetime, per_coachee: int = 20) -> User:
    """`count` pieces of homework given half an hour ago, none with an outbox row yet (as after the
    broker was down): each one a "new homework" mail due now."""
    coach, people = _people(prefix, -(-count // per_coachee), daytime_zone(now))
    Assignment.objects.bulk_create(
        (
            Assignment(
                coachee=people[n // per_coachee],
                kind="reflection",
                title=f"Due {n}",
                instructions="Reflect.",
                questions=["What did you notice?"],
                assigned_at=now - timedelta(minutes=30),
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    return coach


def _settle(now: datetime) -> None:
    """Plan everything due by `now` and count it as sent: the next sweep has nothing to do."""
    tasks.sweep(now=now.isoformat())
    Reminder.objects.exclude(status=Reminder.Status.SENT).update(
        status=Reminder.Status.SENT, sent_at=now, claim_expires_at=None
    )


def _idle_sweep(now: datetime, repeat: int = 3) -> dict:
    _settle(now)
    runs = [_timed(tasks.sweep, now=(now + timedelta(minutes=1 + i)).isoformat()) for i in range(repeat)]
    middle = statistics.median(run["seconds"] for run in runs)
    run = min(runs, key=lambda r: abs(r["seconds"] - middle))
    return {"seconds": run["seconds"], "queries": run["queries"]}


def _clear() -> None:
    User.objects.filter(email__endswith="@bench.example.com").delete()
    Reminder.objects.all().delete()


def sweep_figures(*, sizes=(100, 1000), due=10_000, now: datetime | None = None) -> dict:
    """The idle sweep (nothing due) at each practice size in coachees, and the planning of `due`
    "new homework" mails. Returns {"idle": {size: {"seconds", "queries", "open_homework"}},
    "plan": {"count", "seconds", "queries"}}."""
    now = now or timezone.now()
    figures = {"idle": {}}
    for size in sizes:
        _clear()
        build_practice(prefix=f"idle{size}", coachees=size, now=now)
        figures["idle"][size] = {
            **_idle_sweep(now),
            "open_homework": Assignment.objects.open().count(),
        }
    _clear()
    build_due_homework(prefix="due", count=due, now=now)
    run = _timed(services.reminders_plan, now=now)
    figures["plan"] = {"count": run["result"], "seconds": run["seconds"], "queries": run["queries"]}
    _clear()
    return figures


def send_figures(*, count: int = 1000, now: datetime | None = None) -> dict:
    """`count` "new homework" mails sent by `reminders_send` in batches of BATCH_SIZE into an SMTP
    sink in this process, against a plain smtplib loop sending the same mail as often over one
    connection into the same sink. Returns mails per second of each, their ratio, and the queries
    per batch of the project."""
    from aiosmtpd.controller import Controller
    from django.test.utils import override_settings

    now = now or timezone.now()
    _clear()
    build_due_homework(prefix="send", count=count, now=now)
    services.reminders_plan(now=now)
    ids = list(Reminder.objects.filter(kind=Kind.NEW_ASSIGNMENT).order_by("pk").values_list("pk", flat=True))
    batches = [ids[i : i + services.BATCH_SIZE] for i in range(0, len(ids), services.BATCH_SIZE)]
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1"}
        with override_settings(**smtp, EMAIL_PORT=controller.port, EMAIL_USE_TLS=False, EMAIL_USE_SSL=False):
            project = _timed(lambda: sum(len(services.reminders_send(ids=batch, now=now).sent) for batch in batches))
        raw = _raw(ids[0], count, controller.port, now)
    finally:
        controller.stop()
    _clear()
    project_rate = project["result"] / project["seconds"]
    raw_rate = count / raw
    return {
        "count": count,
        "project_mails_per_second": round(project_rate, 1),
        "raw_mails_per_second": round(raw_rate, 1),
        "ratio": round(project_rate / raw_rate, 2),
        "queries_per_batch": round(project["queries"] / len(batches), 1),
        "received": sink.received,
    }


def _raw(reminder_id: int, count: int, port: int, now: datetime) -> float:
    """Seconds to send the mail of one row `count` times with smtplib over one connection."""
    reminder = Reminder.objects.select_related(
        "recipient__reminder_settings", "coachee__coach", "coachee__user", "assignment", "session"
    ).get(pk=reminder_id)
    message = emails.reminder_message(reminder, now=now).message()
    sender, recipients, data = message["From"], [message["To"]], message.as_bytes(linesep="\r\n")
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for _ in range(count):
            client.sendmail(sender, recipients, data)
    return time.perf_counter() - started


class _Sink:
    """An SMTP server that accepts every mail and keeps none."""

    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
