"""Writes for homework: templates, assigning, cancelling and reviewing; the coachee's work on it
(drafts, submitting, log entries, files) and the coach's feedback."""

import uuid
from datetime import date, datetime

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from sessions.models import Coachee, CoachingSession, Goal
from sessions.services import session_mark_held

from .models import (
    CHANGEABLE,
    AgreementStep,
    Assignment,
    CreativeFormat,
    HomeworkTemplate,
    Kind,
    LogEntry,
    Review,
    Submission,
    Upload,
)
from .signals import assignment_created
from .uploads import ACCEPTED_TYPES, safe_original_name

CONTENT_FIELDS = [
    "kind",
    "title",
    "instructions",
    "purpose",
    "approach",
    "review_plan",
    "questions",
    "cadence",
    "creative_format",
]
# Files one assignment may hold; more is almost always a mistake, and each can be 10 MB.
MAX_UPLOADS_PER_ASSIGNMENT = 10


def template_save(*, coach, template: HomeworkTemplate | None = None, **content) -> HomeworkTemplate:
    """Create a coach's own template, or update one they own."""
    template = template or HomeworkTemplate(coach=coach, language=coach.language)
    for name in [*CONTENT_FIELDS, "language"]:
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
    creative_format: str = CreativeFormat.TEXT_AND_FILES,
    goal: Goal | None = None,
    due_at: datetime | None = None,
    checklist: list[str] | None = None,
    template: HomeworkTemplate | None = None,
    assigned_in_session: CoachingSession | None = None,
    follow_up_of: Assignment | None = None,
    assigned_at: datetime | None = None,
    propose: bool = False,
) -> Assignment:
    """Assign homework. Without `due_at` it is due at the coachee's next session. With `propose` it
    is a proposal the coachee agrees to or suggests changes to (see `agreement_*` below); it stands
    in the review loop all the same.

    `assigned_at` is the moment of assigning (now, unless given). Homework can be assigned in a
    session once that session has opened (an hour before its start); it is then due at a later
    session, never at the one it was assigned in.
    """
    if goal is not None and goal.coachee_id != coachee.pk:
        raise ValueError("The goal belongs to another coachee.")
    if assigned_in_session is not None and assigned_in_session.coachee_id != coachee.pk:
        raise ValueError("The session belongs to another coachee.")
    assigned_at = assigned_at or timezone.now()
    if assigned_in_session is not None and not assigned_in_session.has_opened(assigned_at):
        raise ValueError("Homework is assigned in a session only from an hour before it starts.")
    assignment = Assignment.objects.create(
        coachee=coachee,
        kind=kind,
        title=title,
        instructions=instructions,
        purpose=purpose,
        approach=approach,
        review_plan=review_plan,
        questions=questions or [],
        cadence=cadence,
        creative_format=creative_format,
        goal=goal,
        due_at=due_at,
        checklist=checklist or [],
        template=template,
        assigned_in_session=assigned_in_session,
        follow_up_of=follow_up_of,
        assigned_at=assigned_at,
        agreement=Assignment.Agreement.PROPOSED if propose else Assignment.Agreement.NONE,
    )
    if propose:
        AgreementStep.objects.create(
            assignment=assignment, by=coachee.coach, action=AgreementStep.Action.PROPOSED, created_at=assigned_at
        )
    # Listeners (the reminder outbox) write what follows from new homework in this same transaction.
    assignment_created.send(sender=Assignment, assignment=assignment)
    return assignment


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
    3. Carry over: it stays open and is due at the next session still to be held after this one.
    """
    review, _created = Review.objects.update_or_create(
        assignment=assignment,
        session=session,
        defaults={"outcome": outcome, "next_step": next_step, "coach_notes": coach_notes, "insights": insights},
    )
    if next_step == Review.NextStep.CARRY_OVER:
        # Still open; the review itself moves it on to the session after this one.
        assignment.reviewed_session = None
        assignment.closed_at = None
        if assignment.status == Assignment.Status.REVIEWED:
            assignment.status = _open_status(assignment)
    else:
        assignment.status = Assignment.Status.REVIEWED
        assignment.reviewed_session = session
        assignment.closed_at = timezone.now()
    assignment.save(update_fields=["status", "reviewed_session", "closed_at"])
    return review


@transaction.atomic
def session_hold(*, session: CoachingSession, drop: list[int] | None = None, now: datetime | None = None):
    """Mark a session held and settle the open homework on its agenda that was not reviewed there.

    Steps:
    1. Find that homework while the session is still to be held.
    2. Mark the session held (raises SessionCancelled or SessionNotOpen from sessions.services).
    3. Cancel the homework the coach chose to drop (ids in `drop`). The rest is carried over: nothing
       to write, the review loop moves it to the next session by itself.
    Returns the cancelled assignments."""
    now = now or timezone.now()
    waiting = Assignment.objects.open().on_agenda(session, now).filter(reviewed_here=False)
    dropped = list(waiting.filter(pk__in=drop or []))
    session_mark_held(session=session, now=now)
    for assignment in dropped:
        assignment_cancel(assignment=assignment)
    return dropped


def _open_status(assignment: Assignment) -> str:
    """The status an assignment reopened by a review goes back to: as far as the coachee got."""
    if assignment.submitted_at:
        return Assignment.Status.SUBMITTED
    return Assignment.Status.STARTED if assignment.started_at else Assignment.Status.ASSIGNED


def follow_up_initial(assignment: Assignment) -> dict:
    """Form values for a follow-up of `assignment`: same kind and goal, content to adapt."""
    initial = {name: getattr(assignment, name) for name in CONTENT_FIELDS}
    initial["title"] = assignment.title
    initial["goal"] = assignment.goal_id
    return initial


# --- The coachee's work -------------------------------------------------------------------------


class WorkLocked(Exception):
    """The assignment no longer takes this change: it was submitted, reviewed or cancelled."""


def _lock(assignment: Assignment) -> Assignment:
    """The assignment's row as it is now, locked until the transaction ends, so two saves of the
    same work (two tabs, autosave beside a click) run one after the other."""
    return Assignment.objects.select_related("coachee").select_for_update(of=("self",)).get(pk=assignment.pk)


def _mark_started(assignment: Assignment, now: datetime) -> None:
    """The first piece of work starts an assignment."""
    if assignment.status == Assignment.Status.ASSIGNED:
        assignment.status = Assignment.Status.STARTED
    if assignment.started_at is None:
        assignment.started_at = now
    assignment.save(update_fields=["status", "started_at"])


def _sync(target: Assignment, source: Assignment) -> None:
    """Keep the caller's instance in step with the row just written."""
    target.status, target.started_at, target.submitted_at = source.status, source.started_at, source.submitted_at


