"""Writes for programmes: building them (steps, copies, archiving), enrolling coachees, and the coach's
decision on each step's homework at the session it falls on."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import Assignment
from assignments.services import CONTENT_FIELDS, assignment_create
from sessions.models import Coachee, CoachingSession

from .models import MAX_STEPS, Enrolment, Programme, ProgrammeStep, StepDecision

# Everything of a step that a copy, an export or an import carries: its homework and the coach's plan.
STEP_FIELDS = [*CONTENT_FIELDS, "coach_notes", "due_rule", "due_days", "action"]
# A date picked for homework means the end of that day in the coachee's time zone (as assignments.forms).
END_OF_DAY = (23, 59)


class ProgrammeFull(Exception):
    """The programme has MAX_STEPS steps already."""


class AlreadyEnrolled(Exception):
    """The coachee follows another programme; end that enrolment first."""


class NotEnrollable(Exception):
    """Built-in or archived programmes, and archived coachees, take no enrolments."""


class AlreadyDecided(Exception):
    """The step was confirmed or skipped for this enrolment already (another tab, a double click)."""


class NotThisSession(Exception):
    """The step does not fall on this session (any more): the calendar moved."""


# --- Building a programme -----------------------------------------------------------------------


def programme_save(*, coach, programme: Programme | None = None, **fields) -> Programme:
    """Create a coach's own programme, or update one they own (title, description, language)."""
    programme = programme or Programme(coach=coach, language=coach.language)
    for name in ("title", "description", "language"):
        if name in fields:
            setattr(programme, name, fields[name])
    programme.save()
    return programme


@transaction.atomic
def programme_copy(*, coach, programme: Programme) -> Programme:
    """A coach's own copy of a programme (built-in or their own), steps and all."""
    title = programme.title if programme.is_builtin else _("%(title)s (copy)") % {"title": programme.title}
    copy = Programme.objects.create(
        coach=coach, title=title[:200], description=programme.description, language=programme.language
    )
    ProgrammeStep.objects.bulk_create(
        ProgrammeStep(
            programme=copy,
            number=step.number,
            template_id=step.template_id,
            **{name: getattr(step, name) for name in STEP_FIELDS},
        )
        for step in programme.steps.all()
    )
    return copy


def programme_archive(*, programme: Programme) -> Programme:
    """Out of the list and closed to new enrolments; coachees enrolled follow it to its end."""
    programme.archived_at = timezone.now()
    programme.save(update_fields=["archived_at"])
    return programme


def programme_restore(*, programme: Programme) -> Programme:
    programme.archived_at = None
    programme.save(update_fields=["archived_at"])
    return programme


@transaction.atomic
def step_save(*, programme: Programme, step: ProgrammeStep | None = None, **fields) -> ProgrammeStep:
    """Add a step at the end of the programme (the next session), or change one."""
    if step is None:
        Programme.objects.select_for_update().get(pk=programme.pk)  # two adds in a row get two numbers
        last = programme.steps.aggregate(last=Max("number"))["last"] or 0
        if last >= MAX_STEPS:
            raise ProgrammeFull
        step = ProgrammeStep(programme=programme, number=last + 1)
    for name in [*STEP_FIELDS, "template"]:
        if name in fields:
            setattr(step, name, fields[name])
    if step.due_rule != ProgrammeStep.DueRule.DAYS_AFTER:
        step.due_days = None
    step.save()
    return step


@transaction.atomic
def step_remove(*, step: ProgrammeStep) -> None:
    """Remove a step; the steps after it move one session earlier."""
    programme = Programme.objects.select_for_update().get(pk=step.programme_id)
    step.delete()
    _renumber(programme, [s.pk for s in programme.steps.order_by("number")])


@transaction.atomic
def step_move(*, step: ProgrammeStep, up: bool) -> None:
    """Swap a step with the one before it (`up`) or after it."""
    programme = Programme.objects.select_for_update().get(pk=step.programme_id)
    order = list(programme.steps.order_by("number").values_list("pk", flat=True))
    at = order.index(step.pk)
    other = at - 1 if up else at + 1
    if 0 <= other < len(order):
        order[at], order[other] = order[other], order[at]
        _renumber(programme, order)


def _renumber(programme: Programme, ordered_pks: list[int]) -> None:
    """Number the steps 1, 2, ... in the given order. Out of the way first, so that the unique
    number per programme holds at every statement."""
    programme.steps.update(number=F("number") + 1000)
    for number, pk in enumerate(ordered_pks, start=1):
        ProgrammeStep.objects.filter(pk=pk).update(number=number)


# --- Enrolling ----------------------------------------------------------------------------------


