"""Writes for reminders: the outbox (planning, claiming, sending) and the settings people change.

Sending a batch (`reminders_send`):
1. Claim its rows in one locked read and one UPDATE; go on with those this sender won.
2. Load the batch's homework once, for the rules and the mails (emails.batch_homework), and ask
   the rules again about the whole batch (planning.still_planned): a reminder gone stale is
   marked skipped; one that now falls into quiet hours goes back to waiting until they end.
3. Load the rest of what the mails show, a few queries for the batch (emails.load).
4. Render each mail and send it over the batch's one SMTP connection (opened at the first mail). A
   permanent refusal (5xx) is noted and the batch goes on; a transient failure (4xx, no connection,
   a timeout) ends it.
5. Record the outcome in one UPDATE for the mails sent and one for those refused, after the loop
   and also when it broke off with an error. After a transient failure, the failed row then goes
   back to waiting with a later due time and the rows not tried yet are unclaimed; the caller
   retries them.
A batch thus costs the same queries for one mail as for BATCH_SIZE.

A claim that is never completed expires after CLAIM_TIMEOUT, and the next sweep hands the row out
again. Errors, Celery's soft time limit and a warm shutdown all pass through step 5, so only a
sender killed outright (SIGKILL, out of memory, the machine gone) leaves claims behind: the mails it
sent before dying go out once more when their claims expire, up to BATCH_SIZE of them. Each
keeps its Message-ID, so the resend is recognisable as the same mail (mail programs thread it with
the first; some providers drop it). Marking in chunks within the batch, or smaller batches, would
narrow that window only for this rare case and would pay for it on every batch: a query per chunk,
or the claim, staleness check and loading per handful of mails. A batch of 50 mails takes well
under a second, so the window is that second.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Case, CharField, DateTimeField, F, Q, Value, When
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
    HomeworkCheck,
    Kind,
    MailPreferences,
    PracticeSettings,
    Reminder,
    SkipReason,
    SubmissionMails,
)

logger = logging.getLogger(__name__)

# Homework per UPDATE when the sweep stores when to look at it again (but on PostgreSQL: one).
NEXT_CHECK_BATCH = 1000
# Rows per send task: one SMTP connection each.
BATCH_SIZE = 50
# Rows handed to workers per sweep. The cap keeps one sweep within its time limit (tasks.sweep) and
# the broker's queue bounded when the outbox holds far more than is due (say, after a long outage,
# or rows given up on): handing out a batch costs one publish, so even a backlog of this size takes
# a few seconds and goes out in one sweep; anything beyond waits a minute for the next.
SWEEP_LIMIT = 50_000
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

    Steps, in one transaction:
    1. Lock the checks of the homework due for a look (`HomeworkCheck.objects.due`): its next
       moment has come, or is unknown since an input of the rules changed. Checks another sweep or
       a change in progress holds are left to the next sweep.
    2. Plan what that homework leads to (planning.plan) and write the rows that are missing.
    3. Store when to look at each piece again (planning.next_check).
    A change to an input of the rules resets the moment (receivers) in its own transaction, and
    holds the check until it commits: it commits either before the lock (and is seen) or after
    this transaction (and resets the moment stored here), never in between. A concurrent sweep may
    write the same outbox rows: the unique key keeps one of each.
    """
    with transaction.atomic():
        ids = list(
            HomeworkCheck.objects.due(now).select_for_update(skip_locked=True).values_list("assignment_id", flat=True)
        )
        if not ids:
            return 0
        homework = planning.load_homework(Assignment.objects.filter(pk__in=ids), now)
        written = _write_missing(planning.plan(homework, now))
        _store_next_checks(homework, now)
    return written


def _write_missing(planned: list[planning.Planned]) -> int:
    """Outbox rows for the planned reminders that have none; returns how many were written."""
    if not planned:
        return 0
    unique = list({p.key: p for p in planned}.values())
    if connection.vendor == "postgresql":
        return _insert_from_arrays(unique)
    existing = _existing_keys(unique)
    missing = [p for p in unique if p.key not in existing]
    Reminder.objects.bulk_create([p.as_reminder() for p in missing], ignore_conflicts=True)
    return len(missing)


# The outbox columns a planned reminder gives; the others take the model's defaults.
PLANNED_COLUMNS = ["kind", "recipient_id", "coachee_id", "assignment_id", "session_id", "occurrence", "due_at"]


def _insert_from_arrays(planned: list[planning.Planned]) -> int:
    """One INSERT for any number of rows: each planned column an array, unnested in step; rows whose
    key exists are skipped by the unique constraints. (A model instance per row and a parameter per
    value, as `bulk_create` has, cost more than planning itself.) Returns how many were written."""
    columns, values, params = [], [], []
    for column in Reminder._meta.concrete_fields:
        if column.primary_key:
            continue
        columns.append(connection.ops.quote_name(column.column))
        cast = column.db_type(connection)
        if column.attname in PLANNED_COLUMNS:
            values.append(f"unnest(%s::{cast}[])")
            params.append([getattr(p, column.attname) for p in planned])
        else:
            values.append(f"%s::{cast}")
            params.append(column.get_db_prep_save(column.get_default(), connection))
    table = connection.ops.quote_name(Reminder._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} ON CONFLICT DO NOTHING",
            params,
        )
        return cursor.rowcount


