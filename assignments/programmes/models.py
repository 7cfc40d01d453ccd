"""Programmes: a named series of steps, each the homework of "session N", and the coachees enrolled in one.

Nothing here stores which session is "session N" of an enrolment: it is derived from the coachee's
sessions each time it is read (`Enrolment.counted_sessions`), so a rescheduled or cancelled session
moves the programme with it. Only what the coach decided per step (confirmed or skipped) is kept.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment, HomeworkFields, HomeworkTemplate
from sessions.models import Coachee, CoachingSession

# Steps one programme may have: a programme is a series of sessions, not a curriculum.
MAX_STEPS = 30
# "N days after the session" at most this many days.
MAX_DUE_DAYS = 90


class ProgrammeQuerySet(models.QuerySet):
    def for_coach(self, coach):
        """The built-in programmes plus the coach's own."""
        return self.filter(Q(coach__isnull=True) | Q(coach=coach))

    def editable_by(self, coach):
        return self.filter(coach=coach)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def builtin(self):
        return self.filter(coach__isnull=True)


class Programme(models.Model):
    """Built-in programmes have no coach: everyone sees them, and a coach copies one to use it."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="programmes"
    )
    title = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_builtin(self) -> bool:
        return self.coach_id is None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ProgrammeStep(HomeworkFields):
    """The homework of one session of a programme: step `number` is offered at session `number`."""

    class DueRule(models.TextChoices):
        NEXT_SESSION = "next_session", _("At the next session")
        DAYS_AFTER = "days_after", _("A number of days after the session")

    class Action(models.TextChoices):
        ASSIGN = "assign", _("Assign it")
        PROPOSE = "propose", _("Propose it to the coachee")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("session"))
    coach_notes = models.TextField(
        _("notes for you"), max_length=5000, blank=True, help_text=_("Only you see these, never the coachee.")
    )
    due_rule = models.CharField(_("due"), max_length=12, choices=DueRule.choices, default=DueRule.NEXT_SESSION)
    due_days = models.PositiveSmallIntegerField(_("days after the session"), null=True, blank=True)
    # Assigned or proposed when the coach confirms it. Proposals come with the agreement work of
    # issue 13; until then a proposed step is assigned too (see services._give).
    action = models.CharField(_("when you confirm it"), max_length=8, choices=Action.choices, default=Action.ASSIGN)
    # The library template its content was copied from, if any (kept as provenance only).
    template = models.ForeignKey(HomeworkTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("programme step")
        verbose_name_plural = _("programme steps")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="programme_step_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="programme_step_number_from_1"),
            models.CheckConstraint(
                condition=~Q(due_rule="days_after") | Q(due_days__gte=1, due_days__lte=MAX_DUE_DAYS),
                name="programme_step_days_after_has_days",
            ),
        ]


class EnrolmentQuerySet(models.QuerySet):
    def for_coach(self, coach):
        return self.filter(coachee__coach=coach)

    def current(self):
        return self.filter(ended_at__isnull=True)

    def with_position(self, now=None):
        """Annotate where each enrolment stands, in one query whatever the number of rows:
        `steps_total`, `sessions_begun` (counted sessions that have begun or were marked held: the
        coachee is at that step), `confirmed` and `skipped` (steps decided)."""
        now = now or timezone.now()
        begun = (
            CoachingSession.objects.not_cancelled()
            .filter(coachee_id=OuterRef("coachee_id"), starts_at__gte=OuterRef("counts_from"))
            .filter(Q(starts_at__lte=now) | Q(status=CoachingSession.Status.HELD))
        )
        steps = ProgrammeStep.objects.filter(programme_id=OuterRef("programme_id"))
        decisions = StepDecision.objects.filter(enrolment_id=OuterRef("pk"))
        return self.annotate(
            steps_total=_count(steps, "programme_id"),
            sessions_begun=_count(begun, "coachee_id"),
            confirmed=_count(decisions.filter(outcome=StepDecision.Outcome.CONFIRMED), "enrolment_id"),
            skipped=_count(decisions.filter(outcome=StepDecision.Outcome.SKIPPED), "enrolment_id"),
        )


def _count(queryset, group_by: str):
    """The number of rows of `queryset` (correlated with the outer row) as a subquery, 0 for none."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class Enrolment(models.Model):
    """A coachee following a programme. Session 1 is their first session not cancelled that starts
    at or after `counts_from`, session 2 the next, and so on (`counted_sessions`)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="programme_enrolments")
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    # The moment from which sessions count: the enrolment, or the start of the session under way
    # when the coach enrolled the coachee in it.
    counts_from = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["enrolled_at", "pk"]
        constraints = [
            # One programme at a time: "session N" must mean one thing for a coachee.
            models.UniqueConstraint(
                fields=["coachee"], condition=Q(ended_at__isnull=True), name="enrolment_one_current_per_coachee"
            ),
        ]

    def __str__(self):
        return f"{self.coachee} · {self.programme}"

    @property
    def step_reached(self) -> int:
        """The step the coachee is at (needs `with_position`): that of the latest session begun, 0
        before the first, capped at the last step."""
        return min(self.sessions_begun, self.steps_total)

    @property
    def is_finished(self) -> bool:
        """Every step's session has begun (needs `with_position`)."""
        return self.steps_total > 0 and self.sessions_begun >= self.steps_total

    def counted_sessions(self):
        """The coachee's sessions that are "session 1, 2, ..." of this programme, in that order."""
        return (
            CoachingSession.objects.filter(coachee_id=self.coachee_id, starts_at__gte=self.counts_from)
            .not_cancelled()
            .order_by("starts_at", "pk")
        )

    def session_number(self, session: CoachingSession) -> int | None:
        """Which session of the programme `session` is (1 for the first), or None when it does not
        count (cancelled, or before the enrolment)."""
        if session.is_cancelled or session.starts_at < self.counts_from:
            return None
        before = self.counted_sessions().filter(
            Q(starts_at__lt=session.starts_at) | Q(starts_at=session.starts_at, pk__lt=session.pk)
        )
        return before.count() + 1


class StepDecision(models.Model):
    """What the coach did with a step's homework for one enrolment: assigned it, or skipped it."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Assigned")
        SKIPPED = "skipped", _("Skipped")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="decisions")
    step = models.ForeignKey(ProgrammeStep, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    assignment = models.ForeignKey(Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    session = models.ForeignKey(CoachingSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("programme step decision")
        verbose_name_plural = _("programme step decisions")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "step"], name="step_decision_once_per_enrolment"),
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.step.number} · {self.outcome}"
