"""Celery tasks: the sweep (run every minute by beat) and the sender.

Tasks take ids (and, for tests and replays, a pinned `now` in ISO 8601), load rows and call services.
Nothing here computes "now" at import time.
"""

import logging
from datetime import datetime

from celery import shared_task
from celery.exceptions import MaxRetriesExceededError
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)

# A send task whose SMTP server keeps failing is retried this often by Celery; after that the
# rows wait for the sweep, which hands them out again when their backoff has passed.
SEND_RETRIES = 5


def _moment(now: str | None) -> datetime | None:
    return datetime.fromisoformat(now) if now else None


def enqueue_send(ids: list[int], *, now: str | None = None) -> bool:
    """Hand rows to a worker. Never raises and never waits long: when the broker is down the rows
    stay in the outbox and a later sweep hands them out again (broker timeouts in settings)."""
    try:
        send_reminders.apply_async(args=[ids], kwargs={"now": now} if now else {})
    except Exception:
        logger.warning("Broker unavailable: %d reminder(s) wait for the next sweep", len(ids), exc_info=True)
        return False
    return True


@shared_task(acks_late=True, soft_time_limit=100, time_limit=120)
def sweep(now: str | None = None) -> dict:
    """Steps:
    1. Give up rows that failed too often.
    2. Plan: look at the homework whose next moment has come (or changed), and write an outbox row
       for each reminder that is due and has none.
    3. Hand the due rows to workers in batches, and note which were handed out.
    """
    at = _moment(now) or timezone.now()
    given_up = services.reminders_give_up(now=at)
    planned = services.reminders_plan(now=at)
    due = services.reminders_due(now=at)
    batches = [due[i : i + services.BATCH_SIZE] for i in range(0, len(due), services.BATCH_SIZE)]
    handed_out = [reminder_id for batch in batches if enqueue_send(batch, now=now) for reminder_id in batch]
    services.reminders_mark_enqueued(ids=handed_out, now=at)
    return {"given_up": given_up, "planned": planned, "due": len(due), "handed_out": len(handed_out)}


@shared_task(bind=True, acks_late=True, soft_time_limit=240, time_limit=300, max_retries=SEND_RETRIES)
def send_reminders(self, reminder_ids: list[int], now: str | None = None) -> dict:
    """Send a batch over one SMTP connection; after a transient failure retry the rest with backoff."""
    result = services.reminders_send(ids=reminder_ids, now=_moment(now))
    if result.retry_ids:
        try:
            raise self.retry(
                args=[result.retry_ids],
                kwargs={"now": now} if now else {},
                countdown=result.retry_in.total_seconds(),
            )
        except MaxRetriesExceededError:
            logger.warning("Reminders %s wait for the sweep after %d retries", result.retry_ids, SEND_RETRIES)
    return {"sent": len(result.sent), "skipped": len(result.skipped), "failed": len(result.failed)}
