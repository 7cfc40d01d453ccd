"""Homework: the template library, assignments, the coachee's work on them, and their reviews."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
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


class CreativeFormat(models.TextChoices):
    """What a creative homework asks the coachee to make."""

    TEXT_AND_FILES = "text_files", _("Free text and files (a letter, a photo of a collage)")
    MOOD_JOURNAL = "mood_journal", _("Mood journal (a mood from 1 to 5 and a note, each day)")


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
    creative_format = models.CharField(
        _("creative format"), max_length=12, choices=CreativeFormat.choices, default=CreativeFormat.TEXT_AND_FILES
    )

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

    def in_languages(self, languages):
        """The built-in library in `languages` only, beside every template of the coach's own
        (written in whatever language the coach wrote them)."""
        return self.filter(Q(coach__isnull=False) | Q(language__in=languages))

    def search(self, text: str):
        """Templates mentioning every word of `text` in their title, instructions or purpose."""
        queryset = self
        for word in text.split()[:SEARCH_WORDS]:
            queryset = queryset.filter(_mentions(word))
        return queryset

    def related_to(self, goal_title: str):
        """Templates mentioning any telling word of a goal (four letters or more, by its first six
        letters, so "delegate" finds "delegation"): a rough but language-independent match, offered
        as a filter, never as a judgement."""
        words = [word.strip(".,;:!?()\"'")[:6] for word in goal_title.split()]
        words = [word for word in words if len(word) >= 4][:SEARCH_WORDS]
        if not words:
            return self
        matches = Q()
        for word in words:
            matches |= _mentions(word)
        return self.filter(matches)


# Words of a search that are looked for; the rest are ignored (a pasted paragraph stays cheap).
SEARCH_WORDS = 8


def _mentions(word: str) -> Q:
    return Q(title__icontains=word) | Q(instructions__icontains=word) | Q(purpose__icontains=word)


class HomeworkTemplate(HomeworkFields):
    """A ready piece of homework. Built-in templates have no coach and are shared by everyone."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="homework_templates"
    )
    # The language the template is written in. The built-in library has one row per language; a
    # coach's own template stays in the language the coach wrote it in (and marks).
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
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

    def with_review_loop(self, now=None):
        """Annotate where each assignment stands in the review loop (DESIGN.md, "The review loop
        invariant"), derived from sessions and reviews at `now`:

        - `due_moment`: its own due date, else the start of the coachee's first session after it
          was assigned (see `_first_session_after_assigning`);
        - `review_session_id` / `review_session_at`: the session it is to be reviewed at: the
          first session still to be held that starts at or after the due moment and after any
          session where it was reviewed already (and carried over). None: it needs a session;
        - `carried_over`: still open, and a session it was due at has gone by (held, or over) or
          the coach carried it over in a review.

        `deadline` follows from these in Python. Each annotation that refers to another repeats
        its SQL, so they stay few: compiling the query costs more than running it.

        Only open assignments have a review session; closed ones keep where they were reviewed."""
        now = now or timezone.now()
        review_session = _review_sessions(now)
        gone_by_while_due = _sessions_counting_for_it().gone_by(now).filter(starts_at__gte=OuterRef("due_moment"))
        carried = Exists(Review.objects.filter(assignment=OuterRef("pk"))) | Exists(gone_by_while_due)
        is_open = Q(status__in=Assignment.OPEN_STATUSES)
        return self.with_review_session_id(now).annotate(
            review_session_at=Case(When(is_open, then=Subquery(review_session.values("starts_at")[:1]))),
            carried_over=ExpressionWrapper(is_open & carried, output_field=BooleanField()),
        )

    def with_review_session_id(self, now=None):
        """Only `due_moment` and `review_session_id` of `with_review_loop` (which adds the rest to
        these): about half its cost to build, for counts that need nothing else."""
        now = now or timezone.now()
        is_open = Q(status__in=Assignment.OPEN_STATUSES)
        review_session = _review_sessions(now).values("pk")[:1]
        return self.with_due_moment().annotate(review_session_id=Case(When(is_open, then=Subquery(review_session))))

    def with_due_moment(self):
        """Annotate `due_moment`: its own due date, else the start of the coachee's first session
        after it was assigned (see `_first_session_after_assigning`)."""
        first_session = _first_session_after_assigning().values("starts_at")[:1]
        return self.annotate(due_moment=Coalesce("due_at", Subquery(first_session)))

    def needing_a_session(self, now=None):
        """Open homework with no session ahead to review it at: the coach should schedule one.

        The review loop is costly to run over all open homework, so a cheap test with one index
        probe each goes first (`_may_need_a_session`); the loop then decides for what is left."""
        now = now or timezone.now()
        # `review_session_id` is null for open homework exactly when no review session exists; asking
        # only that keeps the query small (a list of these shows its own due date, nothing more).
        return self.open().filter(_may_need_a_session(now)).with_due_moment().filter(~Exists(_review_sessions(now)))

    def waiting_for_feedback(self):
        """Work handed in (not yet reviewed at a session) that has no written feedback yet."""
        return self.filter(status=Assignment.Status.SUBMITTED).filter(
            Q(submission__isnull=True) | Q(submission__feedback="")
        )

    def on_agenda(self, session: CoachingSession, now=None, *, and_due_later: bool = False):
        """The assignments on `session`'s agenda, with `reviewed_here` (a review was recorded at
        this session) beside the `with_review_loop` annotations. `and_due_later` adds, for a session
        still to be held, the open homework due at a later session (the agenda page says how much):
        one query instead of building the review loop twice.

        - A session still to be held lists the open homework whose review session it is, and what
          was reviewed at it already.
        - A past session (held, or over) lists what was reviewed there and what was due there but
          went by unreviewed (its `review_session_*` then says where it went).
        - A cancelled session lists only reviews recorded before it was called off."""
        now = now or timezone.now()
        reviewed_here = Exists(Review.objects.filter(assignment=OuterRef("pk"), session=session))
        assignments = (
            self.filter(coachee_id=session.coachee_id).with_review_loop(now).annotate(reviewed_here=reviewed_here)
        )
        if session.is_cancelled:
            return assignments.filter(reviewed_here=True)
        if session.has_gone_by(now):
            held_at = session.held_at or session.starts_at
            return assignments.filter(Q(reviewed_here=True) | was_due_at(session.starts_at, held_at))
        later = Q(review_session_at__gt=session.starts_at) if and_due_later else Q(pk__in=[])
        return assignments.filter(Q(reviewed_here=True) | Q(review_session_id=session.pk) | later)

    def with_last_session(self, now=None):
        """Annotate `last_session_at`: the start of the coachee's latest session that has begun
        (or was marked held) and was not cancelled."""
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


