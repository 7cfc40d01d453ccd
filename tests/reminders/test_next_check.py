"""The sweep looks only at homework whose next moment has come (`HomeworkCheck`):
what became due since the last sweep, found through an index, whatever the amount of open homework.
Each change to an input of the rules makes the next sweep look again, so no reminder is lost or late:
at every step of a week with changes on the way, the outbox holds everything the rules plan when run
over all homework."""

import threading
from datetime import date, time, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import update_last_login
from django.core.management import call_command
from django.db import connection, transaction

from assignments.models import Assignment, Cadence, Review
from assignments.models import Kind as HomeworkKind
from assignments.reminders import planning, services
from assignments.reminders.models import HomeworkCheck, Kind, PracticeSettings, Reminder, SubmissionMails
from assignments.services import (
    assignment_cancel,
    assignment_create,
    feedback_give,
    log_entry_add,
    log_entry_delete,
    review_record,
    submission_submit,
)
from coachhub.accounts.services import account_update
from sessions.services import (
    account_settings_save,
    coachee_archive,
    session_cancel,
    session_mark_held,
    session_schedule,
    session_update,
)
from tests.factories import AssignmentFactory, CoacheeFactory, CoacheeUserFactory, CoachingSessionFactory

from .conftest import NOW, deliver, local, walk


@pytest.fixture
def considered(monkeypatch):
    """The homework each sweep that looked at any planned from: a sorted list of ids per sweep."""
    looked = []
    plan = planning.plan

    def spy(homework, now):
        looked.append(sorted(a.pk for a in homework))
        return plan(homework, now)

    monkeypatch.setattr(planning, "plan", spy)
    return looked


@pytest.fixture
def homework_read(monkeypatch):
    """Every piece of homework read for the rules (by the sweep, and by the sender about its batch)."""
    read = []
    load = planning.load_homework

    def spy(queryset, now):
        homework = load(queryset, now)
        read.extend(a.pk for a in homework)
        return homework

    monkeypatch.setattr(planning, "load_homework", spy)
    return read


def next_check(assignment) -> object:
    return HomeworkCheck.objects.get(assignment=assignment).next_check_at


def practice(coachee, **fields):
    return AssignmentFactory(
        coachee=coachee, kind=HomeworkKind.BEHAVIOURAL, cadence=Cadence.DAILY, questions=[], assigned_at=NOW, **fields
    )


def wall(sent, zone="Europe/Berlin"):
    return [(s.kind, local(s.at, zone).strftime("%a %d %H:%M")) for s in sent]


# --- What a sweep looks at -----------------------------------------------------------------------


def test_new_homework_is_looked_at_by_the_next_sweep(coachee, clock):
    homework = AssignmentFactory(coachee=coachee, assigned_at=NOW)

    assert next_check(homework) is None


def test_homework_written_in_bulk_is_looked_at_after_the_recheck_command(coachee, clock):
    [homework] = Assignment.objects.bulk_create([AssignmentFactory.build(coachee=coachee, assigned_at=NOW)])
    assert not HomeworkCheck.objects.filter(assignment=homework).exists()  # no receiver ran

    call_command("reminders_recheck", stdout=StringIO())

    assert [s.kind for s in deliver(NOW)] == [Kind.NEW_ASSIGNMENT]


def test_an_idle_sweep_reads_no_homework(coachee, next_session, clock, considered, homework_read):
    homework = AssignmentFactory.create_batch(30, coachee=coachee, assigned_at=NOW)
    deliver(NOW)  # the first look: their moments are unknown, and the new-homework mails are due
    assert considered == [sorted(a.pk for a in homework)]
    homework_read.clear()

    for minutes in (1, 2, 60, 24 * 60):
        deliver(clock.move_to(NOW + timedelta(minutes=minutes)))

    assert len(considered) == 1 and homework_read == []


def test_a_sweep_looks_only_at_the_homework_whose_moment_has_come(coach, coachee, next_session, clock, considered):
    AssignmentFactory.create_batch(30, coachee=coachee, assigned_at=NOW)
    other = CoacheeFactory(coach=coach, user=CoacheeUserFactory())
    dated = AssignmentFactory(coachee=other, assigned_at=NOW, due_at=NOW + timedelta(days=2))
    deliver(NOW)
    considered.clear()

    sent = walk(clock, NOW + timedelta(days=1, hours=1), step=timedelta(minutes=15))

    # Due Wednesday 10:00: the due-soon reminder on Tuesday 10:00 is the one moment on the way.
    assert considered == [[dated.pk]]
    assert [(s.kind, s.reminder.assignment_id) for s in sent] == [(Kind.DUE_SOON, dated.pk)]


