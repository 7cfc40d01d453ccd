"""Reminders with everything real: the project's sweep task published to Redis, Celery workers in
their own processes on the PostgreSQL test database, and an SMTP server that receives the mail.

Time is moved by handing the sweep a pinned `now` (the workers are other processes, so the test's
clock cannot be frozen for them); the sweep passes it on to the send tasks it publishes. The tests
about the broker and Celery's own retry run on the real clock.
"""

import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import Q

from assignments.models import Cadence
from assignments.models import Kind as HomeworkKind
from assignments.reminders import services, tasks
from assignments.reminders.models import Kind, MailPreferences, Reminder
from assignments.reminders.timing import at_local
from assignments.services import (
    assignment_cancel,
    assignment_create,
    feedback_give,
    review_record,
    submission_save_draft,
    submission_submit,
)
from tests.factories import (
    AssignmentFactory,
    CoacheeFactory,
    CoacheeUserFactory,
    CoachingSessionFactory,
    UserFactory,
)
from tests.integration.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Monday 2 March 2026; New York changes to summer time on Sunday 8 March, inside the fortnight.
START = date(2026, 3, 2)


class Sweeper:
    """Publishes the project's sweep task to Redis and waits until the workers have done it all."""

    def __init__(self, workers):
        self.workers = workers

    def run(self, at: datetime | None = None, *, timeout: float = 60.0) -> None:
        offsets = [len(worker.log()) for worker in self.workers]
        result = tasks.sweep.apply_async(kwargs={"now": at.isoformat()} if at else {})
        wait_until(
            lambda: any(
                f"sweep[{result.id}] succeeded" in worker.log(offset)
                for worker, offset in zip(self.workers, offsets, strict=True)
            ),
            timeout=timeout,
            interval=0.02,
            message=f"the sweep at {at}",
        )
        if at is not None:
            wait_until(lambda: not _in_hand(at).exists(), timeout=timeout, interval=0.02, message="its mails")


def _in_hand(at):
    """Rows handed to a worker and not finished yet."""
    return Reminder.objects.filter(
        Q(status=Reminder.Status.CLAIMED) | Q(status=Reminder.Status.PENDING, due_at__lte=at, enqueued_at__isnull=False)
    )


def _key(reminder: Reminder) -> tuple:
    return (reminder.recipient.email, reminder.kind, reminder.assignment_id or reminder.session_id)


def _received_rows(smtp_server) -> list[Reminder]:
    """The outbox row of each mail the SMTP server received, by its Message-ID (repeats included)."""
    rows = {r.message_id: r for r in Reminder.objects.exclude(message_id="").select_related("recipient")}
    received = []
    for mail in smtp_server.messages:
        row = rows[mail.message_id]
        assert mail.recipients == [row.recipient.email]
        received.append(row)
    return received


# --- A fortnight of a practice ---------------------------------------------------------------------


