"""Writes for homework: templates, assigning, cancelling and reviewing."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from sessions.models import Coachee, CoachingSession, Goal

from .models import Assignment, HomeworkTemplate, Review

CONTENT_FIELDS = ["kind", "title", "instructions", "purpose", "approach", "review_plan", "questions", "cadence"]


def template_save(*, coach, template: HomeworkTemplate | None = None, **content) -> HomeworkTemplate:
    """Create a coach's own template, or update one they own."""
    template = template or HomeworkTemplate(coach=coach)
    for name in CONTENT_FIELDS:
        if name in content:
            setattr(template, name, content[name])
    template.save()
    return template


@transaction.atomic
def assignment_create(
    *,
    coachee: Coachee,
    kind: str,
    title: str,
    instructions: str,
    purpose: str = "",
    approach: str = "",
    review_plan: str = "",
    questions: list[str] | None = None,
    cadence: str = "once",
    goal: Goal | None = None,
    due_at: datetime | None = None,
    checklist: list[str] | None = None,
    template: HomeworkTemplate | None = None,
    assigned_in_session: CoachingSession | None = None,
    follow_up_of: Assignment | None = None,
    assigned_at: datetime | None = None,
) -> Assignment:
    """Assign homework. Without `due_at` it is due at the coachee's next session.

    Homework assigned in a session counts from that session's start at the earliest, so it is never
    due for review at the very session it was assigned in (even when the coach records it beforehand).
    """
    if goal is not None and goal.coachee_id != coachee.pk:
        raise ValueError("The goal belongs to another coachee.")
    if assigned_in_session is not None and assigned_in_session.coachee_id != coachee.pk:
        raise ValueError("The session belongs to another coachee.")
    if assigned_at is None:
        assigned_at = timezone.now()
        if assigned_in_session is not None:
            assigned_at = max(assigned_at, assigned_in_session.starts_at)
    return Assignment.objects.create(
        coachee=coachee,
        kind=kind,
        title=title,
        instructions=instructions,
        purpose=purpose,
        approach=approach,
        review_plan=review_plan,
        questions=questions or [],
        cadence=cadence,
        goal=goal,
        due_at=due_at,
        checklist=checklist or [],
        template=template,
        assigned_in_session=assigned_in_session,
        follow_up_of=follow_up_of,
        assigned_at=assigned_at,
    )


def assignment_cancel(*, assignment: Assignment) -> Assignment:
    assignment.status = Assignment.Status.CANCELLED
    assignment.closed_at = timezone.now()
    assignment.save(update_fields=["status", "closed_at"])
    return assignment


@transaction.atomic
def review_record(
    *,
    assignment: Assignment,
    session: CoachingSession,
    outcome: str,
    next_step: str,
    coach_notes: str = "",
    insights: str = "",
) -> Review:
    """Record (or correct) the review of an assignment at a session.

    Steps:
    1. Save the review for this assignment and session (one per pair).
    2. Close or follow up: the assignment is reviewed and leaves later agendas.
    3. Carry over: it stays open and is due again at the next session.
    """
    review, _created = Review.objects.update_or_create(
        assignment=assignment,
        session=session,
        defaults={"outcome": outcome, "next_step": next_step, "coach_notes": coach_notes, "insights": insights},
    )
    if next_step == Review.NextStep.CARRY_OVER:
        assignment.reviewed_session = None
        assignment.closed_at = None
        assignment.due_at = None
        if assignment.status == Assignment.Status.REVIEWED:
            assignment.status = assignment.submitted_at and Assignment.Status.SUBMITTED or Assignment.Status.ASSIGNED
    else:
        assignment.status = Assignment.Status.REVIEWED
        assignment.reviewed_session = session
        assignment.closed_at = timezone.now()
    assignment.save(update_fields=["status", "reviewed_session", "closed_at", "due_at"])
    return review


def follow_up_initial(assignment: Assignment) -> dict:
    """Form values for a follow-up of `assignment`: same kind and goal, content to adapt."""
    initial = {name: getattr(assignment, name) for name in CONTENT_FIELDS}
    initial["title"] = assignment.title
    initial["goal"] = assignment.goal_id
    return initial