@transaction.atomic
def enrol(*, programme: Programme, coachee: Coachee, now: datetime | None = None) -> Enrolment:
    """Enrol a coachee in one of the coach's programmes. Schedules nothing: the programme's homework
    is offered as sessions come (see `offer_at`). A session under way now (opened, not gone by)
    counts as session 1, so a coach can enrol a coachee in the session itself."""
    if programme.is_builtin or programme.is_archived or programme.coach_id != coachee.coach_id or coachee.is_archived:
        raise NotEnrollable
    now = now or timezone.now()
    Coachee.objects.select_for_update().get(pk=coachee.pk)
    if Enrolment.objects.filter(coachee=coachee).current().exists():
        raise AlreadyEnrolled
    under_way = [
        session
        for session in CoachingSession.objects.filter(coachee=coachee, starts_at__lte=now + timedelta(hours=1))
        .to_be_held(now)
        .order_by("starts_at", "pk")
        if session.has_opened(now)
    ]
    counts_from = min(now, under_way[0].starts_at) if under_way else now
    return Enrolment.objects.create(programme=programme, coachee=coachee, enrolled_at=now, counts_from=counts_from)


def enrolment_end(*, enrolment: Enrolment, now: datetime | None = None) -> Enrolment:
    """The coachee leaves the programme; homework already assigned from it stays."""
    enrolment.ended_at = now or timezone.now()
    enrolment.save(update_fields=["ended_at"])
    return enrolment


# --- Offering each step at its session ------------------------------------------------------------


def step_at(enrolment: Enrolment, session: CoachingSession) -> ProgrammeStep | None:
    """The step whose homework falls on `session` for this enrolment, derived from the calendar now."""
    number = enrolment.session_number(session)
    if number is None:
        return None
    return enrolment.programme.steps.filter(number=number).first()


def due_at_for(step: ProgrammeStep, session: CoachingSession, now: datetime) -> datetime | None:
    """The due moment of a step's homework given at `session`: none (the next session, derived by the
    review loop), or the end of the day N days after the session (after today, if later) in the
    coachee's time zone."""
    if step.due_rule != ProgrammeStep.DueRule.DAYS_AFTER or not step.due_days:
        return None
    zone = session.coachee.tzinfo
    start = max(timezone.localdate(session.starts_at, zone), timezone.localdate(now, zone))
    day = start + timedelta(days=step.due_days)
    return datetime(day.year, day.month, day.day, *END_OF_DAY, tzinfo=zone)


def _lock_undecided(enrolment: Enrolment, step: ProgrammeStep, session: CoachingSession) -> None:
    """Lock the enrolment, then refuse when the step was decided already or no longer falls here."""
    Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if StepDecision.objects.filter(enrolment=enrolment, step=step).exists():
        raise AlreadyDecided
    if enrolment.ended_at is not None or step_at(enrolment, session) != step:
        raise NotThisSession


def _give(step: ProgrammeStep, **assignment_fields) -> Assignment:
    """Create the homework of a step: assigned, or proposed for the coachee to agree to or change
    (the step's action, as the coach planned it)."""
    return assignment_create(**assignment_fields, propose=step.action == ProgrammeStep.Action.PROPOSE)


@transaction.atomic
def step_confirm(
    *,
    enrolment: Enrolment,
    step: ProgrammeStep,
    session: CoachingSession,
    content: dict | None = None,
    goal=None,
    due_at: datetime | None = None,
    checklist: list[str] | None = None,
    now: datetime | None = None,
) -> Assignment:
    """Give a step's homework at its session: as planned, or with `content` (and `due_at`) as the
    coach edited it in the assign form. Raises AlreadyDecided or NotThisSession; assignment_create
    raises ValueError when the session has not opened yet."""
    now = now or timezone.now()
    _lock_undecided(enrolment, step, session)
    if content is None:
        content = {name: getattr(step, name) for name in CONTENT_FIELDS}
        due_at = due_at_for(step, session, now)
    assignment = _give(
        step,
        coachee=session.coachee,
        **content,
        goal=goal,
        due_at=due_at,
        checklist=checklist,
        template=step.template,
        assigned_in_session=session,
        assigned_at=now,
    )
    StepDecision.objects.create(
        enrolment=enrolment,
        step=step,
        outcome=StepDecision.Outcome.CONFIRMED,
        assignment=assignment,
        session=session,
        decided_at=now,
    )
    return assignment


@transaction.atomic
def step_skip(
    *, enrolment: Enrolment, step: ProgrammeStep, session: CoachingSession, now: datetime | None = None
) -> StepDecision:
    """Leave a step's homework out for this coachee; the programme goes on with the next session."""
    _lock_undecided(enrolment, step, session)
    return StepDecision.objects.create(
        enrolment=enrolment,
        step=step,
        outcome=StepDecision.Outcome.SKIPPED,
        session=session,
        decided_at=now or timezone.now(),
    )