def test_a_fortnight_of_a_practice_sends_exactly_the_expected_mails_once(start_worker, smtp_server):
    """Six coachees in five time zones, 205 assignments, two sessions each; the coachees hand in,
    start, or leave their homework, the coach cancels some, gives feedback and reviews; time moves
    hour by hour through the fortnight and the beat's sweep runs at each hour."""
    worker = start_worker("fortnight")
    coach = UserFactory(email="clara@example.com", name="Clara", timezone="Europe/Berlin")
    expected = Counter()
    events = []  # (moment, action)
    coachees = []
    for zone in ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC"]:
        tz = ZoneInfo(zone)
        user = CoacheeUserFactory(email=f"{zone.split('/')[-1].lower()}@example.com", timezone=zone)
        coachee = CoacheeFactory(coach=coach, user=user, timezone=zone)
        sessions = [
            CoachingSessionFactory(coachee=coachee, starts_at=at_local(START + timedelta(days=d), wall(10), tz))
            for d in (7, 14)
        ]
        coachees.append((coachee, tz, sessions))
        assigned_at = at_local(START, wall(9), tz)
        for index in range(40):
            homework = AssignmentFactory(coachee=coachee, assigned_at=assigned_at, title=f"{zone} {index}")
            mails = [(user.email, Kind.NEW_ASSIGNMENT, homework.pk)]
            if index % 5 == 0:  # handed in on day 2, reviewed and closed at the first session
                day2 = at_local(START + timedelta(days=2), wall(12), tz)
                events.append(
                    (day2, lambda h=homework, at=day2: submission_submit(assignment=h, answers=["x"], now=at))
                )
                mails.append((coach.email, Kind.SUBMISSION_NOTICE, homework.pk))
                if index % 10 == 0:  # ... with written feedback on day 3
                    day3 = at_local(START + timedelta(days=3), wall(11), tz)
                    events.append(
                        (day3, lambda h=homework, at=day3: feedback_give(assignment=h, feedback="Good", now=at))
                    )
                    mails.append((user.email, Kind.FEEDBACK_GIVEN, homework.pk))
                review_at = sessions[0].starts_at + timedelta(minutes=30)
                events.append(
                    (
                        review_at,
                        lambda h=homework, s=sessions[0]: review_record(
                            assignment=h, session=s, outcome="done", next_step="close"
                        ),
                    )
                )
            elif index % 5 == 1:  # a draft on day 2: no nudges, a due-soon before each session
                day2 = at_local(START + timedelta(days=2), wall(13), tz)
                events.append(
                    (day2, lambda h=homework, at=day2: submission_save_draft(assignment=h, answers=["y"], now=at))
                )
                mails += [(user.email, Kind.DUE_SOON, homework.pk)] * 2
            elif index % 5 == 2:  # cancelled by the coach on day 1
                day1 = at_local(START + timedelta(days=1), wall(12), tz)
                events.append((day1, lambda h=homework: assignment_cancel(assignment=h)))
            else:  # left alone: a nudge and a due-soon before each session (it carries over)
                mails += [(user.email, Kind.NUDGE, homework.pk), (user.email, Kind.DUE_SOON, homework.pk)] * 2
            expected.update(mails)
        expected.update((coach.email, Kind.COACH_DIGEST, session.pk) for session in sessions)

    # One coachee practises daily and asked for a check-in reminder at 19:00 (their clock).
    coachee, tz, sessions = coachees[0]
    MailPreferences.objects.create(coachee=coachee, checkin=True, checkin_time=wall(19))
    practice = AssignmentFactory(
        coachee=coachee,
        kind=HomeworkKind.BEHAVIOURAL,
        cadence=Cadence.DAILY,
        questions=[],
        assigned_at=at_local(START, wall(9), tz),
        title="Say no once a day",
    )
    email = coachee.user.email
    expected.update([(email, Kind.NEW_ASSIGNMENT, practice.pk)] + [(email, Kind.NUDGE, practice.pk)] * 2)
    expected.update([(email, Kind.DUE_SOON, practice.pk)] * 2 + [(email, Kind.CHECKIN, None)] * 14)
    # A coachee without a login yet: no mail to them; their sessions still get the coach's digest.
    invited = CoacheeFactory(coach=coach, user=None, timezone="Europe/Berlin")
    AssignmentFactory.create_batch(4, coachee=invited, assigned_at=at_local(START, wall(9), tz))
    for day in (7, 14):
        session = CoachingSessionFactory(coachee=invited, starts_at=at_local(START + timedelta(days=day), wall(16), tz))
        expected[(coach.email, Kind.COACH_DIGEST, session.pk)] += 1

    sweeper = Sweeper([worker])
    events.sort(key=lambda event: event[0])
    now = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)  # before the first assignment (Tokyo, 09:00)
    end = max(sessions[1].starts_at for _c, _tz, sessions in coachees) + timedelta(hours=1)
    while now <= end:
        while events and events[0][0] <= now:
            events.pop(0)[1]()
        sweeper.run(now)
        now += timedelta(hours=1)

    received = _received_rows(smtp_server)
    message_ids = Counter(mail.message_id for mail in smtp_server.messages)
    assert [mid for mid, n in message_ids.items() if n > 1] == []  # no mail twice
    assert Counter(_key(row) for row in received) == expected
    assert not Reminder.objects.filter(status=Reminder.Status.FAILED).exists()
    print(f"\n{len(smtp_server.messages)} mails, as expected, over {smtp_server.connections} SMTP connections")


