"""Writes for coachees, goals and sessions. Views, admin, tasks and tests all call these."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import Coachee, CoachingSession, Goal


@transaction.atomic
def coachee_create(
    *,
    coach,
    name: str,
    email: str,
    coaching_question: str = "",
    timezone_name: str = "UTC",
    goals: list[str] | None = None,
) -> Coachee:
    coachee = Coachee.objects.create(
        coach=coach,
        name=name,
        email=email.strip().lower(),
        coaching_question=coaching_question,
        timezone=timezone_name,
    )
    for title in goals or []:
        if title.strip():
            Goal.objects.create(coachee=coachee, title=title.strip())
    return coachee


@transaction.atomic
def coachee_update(*, coachee: Coachee, **fields) -> Coachee:
    for name, value in fields.items():
        setattr(coachee, name, value)
    coachee.email = coachee.email.strip().lower()
    coachee.full_clean(exclude=["coach", "user"])
    coachee.save()
    return coachee


def coachee_archive(*, coachee: Coachee) -> Coachee:
    coachee.archived_at = timezone.now()
    coachee.save(update_fields=["archived_at"])
    return coachee


def coachee_restore(*, coachee: Coachee) -> Coachee:
    coachee.archived_at = None
    coachee.save(update_fields=["archived_at"])
    return coachee


def goal_create(*, coachee: Coachee, title: str, description: str = "") -> Goal:
    return Goal.objects.create(coachee=coachee, title=title, description=description)


def goal_update(*, goal: Goal, title: str, description: str, status: str) -> Goal:
    goal.title, goal.description, goal.status = title, description, status
    goal.save(update_fields=["title", "description", "status"])
    return goal


def session_schedule(
    *, coachee: Coachee, starts_at: datetime, duration_minutes: int = 60, location: str = "", video_url: str = ""
) -> CoachingSession:
    return CoachingSession.objects.create(
        coachee=coachee,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        video_url=video_url,
    )


def session_update(*, session: CoachingSession, **fields) -> CoachingSession:
    """Reschedule or edit a session. Homework due dates follow by themselves: they are derived
    from session times, never copied."""
    for name, value in fields.items():
        setattr(session, name, value)
    session.save()
    return session


def session_cancel(*, session: CoachingSession) -> CoachingSession:
    session.status = CoachingSession.Status.CANCELLED
    session.save(update_fields=["status"])
    return session


def session_mark_held(*, session: CoachingSession) -> CoachingSession:
    session.status = CoachingSession.Status.HELD
    session.save(update_fields=["status"])
    return session
