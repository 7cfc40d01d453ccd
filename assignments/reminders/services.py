"""Writes for reminders: the outbox (planning, claiming, sending) and the settings people change.

Sending a batch (`reminders_send`), for each row in turn:
1. Claim it with one conditional UPDATE; go on only if this sender won it.
2. Ask its rule again (planning.still_planned): a reminder gone stale is marked skipped; one that now
   falls into quiet hours goes back to waiting until they end.
3. Render the mail and send it over the batch's one SMTP connection, opened at the first mail.
4. Mark it sent. A permanent refusal (5xx) marks it failed, for good; a transient failure (4xx, no
   connection, a timeout) puts it back to waiting with a later due time and ends the batch, whose
   rest the caller retries.
A claim that is never completed (the worker died) expires after CLAIM_TIMEOUT; the next sweep hands
the row out again, and its mail keeps the same Message-ID.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from assignments.models import Assignment
from coachhub.accounts.emails import is_permanent
from sessions.models import Coachee

from . import emails, links, planning
from .models import (
    CATEGORY_OF_KIND,
    COACH_CATEGORIES,
    COACHEE_CATEGORIES,
    Category,
    CoacheeSettings,
    Kind,
    MailPreferences,
    PracticeSettings,
    Reminder,
    SkipReason,
    SubmissionMails,
)

logger = logging.getLogger(__name__)

# Rows per send task: one SMTP connection each.
BATCH_SIZE = 50
# Rows handed to workers per sweep; a larger backlog goes out over the next sweeps.
SWEEP_LIMIT = 5000
# A claim not completed within this time belongs to a sender that died; the row is sent again.
# Longer than the send task's hard time limit, so a live sender never loses its claim.
CLAIM_TIMEOUT = timedelta(minutes=10)
# A row handed to a worker is handed again only after this (the worker may be busy or down).
REQUEUE_AFTER = CLAIM_TIMEOUT
# Transient failures are retried after RETRY_DELAY, doubling up to MAX_RETRY_DELAY; after
# MAX_ATTEMPTS claims (about seven hours of failures) the row is given up as failed.
RETRY_DELAY = timedelta(minutes=1)
MAX_RETRY_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 12


# --- Planning into the outbox -------------------------------------------------------------------


def _existing_keys(planned: list[planning.Planned]) -> set[tuple]:
    """Keys of the planned reminders that have a row already, in one query."""
    assignment_ids = {p.assignment_id for p in planned if p.assignment_id is not None}
    session_ids = {p.session_id for p in planned if p.session_id is not None}
    own = [p for p in planned if p.assignment_id is None and p.session_id is None]
    rows = Q(assignment_id__in=assignment_ids) | Q(session_id__in=session_ids)
    if own:
        rows |= Q(
            assignment__isnull=True,
            session__isnull=True,
            recipient_id__in={p.recipient_id for p in own},
            occurrence__in={p.occurrence for p in own},
        )
    return set(
        Reminder.objects.filter(rows, kind__in={p.kind for p in planned}).values_list(
            "kind", "recipient_id", "assignment_id", "session_id", "occurrence"
        )
    )


def reminders_plan(*, now: datetime) -> int:
    """Write an outbox row for every reminder due by `now` that has none yet. Returns how many.

    A concurrent sweep may write the same rows: the unique key keeps one of each.
    """
    planned = planning.plan(now)
    if not planned:
        return 0
    existing = _existing_keys(planned)
    missing = {p.key: p for p in planned if p.key not in existing}
    Reminder.objects.bulk_create([p.as_reminder() for p in missing.values()], ignore_conflicts=True)
    return len(missing)


def reminder_plan_new_assignment(*, assignment: Assignment, now: datetime | None = None) -> Reminder | None:
    """Write the outbox row of the "new homework" mail in the transaction that assigns it, so the
    mail is not lost if the broker is down when that commits. Returns the row when it is due now
    (not deferred by quiet hours), for the caller to hand to a worker after the commit."""
    now = now or timezone.now()
    planned = planning.new_assignments(now, Assignment.objects.filter(pk=assignment.pk))
    if not planned:
        return None
    plan = planned[0]
    reminder, created = Reminder.objects.get_or_create(
        kind=plan.kind,
        recipient_id=plan.recipient_id,
        assignment_id=plan.assignment_id,
        occurrence=plan.occurrence,
        defaults={"coachee_id": plan.coachee_id, "due_at": plan.due_at},
    )
    return reminder if created and reminder.due_at <= now else None


def reminders_give_up(*, now: datetime) -> int:
    """Rows claimed MAX_ATTEMPTS times without success (a sender died on each) are failed."""
    return (
        Reminder.objects.claimable(now)
        .filter(attempts__gte=MAX_ATTEMPTS)
        .update(
            status=Reminder.Status.FAILED,
            claim_expires_at=None,
            last_error=f"Given up after {MAX_ATTEMPTS} attempts.",
        )
    )


def reminders_due(*, now: datetime, limit: int = SWEEP_LIMIT) -> list[int]:
    """Ids of rows a worker should send now, oldest first: due and waiting, or claimed by a sender
    that died; minus those handed to a worker within REQUEUE_AFTER."""
    return list(
        Reminder.objects.claimable(now)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=now - REQUEUE_AFTER))
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def reminders_mark_enqueued(*, ids: list[int], now: datetime) -> None:
    if ids:
        Reminder.objects.filter(pk__in=ids).update(enqueued_at=now)


# --- Sending ------------------------------------------------------------------------------------


def reminder_claim(*, reminder_id: int, now: datetime) -> bool:
    """Claim a row for sending with one conditional UPDATE. True only for the one sender that won it."""
    return (
        Reminder.objects.claimable(now)
        .filter(pk=reminder_id, attempts__lt=MAX_ATTEMPTS)
        .update(
            status=Reminder.Status.CLAIMED,
            claimed_at=now,
            claim_expires_at=now + CLAIM_TIMEOUT,
            attempts=F("attempts") + 1,
        )
        == 1
    )


def retry_delay(attempts: int) -> timedelta:
    return min(RETRY_DELAY * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def _stale_reason(reminder: Reminder, now: datetime) -> str:
    """Why a reminder is no longer wanted, for the coach's view of the homework."""
    assignment, session = reminder.assignment, reminder.session
    if assignment is not None:
        if assignment.status == Assignment.Status.CANCELLED:
            return SkipReason.CANCELLED
        if assignment.status == Assignment.Status.REVIEWED:
            return SkipReason.REVIEWED
        if assignment.submitted_at and reminder.kind in (Kind.NEW_ASSIGNMENT, Kind.NUDGE, Kind.DUE_SOON):
            return SkipReason.HANDED_IN
        if assignment.started_at and reminder.kind in (Kind.NEW_ASSIGNMENT, Kind.NUDGE):
            return SkipReason.STARTED
    if session is not None:
        if session.is_cancelled:
            return SkipReason.SESSION_CANCELLED
        if session.starts_at <= now:
            return SkipReason.SESSION_BEGUN
    return SkipReason.NOT_NEEDED