# --- Faults ---------------------------------------------------------------------------------------


def _new_homework(count, *, assigned_at):
    coach = UserFactory(timezone="Europe/Berlin")
    coachees = [CoacheeFactory(coach=coach, user=CoacheeUserFactory(timezone="Europe/Berlin")) for _ in range(3)]
    return [
        AssignmentFactory(coachee=coachees[i % 3], assigned_at=assigned_at, title=f"Homework {i}") for i in range(count)
    ]


# Tuesday 3 March 2026, 11:00 in Berlin: no quiet hours.
MORNING = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def test_sweeps_and_sends_twice_and_concurrently_on_two_workers_send_each_mail_once(start_worker, smtp_server):
    workers = [start_worker("first"), start_worker("second")]
    homework = _new_homework(120, assigned_at=MORNING)

    # Two sweeps at once (as from two beats), each picked up by either worker ...
    sweeps = [tasks.sweep.apply_async(kwargs={"now": MORNING.isoformat()}) for _ in range(2)]
    wait_until(
        lambda: all(any(f"sweep[{s.id}] succeeded" in w.log() for w in workers) for s in sweeps), message="sweeps"
    )
    # ... and every batch handed out twice more, as by a retried task.
    ids = list(Reminder.objects.values_list("pk", flat=True))
    for _ in range(2):
        for i in range(0, len(ids), 50):
            tasks.send_reminders.apply_async(args=[ids[i : i + 50]], kwargs={"now": MORNING.isoformat()})
    Sweeper(workers).run(MORNING)

    smtp_server.wait_for(120)
    time.sleep(1)  # anything sent twice would arrive now
    assert Reminder.objects.count() == 120
    assert len(smtp_server.messages) == 120
    assert {row.assignment_id for row in _received_rows(smtp_server)} == {h.pk for h in homework}
    for worker in workers:
        print(f"\n{worker.name} ran {worker.log().count('send_reminders[')} send task(s)")


def test_smtp_451_for_a_while_the_mail_arrives_once_after_retries(start_worker, smtp_server):
    sweeper = Sweeper([start_worker()])
    [homework] = _new_homework(1, assigned_at=MORNING)
    smtp_server.refuse("451 4.3.0 Try again later", times=3)

    at = MORNING
    for _ in range(10):
        sweeper.run(at)
        if smtp_server.messages:
            break
        reminder = Reminder.objects.get()
        assert reminder.status == Reminder.Status.PENDING and "451" in reminder.last_error
        at = reminder.due_at  # backoff: 1, 2, then 4 minutes later

    [mail] = smtp_server.messages
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts, reminder.assignment_id) == ("sent", 4, homework.pk)
    assert at == MORNING + timedelta(minutes=7)
    assert smtp_server.refused == 3 and mail.message_id == reminder.message_id


def _awake_zone() -> str:
    """A time zone where it is day now, so that quiet hours defer nothing in the real-clock tests."""
    for zone in ("UTC", "Asia/Tokyo", "America/New_York", "Asia/Kolkata", "America/Los_Angeles", "Pacific/Auckland"):
        if 9 <= datetime.now(ZoneInfo(zone)).hour < 20:
            return zone
    raise AssertionError("no awake zone")


def _coachee_awake_now():
    zone = _awake_zone()
    return CoacheeFactory(coach=UserFactory(timezone=zone), user=CoacheeUserFactory(timezone=zone), timezone=zone)