def _save_work(*, assignment, answers, text, fit_rating, remark, submit, now) -> Submission:
    """Steps:
    1. Lock the assignment; refuse when its work can no longer change.
    2. Save answers (one per question), text, fit rating and remark, and when the draft was saved.
    3. The first save starts the assignment; submitting marks it submitted.
    """
    now = now or timezone.now()
    current = _lock(assignment)
    if not current.work_is_editable:
        raise WorkLocked
    answers = [str(answer) for answer in (answers or [])][: len(current.questions)]
    answers += [""] * (len(current.questions) - len(answers))
    submission, _created = Submission.objects.get_or_create(assignment=current)
    submission.answers = answers
    submission.text = text
    submission.fit_rating = fit_rating
    submission.remark = remark
    submission.draft_saved_at = now
    submission.save(update_fields=["answers", "text", "fit_rating", "remark", "draft_saved_at"])
    _mark_started(current, now)
    if submit:
        current.status = Assignment.Status.SUBMITTED
        current.submitted_at = now
        current.save(update_fields=["status", "submitted_at"])
    _sync(assignment, current)
    return submission


@transaction.atomic
def submission_save_draft(
    *,
    assignment: Assignment,
    answers: list[str] | None = None,
    text: str = "",
    fit_rating: int | None = None,
    remark: str = "",
    now: datetime | None = None,
) -> Submission:
    """Keep the coachee's work on the server before it is submitted. Raises WorkLocked after submitting."""
    return _save_work(
        assignment=assignment, answers=answers, text=text, fit_rating=fit_rating, remark=remark, submit=False, now=now
    )