def _mark(reminder_id: int, **fields) -> None:
    Reminder.objects.filter(pk=reminder_id).update(**fields)


def _release(reminder: Reminder, now: datetime, error: Exception) -> timedelta:
    """Back to waiting after a transient failure, due again after a delay; failed once out of attempts."""
    delay = retry_delay(reminder.attempts)
    text = f"{type(error).__name__}: {error}"[:2000]
    if reminder.attempts >= MAX_ATTEMPTS:
        _mark(reminder.pk, status=Reminder.Status.FAILED, claim_expires_at=None, last_error=text)
    else:
        _mark(
            reminder.pk,
            status=Reminder.Status.PENDING,
            due_at=now + delay,
            enqueued_at=None,
            claim_expires_at=None,
            last_error=text,
        )
    return delay


@dataclass
class SendResult:
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    # After a transient failure: the rows still to send (the failed one first), and when.
    retry_ids: list[int] = field(default_factory=list)
    retry_in: timedelta | None = None


def _load(reminder_id: int) -> Reminder:
    return Reminder.objects.select_related("recipient", "coachee__coach", "assignment", "session").get(pk=reminder_id)


def reminders_send(*, ids: list[int], now: datetime | None = None) -> SendResult:
    """Send the rows `ids` over one SMTP connection (see the module docstring for the steps).
    `now` pins the clock (tests, replays); by default each row is judged at the current time."""
    result = SendResult()
    connection = None
    try:
        for index, reminder_id in enumerate(ids):
            at = now or timezone.now()
            if not reminder_claim(reminder_id=reminder_id, now=at):
                continue
            reminder = _load(reminder_id)
            planned = planning.still_planned(reminder, at)
            if planned is None:
                _mark(reminder_id, status=Reminder.Status.SKIPPED, skip_reason=_stale_reason(reminder, at))
                result.skipped.append(reminder_id)
                continue
            if planned.due_at > at:
                # Quiet hours now (e.g. after an outage): wait for their end; not an attempt.
                _mark(
                    reminder_id,
                    status=Reminder.Status.PENDING,
                    due_at=planned.due_at,
                    enqueued_at=None,
                    claim_expires_at=None,
                    attempts=F("attempts") - 1,
                )
                result.deferred.append(reminder_id)
                continue
            message = emails.reminder_message(reminder, now=at)
            try:
                if connection is None:
                    connection = get_connection()
                    connection.open()
                connection.send_messages([message])
            except Exception as error:
                if is_permanent(error):
                    logger.warning("Reminder %s refused for good: %s", reminder_id, error)
                    _mark(
                        reminder_id,
                        status=Reminder.Status.FAILED,
                        claim_expires_at=None,
                        last_error=f"{type(error).__name__}: {error}"[:2000],
                    )
                    result.failed.append(reminder_id)
                    continue
                logger.warning("Reminder %s not sent, will retry: %s", reminder_id, error)
                result.retry_in = _release(reminder, at, error)
                result.retry_ids = list(ids[index:])
                break
            _mark(
                reminder_id,
                status=Reminder.Status.SENT,
                sent_at=timezone.now() if now is None else at,
                claim_expires_at=None,
                message_id=message.extra_headers["Message-ID"],
                last_error="",
            )
            result.sent.append(reminder_id)
    finally:
        if connection is not None:
            try:
                connection.close()
            except Exception:  # the connection may be dead already; nothing is lost
                logger.debug("Closing the SMTP connection failed", exc_info=True)
    return result