def _store_next_checks(homework: list[planning.Homework], now: datetime) -> None:
    """One UPDATE on PostgreSQL, whatever the number of rows: each row its own moment, joined from
    two arrays. (`bulk_update` spells each row out in a CASE that every row is matched against:
    seconds for ten thousand rows.) Elsewhere (SQLite in development) `bulk_update` does."""
    policies = planning.Policies()
    moments = {assignment.pk: planning.next_check(assignment, now, policies) for assignment in homework}
    if connection.vendor != "postgresql":
        rows = [HomeworkCheck(assignment_id=pk, next_check_at=moment) for pk, moment in moments.items()]
        HomeworkCheck.objects.bulk_update(rows, ["next_check_at"], batch_size=NEXT_CHECK_BATCH)
        return
    table = connection.ops.quote_name(HomeworkCheck._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS homework SET next_check_at = moment.at "
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS moment(id, at) WHERE homework.assignment_id = moment.id",
            [list(moments), list(moments.values())],
        )


def reminders_recheck(*, homework) -> None:
    """An input of the reminder rules changed for this homework (a queryset): the next sweep looks
    at it again, since the moment stored for it may now be too late. Called inside the change's
    transaction; the UPDATE holds the checks until it commits, so a sweep meanwhile leaves them alone."""
    HomeworkCheck.objects.filter(assignment__in=homework).update(next_check_at=None)


@transaction.atomic
def reminders_recheck_all() -> tuple[int, int]:
    """Every piece of homework gets a check, and every check is unknown: the next sweep looks at all
    homework once (as every sweep did before the checks). Returns (checks created, checks reset)."""
    missing = Assignment.objects.filter(reminder_check__isnull=True).values_list("pk", flat=True)
    created = HomeworkCheck.objects.bulk_create(
        [HomeworkCheck(assignment_id=pk) for pk in missing], ignore_conflicts=True, batch_size=NEXT_CHECK_BATCH
    )
    return len(created), HomeworkCheck.objects.update(next_check_at=None)


def reminders_check_new(*, assignment: Assignment) -> None:
    """New homework: the next sweep looks at it (its moment is unknown yet)."""
    HomeworkCheck.objects.bulk_create([HomeworkCheck(assignment=assignment)], ignore_conflicts=True)


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
    """Claim one row for sending. True only for the one sender that won it."""
    return reminders_claim(ids=[reminder_id], now=now) == [reminder_id]


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