def test_the_sweep_comes_back_when_a_rule_may_plan_a_mail(coachee, homework, next_session, clock):
    """Assigned Monday 12 at 10:00 in Berlin, due at the session on Monday 19 at 10:00."""
    deliver(NOW)
    halfway = NOW + timedelta(days=3, hours=12)
    assert next_check(homework) == halfway  # the nudge

    deliver(clock.move_to(halfway))
    due_soon = next_session.starts_at - timedelta(days=1)
    assert next_check(homework) == due_soon

    deliver(clock.move_to(due_soon))
    digest = due_soon + timedelta(hours=8)  # the coach's digest, Sunday 18:00
    assert next_check(homework) == digest

    deliver(clock.move_to(digest))
    # Unless it is held, the session goes by six hours after its end: the homework would be due
    # at the next session, if there were one.
    over = next_session.starts_at + timedelta(hours=7)
    assert next_check(homework) == over

    deliver(clock.move_to(over))
    assert next_check(homework) == planning.NOTHING_AHEAD


# --- Every change to an input makes the next sweep look again -----------------------------------


def _submitted(ctx):
    submission_submit(assignment=ctx.homework, answers=["I noticed it"], now=NOW)


def _logged(ctx):
    ctx.entry, _created = log_entry_add(assignment=ctx.practice, day=date(2026, 1, 12), did_it=True, now=NOW)


CHANGES = {
    "work handed in": (None, _submitted),
    "feedback written": (_submitted, lambda ctx: feedback_give(assignment=ctx.homework, feedback="Well seen.")),
    "homework cancelled": (None, lambda ctx: assignment_cancel(assignment=ctx.homework)),
    "reviewed": (
        None,
        lambda ctx: review_record(
            assignment=ctx.homework, session=ctx.session, outcome=Review.Outcome.DONE, next_step=Review.NextStep.CLOSE
        ),
    ),
    "session moved": (None, lambda ctx: session_update(session=ctx.session, starts_at=NOW + timedelta(days=2))),
    "session cancelled": (None, lambda ctx: session_cancel(session=ctx.session)),
    "session held": (None, lambda ctx: session_mark_held(session=ctx.session, now=ctx.session.starts_at)),
    "session scheduled": (None, lambda ctx: session_schedule(coachee=ctx.coachee, starts_at=NOW + timedelta(days=2))),
    "practice settings": (None, lambda ctx: services.practice_settings_save(coach=ctx.coach, due_soon_hours=48)),
    "coachee settings": (None, lambda ctx: services.coachee_settings_save(coachee=ctx.coachee, due_soon_hours=48)),
    "mail preferences": (None, lambda ctx: services.mail_preferences_save(coachee=ctx.coachee, checkin=True)),
    "coachee's clock": (
        None,
        lambda ctx: account_settings_save(user=ctx.coachee.user, name="Cody", timezone_name="Asia/Tokyo"),
    ),
    "coach's clock": (None, lambda ctx: account_update(user=ctx.coach, name="Clara", timezone="America/New_York")),
    "coachee archived": (None, lambda ctx: coachee_archive(coachee=ctx.coachee)),
    "check-in logged": (None, _logged),
    "check-in deleted": (_logged, lambda ctx: log_entry_delete(entry=ctx.entry)),
}


@pytest.mark.parametrize("name", CHANGES)
def test_each_change_to_an_input_makes_the_next_sweep_look_again(name, coach, coachee, homework, next_session, clock):
    ctx = SimpleNamespace(coach=coach, coachee=coachee, homework=homework, session=next_session)
    ctx.practice = practice(coachee)
    prepare, change = CHANGES[name]
    if prepare:
        prepare(ctx)
    deliver(NOW)
    concerned = ctx.practice if "check-in" in name else homework
    assert next_check(concerned) is not None

    clock.move_to(next_session.starts_at if name in ("reviewed", "session held") else NOW + timedelta(minutes=30))
    change(ctx)

    assert next_check(concerned) is None


def test_signing_in_leaves_the_moments_alone(coach, coachee, homework, clock):
    deliver(NOW)

    update_last_login(None, coachee.user)
    update_last_login(None, coach)

    assert next_check(homework) is not None


# --- Changes re-time the mails, whatever moment was stored -----------------------------------------


def test_moving_the_session_closer_brings_the_due_soon_mail_forward(coachee, homework, next_session, clock):
    deliver(NOW)  # the sweep would come back on Thursday 22:00, for the nudge
    clock.move_to(NOW + timedelta(hours=1))
    session_update(session=next_session, starts_at=NOW + timedelta(days=2))  # Wednesday 10:00

    sent = walk(clock, next_session.starts_at, step=timedelta(minutes=30))

    assert wall(sent) == [(Kind.DUE_SOON, "Tue 13 10:00"), (Kind.COACH_DIGEST, "Tue 13 18:00")]


def test_switching_check_ins_on_brings_todays_check_in(coachee, clock):
    practice(coachee)
    deliver(NOW)  # check-ins are off: nothing ahead
    clock.move_to(NOW + timedelta(hours=2))
    services.mail_preferences_save(coachee=coachee, checkin=True, checkin_time=time(19))

    sent = walk(clock, NOW + timedelta(hours=12), step=timedelta(minutes=30))

    assert wall(sent) == [(Kind.CHECKIN, "Mon 12 19:00")]