# --- The review loop -----------------------------------------------------------------------------
# One definition, used by every page, count, mail, feed and chart. See `with_review_loop`.


def _sessions_counting_for_it():
    """The outer assignment's coachee's sessions that can be one it is due at: not cancelled, and not
    already marked held when it was assigned (a session held early lies behind new homework)."""
    return CoachingSession.objects.not_cancelled().filter(
        Q(held_at__isnull=True) | Q(held_at__gt=OuterRef("assigned_at")),
        coachee_id=OuterRef("coachee_id"),
    )


def _review_sessions(now):
    """The outer assignment's coachee's sessions it can be reviewed at, soonest first (the first is its
    review session, see `with_review_loop`): still to be held, starting at or after its due moment
    (needs `due_moment`), and after any session where it was reviewed already."""
    return (
        CoachingSession.objects.to_be_held(now)
        .filter(coachee_id=OuterRef("coachee_id"), starts_at__gte=OuterRef("due_moment"))
        # A session where it was reviewed (and so carried over) lies behind it, as do earlier ones.
        .exclude(
            Exists(
                Review.objects.filter(
                    assignment=OuterRef(OuterRef("pk")), session__starts_at__gte=OuterRef("starts_at")
                )
            )
        )
        .order_by("starts_at", "pk")
    )


