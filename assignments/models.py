"""Homework: the template library, assignments and their reviews at sessions."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions.models import Coachee, CoachingSession, Goal


class Kind(models.TextChoices):
    REFLECTION = "reflection", _("Reflection")
    BEHAVIOURAL = "behavioural", _("Behavioural practice")
    OBSERVATION = "observation", _("Self-observation")
    CREATIVE = "creative", _("Creative")
    PREPARATION = "preparation", _("Session preparation")


class Cadence(models.TextChoices):
    ONCE = "once", _("Once")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Criterion(models.TextChoices):
    """What makes good homework; the coach ticks these beside the assign form."""

    ACHIEVABLE = "achievable", _("Short and achievable")
    CONCRETE = "concrete", _("Concrete and purposeful")
    CONNECTED = "connected", _("Connected to the goal")
    INVITES = "invites", _("Invites reflection or action")
    DISCUSSABLE = "discussable", _("Can be discussed next session")


class HomeworkFields(models.Model):
    """What a template and an assignment share: the content of a piece of homework."""

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("what to do"), max_length=5000)
    purpose = models.TextField(_("why (purpose)"), max_length=2000, blank=True)
    approach = models.TextField(_("how (approach)"), max_length=2000, blank=True)
    review_plan = models.TextField(_("how it will be reviewed"), max_length=2000, blank=True)
    questions = models.JSONField(_("reflection questions"), default=list, blank=True)
    cadence = models.CharField(_("cadence"), max_length=6, choices=Cadence.choices, default=Cadence.ONCE)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title


class HomeworkTemplateQuerySet(models.QuerySet):
    def for_coach(self, coach):
        """The built-in library plus the coach's own templates."""
        return self.filter(Q(coach__isnull=True) | Q(coach=coach))

    def editable_by(self, coach):
        return self.filter(coach=coach)


class HomeworkTemplate(HomeworkFields):
    """A ready piece of homework. Built-in templates have no coach and are shared by everyone."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="homework_templates"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HomeworkTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("homework template")
        verbose_name_plural = _("homework templates")
        ordering = ["kind", "title", "pk"]

    @property
    def is_builtin(self) -> bool:
        return self.coach_id is None


class AssignmentQuerySet(models.QuerySet):
    def for_coach(self, coach):
        return self.filter(coachee__coach=coach)

    def for_coachee_user(self, user):
        return self.filter(coachee__user=user)

    def open(self):
        """Still in the loop: neither closed by a review nor cancelled."""
        return self.filter(status__in=Assignment.OPEN_STATUSES)

    def due_for_review(self, session: CoachingSession):
        """The review-loop invariant: every assignment of the session's coachee that was assigned
        before the session started and was not cancelled or closed at an earlier session."""
        return self.filter(due_for_review_condition(session.coachee_id, session.starts_at)).annotate(
            carried_over=Exists(
                CoachingSession.objects.not_cancelled().filter(
                    coachee_id=OuterRef("coachee_id"),
                    starts_at__gt=OuterRef("assigned_at"),
                    starts_at__lt=session.starts_at,
                )
            )
        )

    def with_next_session(self, now=None):
        """Annotate `next_session_at`: the coachee's next session, which is when homework without
        its own due date is due. Derived, so rescheduling a session moves the due date too.
        Homework assigned in a future session is due at the session after that one."""
        upcoming = CoachingSession.objects.upcoming(now).filter(
            coachee_id=OuterRef("coachee_id"), starts_at__gt=OuterRef("assigned_at")
        )
        return self.annotate(next_session_at=Subquery(upcoming.values("starts_at")[:1]))

    def with_last_session(self, now=None):
        """Annotate `last_session_at`: the start of the coachee's latest session that has begun
        and was not cancelled."""
        past = CoachingSession.objects.not_cancelled().past(now).filter(coachee_id=OuterRef("coachee_id"))
        return self.annotate(last_session_at=Subquery(past.values("starts_at")[:1]))

    def submitted_since_last_session(self, now=None):
        """Submitted work the coach has not yet discussed: handed in after the coachee's last session
        (or at any time when there was no session yet)."""
        return (
            self.filter(status=Assignment.Status.SUBMITTED, submitted_at__isnull=False)
            .with_last_session(now)
            .filter(Q(last_session_at__isnull=True) | Q(submitted_at__gt=F("last_session_at")))
        )


def due_for_review_condition(coachee_id, starts_at) -> Q:
    """The review-loop invariant as a filter, for a session given by its coachee and start (values,
    or OuterRef()s when counting per session): assigned before the session started, not cancelled,
    and not closed at an earlier session."""
    return (
        Q(coachee_id=coachee_id, assigned_at__lt=starts_at)
        & ~Q(status=Assignment.Status.CANCELLED)
        & (Q(reviewed_session__isnull=True) | Q(reviewed_session__starts_at__gte=starts_at))
    )


def with_due_for_review_count(sessions):
    """Annotate each session of `sessions` with `due_count`: how many assignments are due for review
    there, in the same query (sessions know nothing of homework, so the annotation lives here)."""
    due = (
        Assignment.objects.filter(due_for_review_condition(OuterRef("coachee_id"), OuterRef("starts_at")))
        .order_by()
        .values("coachee_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return sessions.annotate(due_count=Coalesce(Subquery(due, output_field=IntegerField()), 0))


class Assignment(HomeworkFields):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Not started")
        STARTED = "started", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = [Status.ASSIGNED, Status.STARTED, Status.SUBMITTED]

    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="assignments")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments", verbose_name=_("goal")
    )
    template = models.ForeignKey(
        HomeworkTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    assigned_in_session = models.ForeignKey(
        CoachingSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments_made"
    )
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    checklist = models.JSONField(_("good-homework checklist"), default=list, blank=True)
    # Empty means "due at the coachee's next session", derived at read time.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Set when a review closes the assignment: it leaves the agendas of later sessions.
    reviewed_session = models.ForeignKey(
        CoachingSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments_closed"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["assigned_at", "pk"]
        indexes = [
            # Agendas and dashboards look up a coachee's assignments by status and assignment time.
            models.Index(fields=["coachee", "status", "assigned_at"], name="assignment_coachee_status_idx"),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def effective_due_at(self):
        """The explicit due date, or the next session (needs `with_next_session()`)."""
        return self.due_at or getattr(self, "next_session_at", None)

    def is_overdue(self, now=None) -> bool:
        """Still open after its (effective) due time."""
        due = self.effective_due_at()
        return self.is_open and due is not None and due < (now or timezone.now())

    def checklist_labels(self) -> list[str]:
        """The ticked criteria of good homework, as people read them, in the checklist's own order."""
        return [label for value, label in Criterion.choices if value in self.checklist]


class Review(models.Model):
    """What coach and coachee made of an assignment at a session."""

    class Outcome(models.TextChoices):
        DONE = "done", _("Done")
        PARTLY = "partly", _("Partly done")
        NOT_DONE = "not_done", _("Not done")

    class NextStep(models.TextChoices):
        CLOSE = "close", _("Close it")
        CARRY_OVER = "carry_over", _("Carry it over to the next session")
        FOLLOW_UP = "follow_up", _("Close it and assign a follow-up")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reviews")
    session = models.ForeignKey(CoachingSession, on_delete=models.CASCADE, related_name="reviews")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    coach_notes = models.TextField(_("notes"), max_length=10000, blank=True)
    insights = models.TextField(_("insights"), max_length=10000, blank=True)
    next_step = models.CharField(_("next step"), max_length=10, choices=NextStep.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "session"], name="one_review_per_assignment_and_session"),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.get_outcome_display()}"