@transaction.atomic
def reminders_send_again(*, reminders) -> int:
    """From the admin: failed rows are due again now, with fresh attempts."""
    return reminders.filter(status=Reminder.Status.FAILED).update(
        status=Reminder.Status.PENDING, due_at=timezone.now(), attempts=0, enqueued_at=None, last_error=""
    )


# --- Unsubscribing from a mail ------------------------------------------------------------------


def unsubscribe_target(token: str):
    """(user, category) of a valid unsubscribe link, else None: a bad signature, an unknown or
    inactive person, or a category that is not theirs."""
    value = links.read_unsubscribe_token(token)
    if value is None:
        return None
    user_id, category = value
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    if user.is_coach and category in COACH_CATEGORIES:
        return user, category
    if user.is_coachee and category in COACHEE_CATEGORIES and Coachee.objects.filter(user=user).exists():
        return user, category
    return None


def is_subscribed(*, user, category: str) -> bool:
    if category == Category.COACH_DIGEST:
        return not PracticeSettings.objects.filter(coach=user, coach_digest=False).exists()
    if category == Category.SUBMISSIONS:
        return not PracticeSettings.objects.filter(coach=user, submissions=SubmissionMails.OFF).exists()
    return not MailPreferences.objects.filter(coachee__user=user, **{category: False}).exists()


@transaction.atomic
def unsubscribe(*, user, category: str) -> None:
    """Switch one category of mail off for `user`, and skip what of it is still waiting."""
    if category == Category.COACH_DIGEST:
        PracticeSettings.objects.update_or_create(coach=user, defaults={"coach_digest": False})
    elif category == Category.SUBMISSIONS:
        PracticeSettings.objects.update_or_create(coach=user, defaults={"submissions": SubmissionMails.OFF})
    else:
        MailPreferences.objects.update_or_create(coachee=Coachee.objects.get(user=user), defaults={category: False})
    kinds = [kind for kind, of in CATEGORY_OF_KIND.items() if of == category]
    Reminder.objects.filter(recipient=user, kind__in=kinds, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.SKIPPED, skip_reason=SkipReason.SWITCHED_OFF
    )


# --- Settings -----------------------------------------------------------------------------------


@transaction.atomic
def practice_settings_save(*, coach, **fields) -> PracticeSettings:
    practice, _created = PracticeSettings.objects.update_or_create(coach=coach, defaults=fields)
    return practice


@transaction.atomic
def coachee_settings_save(*, coachee: Coachee, **fields) -> CoacheeSettings:
    """The coach's exceptions for one coachee; all fields empty removes them."""
    if all(value is None for value in fields.values()):
        CoacheeSettings.objects.filter(coachee=coachee).delete()
        return CoacheeSettings(coachee=coachee)
    override, _created = CoacheeSettings.objects.update_or_create(coachee=coachee, defaults=fields)
    return override


@transaction.atomic
def mail_preferences_save(*, coachee: Coachee, **fields) -> MailPreferences:
    preferences, _created = MailPreferences.objects.update_or_create(coachee=coachee, defaults=fields)
    return preferences