def _start_of_session_given_in():
    """The start of the session the outer-outer assignment was given in, by its primary key. Not a
    join through `assigned_in_session`: PostgreSQL may hash that join over every session there is,
    once per row of the query around it."""
    return Subquery(CoachingSession.objects.filter(pk=OuterRef(OuterRef("assigned_in_session_id"))).values("starts_at"))


def _first_session_after_assigning():
    """The session homework without a due date is due at: the coachee's first session that starts
    after it was assigned, and after the session it was assigned in (which opens before its start)."""
    return (
        _sessions_counting_for_it()
        .filter(
            Q(starts_at__gt=OuterRef("assigned_at")),
            Q(starts_at__gt=Coalesce(_start_of_session_given_in(), OuterRef("assigned_at"))),
        )
        .order_by("starts_at", "pk")
    )


def _may_need_a_session(now) -> Q:
    """Open homework that may have no review session (a superset of `needing_a_session`, without
    computing due moments): no session still to be held starts late enough to be one, or it has a
    review (a review can move it past a session). A session still to be held that starts after
    the homework was given (and after the session it was given in) is one it counts as due at, so
    the due moment of undated homework lies at or before it."""
    ahead = CoachingSession.objects.to_be_held(now).filter(coachee_id=OuterRef("coachee_id"), held_at__isnull=True)
    given = Greatest(OuterRef("assigned_at"), Coalesce(_start_of_session_given_in(), OuterRef("assigned_at")))
    return (
        (Q(due_at__isnull=True) & ~Exists(ahead.filter(starts_at__gt=given)))
        | (Q(due_at__isnull=False) & ~Exists(ahead.filter(starts_at__gte=OuterRef("due_at"))))
        | Exists(Review.objects.filter(assignment=OuterRef("pk")))
    )


def was_due_at(starts_at, held_at) -> Q:
    """Homework that was due at a past session starting at `starts_at` and marked held at `held_at`
    (its start when it was not marked; values or expressions): given before both, due by the start,
    not cancelled and not closed at an earlier session. Needs `with_review_loop`'s `due_moment`."""
    return (
        Q(assigned_at__lt=starts_at, due_moment__lte=starts_at)
        & Q(assigned_at__lt=held_at)
        & ~Q(status=Assignment.Status.CANCELLED)
        & (Q(reviewed_session__isnull=True) | Q(reviewed_session__starts_at__gte=starts_at))
    )


def was_due_at_outer_session() -> Q:
    """`was_due_at` for the session of the outer query (counting per session)."""
    return was_due_at(OuterRef("starts_at"), Coalesce(OuterRef("held_at"), OuterRef("starts_at")))


def due_at_outer_session() -> Q:
    """Homework that was due, or was reviewed, at the (past) session of the outer query. Needs
    `due_moment`."""
    reviewed_there = Exists(Review.objects.filter(assignment=OuterRef("pk"), session=OuterRef(OuterRef("pk"))))
    return Q(coachee_id=OuterRef("coachee_id")) & (was_due_at_outer_session() | Q(reviewed_there))


def with_agenda_counts(sessions, now=None):
    """Annotate each session of `sessions` with `due_count` and `ready_count`, in the same query
    (sessions know nothing of homework, so the annotation lives here).

    For a session still to be held: the open homework to review there, and of that what is handed
    in. For a past one: the homework that went by there without a review, and of that what was
    handed in. A cancelled session has none."""
    now = now or timezone.now()
    of_its_coachee = Assignment.objects.open().filter(coachee_id=OuterRef("coachee_id")).with_review_loop(now)
    ahead = of_its_coachee.filter(review_session_id=OuterRef("pk"))
    went_by = of_its_coachee.filter(was_due_at_outer_session()).exclude(reviews__session=OuterRef("pk"))
    gone_by = CoachingSession.objects.gone_by(now).filter(pk=OuterRef("pk"))
    submitted = Q(status=Assignment.Status.SUBMITTED)

    def count(assignments):
        counted = assignments.order_by().values("coachee_id").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    def either(upcoming, past):
        return Case(
            When(status=CoachingSession.Status.CANCELLED, then=0),
            When(Exists(gone_by), then=past),
            default=upcoming,
            output_field=IntegerField(),
        )

    return sessions.annotate(
        due_count=either(count(ahead), count(went_by)),
        ready_count=either(count(ahead.filter(submitted)), count(went_by.filter(submitted))),
    )