def test_moving_east_brings_the_due_soon_mail_forward_by_the_new_clock(coachee, homework, next_session, clock):
    deliver(NOW)
    clock.move_to(NOW + timedelta(days=1))
    account_settings_save(user=coachee.user, name=coachee.name, timezone_name="Asia/Tokyo")

    sent = walk(clock, next_session.starts_at, step=timedelta(hours=1))

    # The session is on Monday 18:00 in Tokyo: the due-soon mail on Sunday 18:00 there.
    assert (Kind.DUE_SOON, "Sun 18 18:00") in wall(sent, "Asia/Tokyo")


# --- Nothing the rules plan is missing, at any step of a week --------------------------------------


def _outbox_keys() -> set[tuple]:
    return set(Reminder.objects.values_list("kind", "recipient_id", "assignment_id", "session_id", "occurrence"))


def _planned_over_all_homework(now) -> set[tuple]:
    homework = planning.load_homework(Assignment.objects.all(), now)
    return {p.key for p in planning.plan(homework, now)}


@pytest.fixture
def practice_of_three(coach, clock):
    """Three coachees in three time zones with sessions, dated and undated homework, daily practice
    with check-ins, work handed in and feedback; the coach takes a daily digest of handed-in work."""
    PracticeSettings.objects.create(coach=coach, submissions=SubmissionMails.DIGEST, digest_time=time(17, 30))
    people = {}
    for zone, days in (("Europe/Berlin", 2), ("America/New_York", 3), ("Asia/Tokyo", None)):
        coachee = CoacheeFactory(coach=coach, user=CoacheeUserFactory(timezone=zone), timezone=zone)
        services.mail_preferences_save(coachee=coachee, checkin=True, checkin_time=time(20))
        session = None
        if days is not None:
            session = CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(days=days, hours=1))
            CoachingSessionFactory(coachee=coachee, starts_at=NOW + timedelta(days=days + 4))
        people[zone] = SimpleNamespace(
            coachee=coachee,
            session=session,
            reflection=AssignmentFactory(coachee=coachee, assigned_at=NOW),
            dated=AssignmentFactory(coachee=coachee, assigned_at=NOW, due_at=NOW + timedelta(days=5, hours=3)),
            practice=practice(coachee),
        )
    return people


def test_nothing_the_rules_plan_is_missing_at_any_step_of_a_week(coach, practice_of_three, clock):
    berlin, new_york, tokyo = practice_of_three.values()
    changes = {
        4: lambda: assignment_create(
            coachee=tokyo.coachee,
            kind="preparation",
            title="Proposed",
            instructions="Think it over.",
            propose=True,
            assigned_at=clock.now,
        ),
        6: lambda: submission_submit(assignment=new_york.reflection, answers=["Done"], now=clock.now),
        20: lambda: log_entry_add(assignment=berlin.practice, day=date(2026, 1, 12), did_it=True, now=clock.now),
        30: lambda: feedback_give(assignment=new_york.reflection, feedback="Thank you.", now=clock.now),
        34: lambda: session_update(session=berlin.session, starts_at=clock.now + timedelta(hours=10)),
        50: lambda: session_cancel(session=new_york.session),
        70: lambda: services.practice_settings_save(coach=coach, due_soon_hours=72, digest_time=time(8)),
        90: lambda: account_settings_save(user=tokyo.coachee.user, name="T", timezone_name="Europe/Lisbon"),
        100: lambda: submission_submit(assignment=tokyo.dated, answers=["Done"], now=clock.now),
        110: lambda: services.practice_settings_save(coach=coach, submissions=SubmissionMails.NOTICE),
        111: lambda: submission_submit(assignment=berlin.dated, answers=["Done"], now=clock.now),
    }
    missing = []
    for hour in range(1, 7 * 24 + 1):
        clock.move_to(NOW + timedelta(hours=hour))
        if hour in changes:
            changes[hour]()
        deliver(clock.now)
        missing += [(hour, key) for key in _planned_over_all_homework(clock.now) - _outbox_keys()]

    assert missing == []
    assert set(Reminder.objects.filter(status=Reminder.Status.SENT).values_list("kind", flat=True)) == set(Kind)


# --- Concurrent changes ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sweep_leaves_homework_being_changed_to_the_next_sweep(coachee, homework, next_session, clock, considered):
    """A change in progress holds its homework (the reset is an UPDATE): a sweep meanwhile skips it
    rather than store a moment worked out from what is about to change."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks")
    deliver(NOW)
    changing, sweep_done = threading.Event(), threading.Event()

    def reschedule():
        try:
            with transaction.atomic():
                session_update(session=next_session, starts_at=NOW + timedelta(days=2))
                changing.set()
                sweep_done.wait(timeout=10)
        finally:
            connection.close()

    worker = threading.Thread(target=reschedule)
    worker.start()
    assert changing.wait(timeout=10)
    services.reminders_plan(now=NOW + timedelta(minutes=1))
    sweep_done.set()
    worker.join()
    services.reminders_plan(now=NOW + timedelta(minutes=2))

    assert considered == [[homework.pk], [homework.pk]]  # not at the second sweep
    assert next_check(homework) == NOW + timedelta(days=1)  # the due-soon of the moved session