def test_celery_retries_a_451_on_its_own_after_the_backoff(start_worker, smtp_server):
    """Real clock, no sweep: the new-homework mail is handed to the worker when the assignment is
    committed; the server refuses once; Celery's own retry delivers it a minute later."""
    worker = start_worker()
    coachee = _coachee_awake_now()
    smtp_server.refuse("451 4.3.0 Try again later", times=1)

    with transaction.atomic():
        assignment_create(coachee=coachee, kind="reflection", title="Now", instructions="Write.")

    wait_until(lambda: "Retry in 60" in worker.log(), timeout=30, message="Celery scheduling the retry")
    [mail] = smtp_server.wait_for(1, timeout=120)
    # The worker records the row as sent just after the server took the mail.
    wait_until(lambda: Reminder.objects.filter(status=Reminder.Status.SENT).exists(), message="the row marked sent")
    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.SENT and reminder.attempts == 2
    assert smtp_server.refused == 1 and mail.message_id == reminder.message_id


def test_redis_down_when_assigning_the_mail_is_sent_after_redis_returns(start_worker, smtp_server, redis_server):
    worker = start_worker()
    coachee = _coachee_awake_now()
    redis_server.stop()

    started = time.monotonic()
    with transaction.atomic():
        assignment_create(coachee=coachee, kind="reflection", title="While Redis is down", instructions="Write.")
    elapsed = time.monotonic() - started
    print(f"\nassigning with Redis down took {elapsed:.2f}s")

    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.PENDING and reminder.enqueued_at is None
    time.sleep(1)
    assert smtp_server.messages == []

    redis_server.start()
    wait_until(lambda: worker.log().count("Connected to redis") >= 2, timeout=60, message="the worker to reconnect")
    Sweeper([worker]).run()  # the beat's next sweep, on the real clock

    [mail] = smtp_server.wait_for(1)
    assert mail.message_id == Reminder.objects.get().message_id
    assert mail.subject.endswith("While Redis is down")


def test_a_worker_killed_mid_batch_every_mail_arrives_after_restart(start_worker, smtp_server):
    first = start_worker("doomed")
    homework = _new_homework(60, assigned_at=MORNING)
    smtp_server.delay = 0.2
    tasks.sweep.apply_async(kwargs={"now": MORNING.isoformat()})
    smtp_server.wait_for(10)

    first.kill()
    before_kill = len(smtp_server.messages)
    smtp_server.delay = 0
    second = start_worker("rescuer")
    # After the claim timeout the next sweep hands out what the dead worker held or never reached.
    Sweeper([second]).run(MORNING + timedelta(minutes=11))

    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
    arrivals = Counter(mail.message_id for mail in smtp_server.messages)
    assert set(arrivals) == set(Reminder.objects.values_list("message_id", flat=True))
    assert {row.assignment_id for row in _received_rows(smtp_server)} == {h.pk for h in homework}
    twice = sum(1 for n in arrivals.values() if n > 1)
    print(f"\nkilled after {before_kill} of 60 mails; afterwards all 60 arrived, {twice} of them twice")
    # A sender killed outright has recorded nothing of its current batch (services: step 5): what it
    # sent of that batch arrives again, each with its Message-ID, never more than one batch.
    assert twice <= min(before_kill, services.BATCH_SIZE)


def test_a_permanent_550_is_recorded_and_not_retried(start_worker, smtp_server):
    sweeper = Sweeper([start_worker()])
    _new_homework(1, assigned_at=MORNING)
    smtp_server.refuse("550 5.1.1 No such user here", times=1)

    sweeper.run(MORNING)
    for later in (timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)):
        sweeper.run(MORNING + later)

    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.FAILED and "550" in reminder.last_error
    assert reminder.attempts == 1 and smtp_server.refused == 1 and smtp_server.messages == []