def agenda_counts(sessions: list, now=None) -> list:
    """`with_agenda_counts` for sessions already fetched (a page of them): sets `due_count` and
    `ready_count` on each and returns the list. One query, grouped by where each open homework of
    their coachees stands, so the review loop is built once instead of once per count.

    A session still to be held counts the open homework whose review session it is; a past one
    (held, or over) what went by there without a review (`was_due_at`, as in `with_agenda_counts`);
    a cancelled one none."""
    now = now or timezone.now()
    counted = [session for session in sessions if session.status != CoachingSession.Status.CANCELLED]
    gone_by = {session.pk for session in counted if session.has_gone_by(now)}
    went_by_there = {
        f"went_by_{session.pk}": ExpressionWrapper(
            Q(coachee_id=session.coachee_id)
            & was_due_at(session.starts_at, session.held_at or session.starts_at)
            & ~Exists(Review.objects.filter(assignment=OuterRef("pk"), session_id=session.pk)),
            output_field=BooleanField(),
        )
        for session in counted
        if session.pk in gone_by
    }
    groups = []
    if counted:
        groups = (
            Assignment.objects.open()
            .filter(coachee_id__in={session.coachee_id for session in counted})
            .with_review_session_id(now)
            .annotate(**went_by_there)
            .values("review_session_id", "status", *went_by_there)
            .annotate(n=Count("pk"))
            .order_by()
        )
    for session in sessions:
        session.due_count = session.ready_count = 0
    by_pk = {session.pk: session for session in counted}
    for group in groups:
        there = [pk for pk in gone_by if group[f"went_by_{pk}"]]
        if group["review_session_id"] in by_pk and group["review_session_id"] not in gone_by:
            there.append(group["review_session_id"])
        for pk in there:
            by_pk[pk].due_count += group["n"]
            if group["status"] == Assignment.Status.SUBMITTED:
                by_pk[pk].ready_count += group["n"]
    return sessions


def to_do_since():
    """When homework still to do (not started, or started) was given; null for any other. Gone-quiet
    filters on it through an index on this very expression, whose statistics tell the planner how
    much to-do homework is old (the table's own statistics cannot: old homework is mostly closed)."""
    return Case(When(status__in=["assigned", "started"], then=F("assigned_at")))


