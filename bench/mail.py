"""The reminder sweep and the send path, measured in this process against the benchmark's database.

- idle sweep: the whole sweep task when nothing is due (every reminder sent already);
- planning: writing the outbox rows of many "new homework" mails that are due and have none;
- sending: `reminders_send` over those rows into an SMTP sink, against a plain smtplib loop that
  sends the same mail as often over one connection to the same sink.
"""

import smtplib
import statistics
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.reminders import emails, services, tasks
from assignments.reminders.models import Kind, Reminder

from .data import build_due_homework


@dataclass
class Timed:
    seconds: float
    queries: int
    count: int = 0


def timed(function, *args, **kwargs) -> tuple[Timed, object]:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = function(*args, **kwargs)
        seconds = time.perf_counter() - started
    return Timed(seconds, len(captured.captured_queries)), result


def settle_outbox(now: datetime) -> None:
    """Plan everything due by `now` and count it as sent: the next sweep has nothing to do."""
    services.reminders_plan(now=now)
    Reminder.objects.exclude(status=Reminder.Status.SENT).update(
        status=Reminder.Status.SENT, sent_at=now, claim_expires_at=None
    )


def idle_sweep(now: datetime, repeat: int = 3) -> Timed:
    """The median of `repeat` sweeps with nothing due (the first settles the outbox)."""
    settle_outbox(now)
    runs = [timed(tasks.sweep, now=now.isoformat())[0] for _ in range(repeat)]
    return min(runs, key=lambda run: abs(run.seconds - statistics.median(r.seconds for r in runs)))


def plan_due(*, count: int, now: datetime) -> Timed:
    """Give `count` pieces of new homework without writing their outbox rows (as if the broker had
    been down), and time the planning that writes them."""
    build_due_homework(count=count, now=now)
    result, planned = timed(services.reminders_plan, now=now)
    result.count = planned
    return result


def send_project(*, count: int, coach_email: str, now: datetime) -> tuple[Timed, list[int]]:
    """`reminders_send` over `count` due rows, in batches of the size the sweep hands out."""
    ids = list(
        Reminder.objects.claimable(now)
        .filter(coachee__coach__email=coach_email, kind=Kind.NEW_ASSIGNMENT)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    batches = [ids[i : i + services.BATCH_SIZE] for i in range(0, len(ids), services.BATCH_SIZE)]
    result, sent = timed(lambda: sum(len(services.reminders_send(ids=batch).sent) for batch in batches))
    result.count = sent
    return result, ids


def send_raw(*, count: int, reminder_id: int, host: str, port: int, now: datetime) -> Timed:
    """The same mail `count` times with smtplib over one connection: the floor of any send path."""
    reminder = Reminder.objects.select_related("recipient", "coachee__coach", "assignment", "session").get(
        pk=reminder_id
    )
    message = emails.reminder_message(reminder, now=now).message()
    sender, recipients, data = message["From"], [message["To"]], message.as_bytes(linesep="\r\n")
    started = time.perf_counter()
    with smtplib.SMTP(host, port) as smtp:
        for _ in range(count):
            smtp.sendmail(sender, recipients, data)
    return Timed(time.perf_counter() - started, 0, count)