def reminders_claim(*, ids: list[int], now: datetime) -> list[int]:
    """Claim the rows of a batch in one locked read and one UPDATE; returns those this sender won, in
    the batch's order. Rows another sender holds or has claimed already are left to it: locked ones
    are skipped, and a claimed one is no longer claimable."""
    with transaction.atomic():
        won = set(
            Reminder.objects.claimable(now)
            .filter(pk__in=ids, attempts__lt=MAX_ATTEMPTS)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        Reminder.objects.filter(pk__in=won).update(
            status=Reminder.Status.CLAIMED,
            claimed_at=now,
            claim_expires_at=now + CLAIM_TIMEOUT,
            attempts=F("attempts") + 1,
        )
    return [pk for pk in ids if pk in won]


def _per_row(values: dict, output_field) -> Case:
    """One UPDATE giving each row its own value: {pk: value}."""
    return Case(*[When(pk=pk, then=Value(value)) for pk, value in values.items()], output_field=output_field)


def _mark_skipped(reminders: list[Reminder], now: datetime) -> None:
    reasons = {reminder.pk: _stale_reason(reminder, now) for reminder in reminders}
    Reminder.objects.filter(pk__in=reasons).update(
        status=Reminder.Status.SKIPPED, skip_reason=_per_row(reasons, CharField())
    )


def _mark_deferred(due: dict[int, datetime]) -> None:
    """Quiet hours now (e.g. after an outage): back to waiting until they end; not an attempt."""
    Reminder.objects.filter(pk__in=due).update(
        status=Reminder.Status.PENDING,
        due_at=_per_row(due, DateTimeField()),
        enqueued_at=None,
        claim_expires_at=None,
        attempts=F("attempts") - 1,
    )


def _unclaim(reminder_ids: list[int]) -> None:
    """Rows claimed and never tried, after the batch ended early: waiting again, as if never claimed."""
    Reminder.objects.filter(pk__in=reminder_ids, status=Reminder.Status.CLAIMED).update(
        status=Reminder.Status.PENDING, claim_expires_at=None, attempts=F("attempts") - 1
    )


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _release(reminder: Reminder, now: datetime, error: Exception) -> timedelta:
    """Back to waiting after a transient failure, due again after a delay; failed once out of attempts."""
    delay = retry_delay(reminder.attempts)
    fields = {"claim_expires_at": None, "last_error": _error_text(error)}
    if reminder.attempts >= MAX_ATTEMPTS:
        fields["status"] = Reminder.Status.FAILED
    else:
        fields.update(status=Reminder.Status.PENDING, due_at=now + delay, enqueued_at=None)
    Reminder.objects.filter(pk=reminder.pk).update(**fields)
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


def _load(reminder_ids: list[int]) -> list[Reminder]:
    """The batch's rows, in its order, with what rendering and the staleness check read of them."""
    rows = Reminder.objects.select_related(
        "recipient__reminder_settings", "coachee__coach", "coachee__user", "assignment", "session"
    ).in_bulk(reminder_ids)
    return [rows[pk] for pk in reminder_ids]


def _sort_out(reminders: list[Reminder], now: datetime, result: SendResult, homework: dict) -> list[Reminder]:
    """Ask the rules about the whole batch at once (planning.still_planned, over the batch's
    homework loaded once for the rules and the mails): rows gone stale are skipped, rows now in
    quiet hours wait for their end. Returns the rows to send now."""
    verdicts = planning.still_planned(reminders, now, assignments=homework)
    stale = [r for r in reminders if verdicts[r.pk] is None]
    later = {r.pk: verdicts[r.pk].due_at for r in reminders if verdicts[r.pk] and verdicts[r.pk].due_at > now}
    if stale:
        _mark_skipped(stale, now)
        result.skipped += [r.pk for r in stale]
    if later:
        _mark_deferred(later)
        result.deferred += list(later)
    return [r for r in reminders if verdicts[r.pk] is not None and r.pk not in later]


@dataclass
class _Outcome:
    """What the server made of a batch's mails, recorded after the batch (see `_record`)."""

    sent: list[int] = field(default_factory=list)  # the rows whose mails it took
    refused: dict[int, str] = field(default_factory=dict)  # pk -> the error of each it refused for good


class _Connection:
    """The batch's one SMTP connection, opened at its first mail: a batch gone stale opens none."""

    def __init__(self):
        self.backend = None

    def send(self, message) -> None:
        if self.backend is None:
            self.backend = get_connection()
            self.backend.open()
        self.backend.send_messages([message])

    def close(self) -> None:
        if self.backend is None:
            return
        try:
            self.backend.close()
        except Exception:  # the connection may be dead already; nothing is lost
            logger.debug("Closing the SMTP connection failed", exc_info=True)


def _send_each(to_send: list[Reminder], loaded, connection: _Connection, outcome: _Outcome):
    """Render and send the mails in order. A permanent refusal (5xx) is noted and the batch goes on;
    the first transient failure ends it and is returned as (row, error)."""
    for reminder in to_send:
        message = emails.reminder_message(reminder, loaded)
        try:
            connection.send(message)
        except Exception as error:
            if not is_permanent(error):
                return reminder, error
            logger.warning("Reminder %s refused for good: %s", reminder.pk, error)
            outcome.refused[reminder.pk] = _error_text(error)
            continue
        outcome.sent.append(reminder.pk)
    return None


def _record(outcome: _Outcome, sent_at: datetime) -> None:
    """The batch's mails as sent or refused: one UPDATE each for the whole batch, whatever its size."""
    if outcome.sent:
        Reminder.objects.filter(pk__in=outcome.sent).update(
            status=Reminder.Status.SENT,
            sent_at=sent_at,
            claim_expires_at=None,
            message_id=Reminder.message_id_in_sql(links.mail_domain()),
            last_error="",
        )
    if outcome.refused:
        Reminder.objects.filter(pk__in=outcome.refused).update(
            status=Reminder.Status.FAILED, claim_expires_at=None, last_error=_per_row(outcome.refused, CharField())
        )


def reminders_send(*, ids: list[int], now: datetime | None = None) -> SendResult:
    """Send the rows `ids` over one SMTP connection (see the module docstring for the steps).
    `now` pins the clock (tests, replays); by default the batch is judged at the current time."""
    at = now or timezone.now()
    result = SendResult()
    claimed = reminders_claim(ids=ids, now=at)
    if not claimed:
        return result
    reminders = _load(claimed)
    homework = emails.batch_homework(reminders, at)
    to_send = _sort_out(reminders, at, result, homework)
    loaded = emails.load(to_send, at, homework=homework)
    connection, outcome = _Connection(), _Outcome()
    try:
        try:
            stopped = _send_each(to_send, loaded, connection, outcome)
        finally:
            # Also when the loop broke off (a transient failure, an error, the soft time limit):
            # what went out is recorded before anything else happens to the batch.
            _record(outcome, timezone.now() if now is None else at)
        result.sent, result.failed = outcome.sent, list(outcome.refused)
        if stopped is not None:
            reminder, error = stopped
            logger.warning("Reminder %s not sent, will retry: %s", reminder.pk, error)
            result.retry_in = _release(reminder, at, error)
            _unclaim([r.pk for r in to_send[to_send.index(reminder) + 1 :]])
            result.retry_ids = list(ids[ids.index(reminder.pk) :])
    finally:
        connection.close()
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