class Assignment(HomeworkFields):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Not started")
        STARTED = "started", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = [Status.ASSIGNED, Status.STARTED, Status.SUBMITTED]

    class Agreement(models.TextChoices):
        """Where agreeing on the homework stands. Empty: assigned outright, nothing to agree."""

        NONE = "", _("Assigned")
        PROPOSED = "proposed", _("Proposed")
        SUGGESTED = "suggested", _("Change suggested")
        TO_DISCUSS = "to_discuss", _("To discuss in the session")
        AGREED = "agreed", _("Agreed")

    # Not agreed yet: the agenda of its review session shows it as "to agree".
    TO_AGREE = [Agreement.PROPOSED, Agreement.SUGGESTED, Agreement.TO_DISCUSS]

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
    agreement = models.CharField(
        _("agreement"), max_length=10, choices=Agreement.choices, default=Agreement.NONE, blank=True
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["assigned_at", "pk"]
        indexes = [
            # Agendas and dashboards look up a coachee's assignments by status and assignment time.
            models.Index(fields=["coachee", "status", "assigned_at"], name="assignment_coachee_status_idx"),
            # The dashboard's work to read, newest first: a walk that stops after the rows it shows.
            models.Index(
                fields=["submitted_at", "id"], condition=Q(status="submitted"), name="assignment_submitted_idx"
            ),
            # Gone quiet: homework to do given before a moment (see `to_do_since`).
            models.Index(to_do_since(), name="assignment_to_do_since_idx"),
            # The coach's dashboard and digest look for suggestions waiting for them; few rows at a time.
            models.Index(fields=["coachee"], condition=Q(agreement="suggested"), name="assignment_suggestion_idx"),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def to_agree(self) -> bool:
        """Open and not agreed yet: proposed, or a change suggested or kept for the session."""
        return self.is_open and self.agreement in self.TO_AGREE

    # --- The coachee's work -----------------------------------------------------------------

    @property
    def is_mood_journal(self) -> bool:
        return self.kind == Kind.CREATIVE and self.creative_format == CreativeFormat.MOOD_JOURNAL

    @property
    def entry_type(self) -> str | None:
        """The kind of log the coachee keeps for this homework, or None when it has no log."""
        if self.kind == Kind.BEHAVIOURAL:
            return LogEntry.Type.DAY if self.cadence == Cadence.DAILY else LogEntry.Type.OCCURRENCE
        if self.kind == Kind.OBSERVATION:
            return LogEntry.Type.OBSERVATION
        if self.is_mood_journal:
            return LogEntry.Type.MOOD
        return None

    @property
    def takes_uploads(self) -> bool:
        return self.kind == Kind.CREATIVE and not self.is_mood_journal

    @property
    def work_is_editable(self) -> bool:
        """Answers, text and files can change until the coachee submits."""
        return self.status in (self.Status.ASSIGNED, self.Status.STARTED)

    @property
    def log_is_open(self) -> bool:
        """Check-ins and entries can be added until the review, also after submitting."""
        return self.is_open

    @property
    def work(self) -> "Submission | None":
        """The coachee's answers and text, if they have saved any."""
        return getattr(self, "submission", None)

    def answered_questions(self) -> list[tuple[str, str]]:
        """Each reflection question with the coachee's answer (empty when not answered)."""
        work = self.work
        return work.answer_list(self.questions) if work else [(question, "") for question in self.questions]

    def coachee_today(self) -> date:
        """Today in the coachee's own time zone (their login's, else the one their coach set)."""
        coachee = self.coachee
        zone = coachee.user.tzinfo if coachee.user_id else ZoneInfo(coachee.timezone)
        return timezone.localdate(timezone=zone)

    def practice(self, today: date | None = None) -> "Practice | None":
        """Count and streak of the coachee's log so far (uses prefetched `log_entries`)."""
        entry_type = self.entry_type
        if entry_type is None or entry_type == LogEntry.Type.OBSERVATION:
            return None
        return practice_of(list(self.log_entries.all()), entry_type, self.cadence, today or self.coachee_today())

    @property
    def deadline(self):
        """When the coachee should have it done (needs `with_review_loop()`): its own due date, or
        the session it will be reviewed at when it has none or was carried over past it. None when
        it has no date and no session lies ahead."""
        if self.due_at and not getattr(self, "carried_over", False):
            return self.due_at
        return getattr(self, "review_session_at", None) or self.due_at

    def effective_due_at(self):
        return self.deadline

    @property
    def needs_a_session(self) -> bool:
        """Open, and no session lies ahead to review it at (needs `with_review_loop()`)."""
        return self.is_open and getattr(self, "review_session_id", None) is None

    def is_overdue(self, now=None) -> bool:
        """Still open after its (effective) due time."""
        due = self.effective_due_at()
        return self.is_open and due is not None and due < (now or timezone.now())

    def checklist_labels(self) -> list[str]:
        """The ticked criteria of good homework, as people read them, in the checklist's own order."""
        return [label for value, label in Criterion.choices if value in self.checklist]


class AgreementStep(models.Model):
    """One step of agreeing on homework: who did what, when, with their note. A suggestion keeps the
    fields it would change (`changes`: name -> {"old", "new"}, as text), so the history can show the
    difference long after it was settled."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", _("proposed it")
        AGREED = "agreed", _("agreed")
        SUGGESTED = "suggested", _("suggested a change")
        ACCEPTED = "accepted", _("accepted the change")
        ADJUSTED = "adjusted", _("adjusted it and agreed")
        DISCUSSED = "discussed", _("kept it for the session")
        AGREED_IN_SESSION = "in_session", _("agreed in the session")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="agreement_steps")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("step"), max_length=10, choices=Action.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    session = models.ForeignKey(CoachingSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agreement step")
        verbose_name_plural = _("agreement steps")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.assignment} · {self.get_action_display()}"

    def change_rows(self) -> list[dict]:
        """What the step changed, as people read it: the field's name, before and after. A due date
        reads as the coachee's day (it is the end of that day in their zone). Needs `assignment.coachee`."""
        zone = self.assignment.coachee.tzinfo
        rows = []
        for name, change in (self.changes or {}).items():
            if name not in CHANGEABLE:
                continue
            rows.append(
                {
                    "label": Assignment._meta.get_field(name).verbose_name,
                    "old": _readable(name, change.get("old", ""), zone),
                    "new": _readable(name, change.get("new", ""), zone),
                }
            )
        return rows


# The fields an agreement step may change (see services.SUGGESTABLE), in the order they are shown.
CHANGEABLE = ["instructions", "approach", "due_at"]


def _readable(name: str, text: str, zone) -> str:
    if name != "due_at":
        return text
    if not text:
        return gettext("at the next session")
    moment = datetime.fromisoformat(text)
    return date_format(timezone.localtime(moment, zone), "WEEKDAY_DATE_FORMAT")


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


# --- The coachee's work ---------------------------------------------------------------------


class Submission(models.Model):
    """The coachee's own words on an assignment, their view of how well it fitted, and the coach's
    written feedback. A draft until the assignment is submitted (`Assignment.submitted_at`)."""

    FIT_RATINGS = range(1, 6)

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="submission")
    # Reflection: one answer per question, in the order of `Assignment.questions`.
    answers = models.JSONField(_("answers"), default=list, blank=True)
    # Creative and preparation work; a looking-back summary for practice and observation logs.
    text = models.TextField(_("text"), max_length=20000, blank=True)
    fit_rating = models.PositiveSmallIntegerField(_("how well it fitted"), null=True, blank=True)
    remark = models.TextField(_("last remark"), max_length=2000, blank=True)
    draft_saved_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    feedback = models.TextField(_("coach feedback"), max_length=10000, blank=True)
    feedback_at = models.DateTimeField(_("feedback given"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.CheckConstraint(
                condition=Q(fit_rating__isnull=True) | Q(fit_rating__gte=1, fit_rating__lte=5),
                name="submission_fit_rating_between_1_and_5",
            ),
        ]

    def __str__(self):
        return str(self.assignment)

    def answer_list(self, questions: list[str]) -> list[tuple[str, str]]:
        """(question, answer) pairs for the assignment's questions; a missing answer is empty."""
        answers = self.answers if isinstance(self.answers, list) else []
        return [(question, answers[i] if i < len(answers) else "") for i, question in enumerate(questions)]

    @property
    def has_words(self) -> bool:
        return bool(self.text.strip() or any(str(a).strip() for a in self.answers or []))


class LogEntry(models.Model):
    """One dated line of the coachee's log: a check-in of a practice, an observation, or a mood."""

    class Type(models.TextChoices):
        DAY = "day", _("Daily check-in")
        OCCURRENCE = "occurrence", _("Check-in")
        OBSERVATION = "observation", _("Observation")
        MOOD = "mood", _("Mood")

    # At most one entry of these types per day: logging the same day again changes that entry.
    ONE_PER_DAY = [Type.DAY, Type.MOOD]
    CHECK_INS = [Type.DAY, Type.OCCURRENCE]

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="log_entries")
    type = models.CharField(_("type"), max_length=11, choices=Type.choices)
    # The coachee's own calendar day, in their time zone.
    day = models.DateField(_("day"))
    did_it = models.BooleanField(_("did it"), null=True, blank=True)
    mood = models.PositiveSmallIntegerField(_("mood"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["day", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mood__isnull=True) | Q(mood__gte=1, mood__lte=5), name="log_entry_mood_between_1_and_5"
            ),
            models.CheckConstraint(
                condition=~Q(type__in=["day", "occurrence"]) | Q(did_it__isnull=False),
                name="log_entry_check_in_says_if_done",
            ),
            models.CheckConstraint(
                condition=~Q(type="mood") | Q(mood__isnull=False), name="log_entry_mood_entry_has_a_mood"
            ),
            models.UniqueConstraint(
                fields=["assignment", "type", "day"],
                condition=Q(type__in=["day", "mood"]),
                name="log_entry_one_daily_entry_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.day:%Y-%m-%d} · {self.get_type_display()}"

    @property
    def is_check_in(self) -> bool:
        return self.type in self.CHECK_INS


@dataclass(frozen=True)
class Practice:
    """How a practice or journal is going: entries so far, how many of them done, the current streak."""

    entries: int
    done: int
    streak: int
    # "day", "week" or "time": what one step of the streak is.
    streak_unit: str
    average_mood: float | None = None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _run_back(keys: set, start, step) -> int:
    """Consecutive keys going back from `start`, or from the step before it when `start` is not
    there yet (today's check-in may still come)."""
    if start not in keys:
        start = step(start)
    length = 0
    while start in keys:
        length += 1
        start = step(start)
    return length


def practice_of(entries: list[LogEntry], entry_type: str, cadence: str, today: date) -> Practice:
    """Count and current streak of a log.

    - Daily check-ins and moods: days in a row, up to today (or yesterday, until today is logged).
    - Weekly practice: weeks in a row with at least one done check-in, up to this week or last.
    - Practice once or per occurrence: done check-ins in a row, the most recent ones.
    """
    entries = [e for e in entries if e.type == entry_type]
    if entry_type == LogEntry.Type.MOOD:
        moods = [e.mood for e in entries]
        days = {e.day for e in entries}
        return Practice(
            entries=len(entries),
            done=len(entries),
            streak=_run_back(days, today, lambda d: d - timedelta(days=1)),
            streak_unit="day",
            average_mood=round(sum(moods) / len(moods), 1) if moods else None,
        )
    done = [e for e in entries if e.did_it]
    if entry_type == LogEntry.Type.DAY:
        streak = _run_back({e.day for e in done}, today, lambda d: d - timedelta(days=1))
        unit = "day"
    elif cadence == Cadence.WEEKLY:
        streak = _run_back({_monday(e.day) for e in done}, _monday(today), lambda d: d - timedelta(days=7))
        unit = "week"
    else:
        streak = 0
        for entry in sorted(entries, key=lambda e: (e.day, e.created_at, e.pk or 0), reverse=True):
            if not entry.did_it:
                break
            streak += 1
        unit = "time"
    return Practice(entries=len(entries), done=len(done), streak=streak, streak_unit=unit)


class UploadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The coachee's own files; for their coach, the files of work that has been submitted."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coach:
            return self.filter(assignment__coachee__coach=user, assignment__submitted_at__isnull=False)
        return self.filter(assignment__coachee__user=user)


class Upload(models.Model):
    """A file the coachee added to creative homework. Stored under a random name outside the static
    tree and served only through a view that checks access."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="uploads")
    file = models.FileField(upload_to="homework/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=150)
    # Detected from the file's first bytes, never taken from its name or the browser.
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = UploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