@transaction.atomic
def submission_submit(
    *,
    assignment: Assignment,
    answers: list[str] | None = None,
    text: str = "",
    fit_rating: int | None = None,
    remark: str = "",
    now: datetime | None = None,
) -> Submission:
    """Hand the work in: it goes to the coach and stands on the next session's agenda. Check-ins
    and log entries can still be added until the review. Raises WorkLocked when already submitted."""
    return _save_work(
        assignment=assignment, answers=answers, text=text, fit_rating=fit_rating, remark=remark, submit=True, now=now
    )


@transaction.atomic
def log_entry_add(
    *,
    assignment: Assignment,
    day: date,
    did_it: bool | None = None,
    mood: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> tuple[LogEntry, bool]:
    """Add a line to the coachee's log; its type follows from the homework (daily or per-occurrence
    check-in, observation, mood). A daily check-in or mood for a day that has one already replaces
    it. Returns the entry and whether it is new. Raises WorkLocked after the review."""
    now = now or timezone.now()
    current = _lock(assignment)
    entry_type = current.entry_type
    if entry_type is None:
        raise ValueError("This homework keeps no log.")
    if not current.log_is_open:
        raise WorkLocked
    fields = {
        "did_it": did_it if entry_type in LogEntry.CHECK_INS else None,
        "mood": mood if entry_type == LogEntry.Type.MOOD else None,
        "note": note,
    }
    if entry_type in LogEntry.ONE_PER_DAY:
        entry, created = LogEntry.objects.update_or_create(
            assignment=current, type=entry_type, day=day, defaults=fields, create_defaults={**fields, "created_at": now}
        )
    else:
        entry, created = (
            LogEntry.objects.create(assignment=current, type=entry_type, day=day, created_at=now, **fields),
            True,
        )
    _mark_started(current, now)
    _sync(assignment, current)
    return entry, created


@transaction.atomic
def log_entry_delete(*, entry: LogEntry) -> None:
    """Take back a log entry made by mistake, until the review."""
    if not _lock(entry.assignment).log_is_open:
        raise WorkLocked
    entry.delete()


@transaction.atomic
def upload_add(*, assignment: Assignment, file: File, original_name: str, content_type: str) -> Upload:
    """Store a file the coachee added, under a random name; `content_type` is what its content showed.

    Steps:
    1. Lock the assignment; refuse when its work can no longer change or it holds enough files.
    2. Write the file under MEDIA_ROOT as <random>.<extension of its real type>.
    3. Record it with its cleaned original name; if recording fails, remove the file again.
    """
    if content_type not in ACCEPTED_TYPES:
        raise ValueError(f"Not an accepted file type: {content_type}")
    current = _lock(assignment)
    if not current.work_is_editable:
        raise WorkLocked
    if current.uploads.count() >= MAX_UPLOADS_PER_ASSIGNMENT:
        raise ValueError("This homework holds the most files it can.")
    upload = Upload(
        assignment=current,
        original_name=safe_original_name(original_name, content_type),
        content_type=content_type,
        size=file.size,
    )
    upload.file.save(f"{uuid.uuid4().hex}.{ACCEPTED_TYPES[content_type]}", file, save=False)
    try:
        upload.save()
        _mark_started(current, timezone.now())
    except Exception:
        upload.file.delete(save=False)
        raise
    _sync(assignment, current)
    return upload


@transaction.atomic
def upload_delete(*, upload: Upload) -> None:
    """Remove a file from work not yet submitted; the stored file goes once the removal is committed."""
    if not _lock(upload.assignment).work_is_editable:
        raise WorkLocked
    storage, name = upload.file.storage, upload.file.name
    upload.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def feedback_give(*, assignment: Assignment, feedback: str, now: datetime | None = None) -> Submission:
    """The coach's written answer to the coachee's work, shown to the coachee. Empty text withdraws it."""
    current = _lock(assignment)
    if current.status == Assignment.Status.CANCELLED:
        raise WorkLocked
    submission, _created = Submission.objects.get_or_create(assignment=current)
    submission.feedback = feedback
    submission.feedback_at = (now or timezone.now()) if feedback else None
    submission.save(update_fields=["feedback", "feedback_at"])
    return submission


# --- Agreeing on homework -----------------------------------------------------------------------
# Proposed -> agreed (the coachee agrees), or -> suggested (the coachee suggests a change) -> agreed
# (the coach accepts it, or adjusts it and agrees) or -> to discuss (kept for the session). In the
# session the coach can mark any of these agreed. Every step is an `AgreementStep`.

# What a coachee may suggest changing: the scope, the approach and the timing.
SUGGESTABLE = CHANGEABLE


class AgreementOutOfOrder(Exception):
    """The step does not fit where the agreement stands (agreeing twice, suggesting on agreed or
    closed homework). `assignment` is the row as it is now, for the message."""

    def __init__(self, assignment: Assignment):
        super().__init__(f"Assignment {assignment.pk} is {assignment.agreement or 'assigned'} ({assignment.status}).")
        self.assignment = assignment


def _as_text(name: str, value) -> str:
    """A field's value as kept in a step's `changes`: text; a due moment as ISO 8601, empty for none."""
    if name == "due_at":
        return value.isoformat() if value else ""
    return value or ""


def _from_text(name: str, text: str):
    if name == "due_at":
        return datetime.fromisoformat(text) if text else None
    return text


def _differences(assignment: Assignment, terms: dict) -> dict:
    """The fields of `terms` whose value differs from the assignment's: name -> {"old", "new"} as text."""
    changes = {}
    for name in SUGGESTABLE:
        if name in terms:
            old, new = _as_text(name, getattr(assignment, name)), _as_text(name, terms[name])
            if old != new:
                changes[name] = {"old": old, "new": new}
    return changes


def _agreement_lock(assignment: Assignment, allowed: list[str]) -> Assignment:
    """The locked row; refused unless it is open and its agreement stands at one of `allowed`."""
    current = _lock(assignment)
    if not current.is_open or current.agreement not in allowed:
        raise AgreementOutOfOrder(current)
    return current


def _agreement_step(current: Assignment, target: Assignment, *, agreement: str, fields=(), **step) -> AgreementStep:
    """Move the agreement on, save `fields` changed on `current` beside it, and keep the step."""
    current.agreement = agreement
    current.save(update_fields=["agreement", *fields])
    target.agreement = agreement
    for name in fields:
        setattr(target, name, getattr(current, name))
    return AgreementStep.objects.create(assignment=current, **step)


def _apply(current: Assignment, changes: dict) -> list[str]:
    for name, change in changes.items():
        setattr(current, name, _from_text(name, change["new"]))
    return list(changes)


def suggestion_terms(step: AgreementStep) -> dict:
    """The terms a suggestion asks for, as values of the assignment's fields."""
    return {name: _from_text(name, change["new"]) for name, change in (step.changes or {}).items()}


def pending_suggestion(assignment: Assignment) -> AgreementStep | None:
    """The coachee's latest suggestion, while it waits for the coach (or for the session)."""
    if assignment.agreement not in (Assignment.Agreement.SUGGESTED, Assignment.Agreement.TO_DISCUSS):
        return None
    return assignment.agreement_steps.filter(action=AgreementStep.Action.SUGGESTED).order_by("created_at", "pk").last()


@transaction.atomic
def agreement_agree(*, assignment: Assignment, by, now: datetime | None = None) -> AgreementStep:
    """The coachee agrees to the proposal as it stands."""
    current = _agreement_lock(assignment, [Assignment.Agreement.PROPOSED])
    return _agreement_step(
        current,
        assignment,
        agreement=Assignment.Agreement.AGREED,
        by=by,
        action=AgreementStep.Action.AGREED,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def agreement_suggest(
    *, assignment: Assignment, by, note: str, terms: dict, now: datetime | None = None
) -> AgreementStep:
    """The coachee suggests other terms (some of SUGGESTABLE: scope, approach, timing) with a note.
    The assignment keeps its terms until the coach accepts or adjusts; the step keeps old and new."""
    current = _agreement_lock(assignment, [Assignment.Agreement.PROPOSED])
    return _agreement_step(
        current,
        assignment,
        agreement=Assignment.Agreement.SUGGESTED,
        by=by,
        action=AgreementStep.Action.SUGGESTED,
        note=note,
        changes=_differences(current, terms),
        created_at=now or timezone.now(),
    )


@transaction.atomic
def agreement_accept(*, assignment: Assignment, by, now: datetime | None = None) -> AgreementStep:
    """The coach takes the coachee's suggestion as it is: its terms become the homework's; agreed."""
    current = _agreement_lock(assignment, [Assignment.Agreement.SUGGESTED, Assignment.Agreement.TO_DISCUSS])
    suggestion = pending_suggestion(current)
    # A suggestion's old values may be out of date by now; only what still differs is changed.
    changes = _differences(current, suggestion_terms(suggestion))
    return _agreement_step(
        current,
        assignment,
        agreement=Assignment.Agreement.AGREED,
        fields=_apply(current, changes),
        by=by,
        action=AgreementStep.Action.ACCEPTED,
        changes=changes,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def agreement_adjust(
    *, assignment: Assignment, by, terms: dict, note: str = "", now: datetime | None = None
) -> AgreementStep:
    """The coach answers a suggestion with terms of their own (some of SUGGESTABLE) and agrees."""
    current = _agreement_lock(assignment, [Assignment.Agreement.SUGGESTED, Assignment.Agreement.TO_DISCUSS])
    changes = _differences(current, terms)
    return _agreement_step(
        current,
        assignment,
        agreement=Assignment.Agreement.AGREED,
        fields=_apply(current, changes),
        by=by,
        action=AgreementStep.Action.ADJUSTED,
        note=note,
        changes=changes,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def agreement_discuss(*, assignment: Assignment, by, note: str = "", now: datetime | None = None) -> AgreementStep:
    """The coach keeps the suggestion for the session; the agenda shows the homework as "to agree"."""
    current = _agreement_lock(assignment, [Assignment.Agreement.SUGGESTED])
    return _agreement_step(
        current,
        assignment,
        agreement=Assignment.Agreement.TO_DISCUSS,
        by=by,
        action=AgreementStep.Action.DISCUSSED,
        note=note,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def agreement_in_session(
    *, assignment: Assignment, session: CoachingSession, by, now: datetime | None = None
) -> AgreementStep:
    """Coach and coachee agreed on it in the session (session mode: from an hour before it starts)."""
    now = now or timezone.now()
    if session.coachee_id != assignment.coachee_id:
        raise ValueError("The session belongs to another coachee.")
    if session.is_cancelled or not session.has_opened(now):
        raise SessionNotOpenForAgreeing
    current = _agreement_lock(assignment, Assignment.TO_AGREE)
    return _agreement_step(
        current,
        assignment,
        agreement=Assignment.Agreement.AGREED,
        by=by,
        action=AgreementStep.Action.AGREED_IN_SESSION,
        session=session,
        created_at=now,
    )


class SessionNotOpenForAgreeing(Exception):
    """Homework is agreed in a session only once it has opened (an hour before it starts), never in a
    cancelled one."""


def coachee_preferred_kinds_save(*, coachee: Coachee, kinds: list[str]) -> Coachee:
    """The kinds of homework the coachee says suit them, in the order of the kinds."""
    coachee.preferred_kinds = [kind for kind in Kind.values if kind in kinds]
    coachee.save(update_fields=["preferred_kinds"])
    return coachee
