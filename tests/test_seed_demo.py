import pytest
from django.core.management import CommandError, call_command

from assignments.models import Assignment, HomeworkTemplate, Review
from coachhub.accounts.models import User
from sessions.models import Coachee, CoachingSession, Goal

MODELS = [User, Coachee, Goal, CoachingSession, Assignment, Review, HomeworkTemplate]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_creates_the_demo_practice(db, settings):
    settings.DEBUG = True

    call_command("seed_demo")

    coach = User.objects.get(email="coach@example.com")
    assert coach.is_coach and coach.name == "Clara Demo-Coach" and coach.timezone == "Europe/Berlin"
    assert coach.check_password("coachhub-demo")
    coachee_user = User.objects.get(email="coachee@example.com")
    assert coachee_user.is_coachee and coachee_user.check_password("coachhub-demo")

    jonas = Coachee.objects.for_coach(coach).get(user=coachee_user)
    assert jonas.goals.exists()
    assert Coachee.objects.for_coach(coach).filter(user__isnull=True).count() == 1
    sessions = CoachingSession.objects.filter(coachee=jonas)
    assert sessions.past().get().status == CoachingSession.Status.HELD
    assert sessions.upcoming().count() == 2

    assignments = Assignment.objects.for_coach(coach)
    assert assignments.count() >= 4
    assert assignments.filter(template__coach__isnull=True, template__isnull=False).count() == assignments.count()
    held = sessions.past().get()
    assert Review.objects.filter(session=held).count() == 2
    # The carried-over homework and the homework from the held session are due at the next one.
    next_session = sessions.upcoming().first()
    due = Assignment.objects.on_agenda(next_session)
    assert due.filter(carried_over=True).count() == 1
    assert due.filter(assigned_in_session=held).count() == 3


def test_seed_demo_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = row_counts()

    coachee_user = User.objects.get(email="coachee@example.com")
    coachee_user.set_password("changed-by-hand")
    coachee_user.save()
    call_command("seed_demo")

    assert row_counts() == first
    # The published demo password works again after a run.
    coachee_user.refresh_from_db()
    assert coachee_user.check_password("coachhub-demo")


def test_seed_demo_reset_starts_afresh(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = row_counts()
    old_coach_pk = User.objects.get(email="coach@example.com").pk

    call_command("seed_demo", "--reset")

    assert row_counts() == first
    assert User.objects.get(email="coach@example.com").pk != old_coach_pk


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only with DEBUG=1"):
        call_command("seed_demo")

    assert not User.objects.exists()
