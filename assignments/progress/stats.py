"""Every number behind the progress pages and the dashboard's figures, computed in the database.

Each function runs a fixed number of queries, however much data there is: counts are aggregated in
SQL (subqueries, GROUP BY, a window function), never by a query per row.

Words used on the pages and here:
- *due at a session*: the review loop's own definition (`due_at_outer_session`): homework due by
  the session (its own date, or the first session after it was given), given before it, not
  cancelled and not closed at an earlier session; or reviewed there.
- *completed (handed in)*: the coachee submitted the work; at a session, submitted by its start.
- *practised on a day*: at least one check-in that says "did it" on that day of the coachee's calendar.
- *gone quiet*: open homework still to do, the oldest of it given at least QUIET_DAYS ago, and no
  work on any homework (a saved draft, a check-in or entry, a file, a submission) for QUIET_DAYS.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    JSONField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, JSONObject, RowNumber
from django.utils import timezone

from assignments.models import (
    Assignment,
    Kind,
    LogEntry,
    Review,
    Submission,
    Upload,
    due_at_outer_session,
    to_do_since,
)
from sessions.models import Coachee, CoachingSession

from .models import DeletionRequest

# The dashboard's engagement figure: homework completed over the coachee's last N sessions.
ENGAGEMENT_SESSIONS = 5
# Sessions shown in the completion chart.
COMPLETION_SESSIONS = 10
# Weeks shown in the practice heat map and the mood chart.
PRACTICE_WEEKS = 12
# "You practised 12 of the last 14 days."
RECENT_DAYS = 14
# How far back a practice streak is followed.
STREAK_HORIZON_DAYS = 366
QUIET_DAYS = 7


def coachee_today(coachee: Coachee) -> date:
    """Today in the coachee's calendar: their login's time zone, else the one their coach set.
    Check-ins are stored by the coachee's own day, so windows of days are counted from here."""
    zone = coachee.user.tzinfo if coachee.user_id else ZoneInfo(coachee.timezone)
    return timezone.localdate(timezone=zone)


# --- Homework due and completed at each session ----------------------------------------------------


def with_completion(sessions):
    """Annotate each session with `completion`: {"due": homework due for review there, "completed": of
    that, handed in by the session's start}, or None when nothing was due (see `_figures`). Both
    counts come from one subquery: building the review loop's SQL costs more than running it, so it
    is built once, not once per count."""
    handed_in_by_then = Q(submitted_at__isnull=False, submitted_at__lte=OuterRef("starts_at"))
    counted = (
        Assignment.objects.with_due_moment()
        .filter(due_at_outer_session())
        .order_by()
        .values("coachee_id")
        .annotate(figures=JSONObject(due=Count("pk"), completed=Count("pk", filter=handed_in_by_then)))
        .values("figures")
    )
    return sessions.annotate(completion=Subquery(counted, output_field=JSONField()))


def _figures(completion: dict | None) -> tuple[int, int]:
    """Due and completed from a session's `completion` (None: no homework was due there)."""
    return (completion["due"], completion["completed"]) if completion else (0, 0)


@dataclass(frozen=True)
class SessionCompletion:
    session_id: int
    starts_at: datetime
    due: int
    completed: int


def completion_over_sessions(coachee: Coachee, now: datetime, limit: int = COMPLETION_SESSIONS):
    """For the coachee's last `limit` sessions that have begun (cancelled ones left out), oldest
    first: homework due there and how much of it was handed in by then. One query."""
    sessions = with_completion(CoachingSession.objects.filter(coachee=coachee).not_cancelled().past(now)).order_by(
        "-starts_at", "-pk"
    )[:limit]
    rows = [SessionCompletion(s.pk, s.starts_at, *_figures(s.completion)) for s in sessions]
    return rows[::-1]


@dataclass(frozen=True)
class Engagement:
    """Homework completed over the last few sessions."""

    sessions: int = 0
    due: int = 0
    completed: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.completed / self.due) if self.due else None


def engagement_of(completion: list[SessionCompletion], sessions: int = ENGAGEMENT_SESSIONS) -> Engagement:
    recent = completion[-sessions:]
    return Engagement(len(recent), sum(s.due for s in recent), sum(s.completed for s in recent))


def engagement_by_coachee(coachees, now: datetime, sessions: int = ENGAGEMENT_SESSIONS) -> dict[int, Engagement]:
    """Engagement of every coachee in `coachees` (a queryset), in one query: each coachee's last
    `sessions` sessions are picked with a window function first, and only those are counted (the
    counts are subqueries per session, so counting before the window would count every session
    of every coachee), then summed here."""
    past = CoachingSession.objects.filter(coachee__in=coachees.values("pk")).not_cancelled().past(now)
    last = past.annotate(
        rank=Window(RowNumber(), partition_by=F("coachee_id"), order_by=[F("starts_at").desc(), F("pk").desc()])
    ).filter(rank__lte=sessions)
    ranked = (
        with_completion(CoachingSession.objects.filter(pk__in=last.values("pk")))
        .order_by()
        .values_list("coachee_id", "completion")
    )
    totals: dict[int, list[int]] = {}
    for coachee_id, completion in ranked:
        due, completed = _figures(completion)
        counted = totals.setdefault(coachee_id, [0, 0, 0])
        counted[0] += 1
        counted[1] += due
        counted[2] += completed
    return {coachee_id: Engagement(*counted) for coachee_id, counted in totals.items()}


# --- Daily practice -----------------------------------------------------------------------------


def check_ins_by_day(coachee: Coachee, first: date, last: date) -> dict[date, int]:
    """Done check-ins per day of the coachee's calendar, from `first` to `last`. One query."""
    rows = (
        LogEntry.objects.filter(
            assignment__coachee=coachee, type__in=LogEntry.CHECK_INS, did_it=True, day__gte=first, day__lte=last
        )
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    return dict(rows)


@dataclass(frozen=True)
class PracticeDay:
    day: date
    check_ins: int


@dataclass(frozen=True)
class PracticeSummary:
    today: date
    # The heat map's days, oldest first: whole weeks from a Monday up to today.
    days: list[PracticeDay]
    recent_days: int  # the window of "practised N of the last `recent_days` days"
    practised_recent: int
    practised_in_window: int
    check_ins_in_window: int
    current_streak: int
    longest_streak_in_window: int


def _streak_back(days: set[date], start: date) -> int:
    """Days in a row with practice up to `start`, or up to the day before when `start` has none yet."""
    if start not in days:
        start -= timedelta(days=1)
    length = 0
    while start in days:
        length += 1
        start -= timedelta(days=1)
    return length


def _longest_run(days: list[PracticeDay]) -> int:
    longest = run = 0
    for day in days:
        run = run + 1 if day.check_ins else 0
        longest = max(longest, run)
    return longest


def practice_summary(coachee: Coachee, today: date | None = None, weeks: int = PRACTICE_WEEKS) -> PracticeSummary:
    """The heat map of daily practice and its figures. One query."""
    today = today or coachee_today(coachee)
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    counts = check_ins_by_day(coachee, min(first, today - timedelta(days=STREAK_HORIZON_DAYS)), today)
    days = [PracticeDay(first + timedelta(days=n), 0) for n in range((today - first).days + 1)]
    days = [PracticeDay(d.day, counts.get(d.day, 0)) for d in days]
    recent_first = today - timedelta(days=RECENT_DAYS - 1)
    return PracticeSummary(
        today=today,
        days=days,
        recent_days=RECENT_DAYS,
        practised_recent=sum(1 for day in counts if day >= recent_first),
        practised_in_window=sum(1 for d in days if d.check_ins),
        check_ins_in_window=sum(d.check_ins for d in days),
        current_streak=_streak_back(set(counts), today),
        longest_streak_in_window=_longest_run(days),
    )


# --- Mood ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoodPoint:
    day: date
    mood: float


@dataclass(frozen=True)
class MoodSummary:
    first: date
    last: date
    points: list[MoodPoint]

    @property
    def average(self) -> float | None:
        return round(sum(p.mood for p in self.points) / len(self.points), 1) if self.points else None

    @property
    def latest(self) -> MoodPoint | None:
        return self.points[-1] if self.points else None


def mood_over_time(coachee: Coachee, today: date | None = None, weeks: int = PRACTICE_WEEKS) -> MoodSummary:
    """The mood journal's entries per day over the window, averaged when two journals ran on the
    same day. One query."""
    today = today or coachee_today(coachee)
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    rows = (
        LogEntry.objects.filter(
            assignment__coachee=coachee, type=LogEntry.Type.MOOD, mood__isnull=False, day__gte=first, day__lte=today
        )
        .order_by("day")
        .values("day")
        .annotate(mood=Avg("mood"))
        .values_list("day", "mood")
    )
    return MoodSummary(first, today, [MoodPoint(day, round(float(mood), 1)) for day, mood in rows])


# --- Kinds of homework --------------------------------------------------------------------------


@dataclass(frozen=True)
class KindStats:
    kind: str
    label: str
    given: int  # not cancelled
    in_progress: int  # still being worked on: not started or started
    handed_in: int
    average_fit: float | None  # the coachee's own rating, 1 to 5
    ratings: int

    @property
    def finished(self) -> int:
        """Homework that is handed in or was closed without it; the base of the completion rate."""
        return self.given - self.in_progress

    @property
    def percent(self) -> int | None:
        return round(100 * self.handed_in / self.finished) if self.finished else None


def kinds_summary(coachee: Coachee) -> list[KindStats]:
    """Per kind of homework: how much was given, handed in, and how well the coachee said it fitted.
    Best fitting first (unrated last), then by completion. One query."""
    rows = (
        Assignment.objects.filter(coachee=coachee)
        .exclude(status=Assignment.Status.CANCELLED)
        .order_by()
        .values("kind")
        .annotate(
            given=Count("pk"),
            in_progress=Count("pk", filter=Q(status__in=[Assignment.Status.ASSIGNED, Assignment.Status.STARTED])),
            handed_in=Count("pk", filter=Q(submitted_at__isnull=False)),
            # Drafts are the coachee's own until handed in: only ratings given on submitting count.
            average_fit=Avg("submission__fit_rating", filter=Q(submitted_at__isnull=False)),
            ratings=Count("submission__fit_rating", filter=Q(submitted_at__isnull=False)),
        )
    )
    labels = dict(Kind.choices)
    order = list(labels)
    stats = [
        KindStats(
            kind=row["kind"],
            label=str(labels.get(row["kind"], row["kind"])),
            given=row["given"],
            in_progress=row["in_progress"],
            handed_in=row["handed_in"],
            average_fit=round(float(row["average_fit"]), 1) if row["average_fit"] is not None else None,
            ratings=row["ratings"],
        )
        for row in rows
    ]
    return sorted(
        stats,
        key=lambda s: (
            s.average_fit is None,
            -(s.average_fit or 0),
            -(s.percent if s.percent is not None else -1),
            order.index(s.kind) if s.kind in order else len(order),
        ),
    )


# --- What fits this coachee (the assign flow) -----------------------------------------------------

# Homework of each kind shown on the assign flow, the latest first; "lately" means these.
RECENT_OF_A_KIND = 3
# A kind worked poorly (or well) lately when this many of its recent homework did.
TELLING = 2


@dataclass
class KindFit:
    """What is known of one kind of homework for one coachee: the figures of `kinds_summary` and the
    latest homework of that kind, each with how it went (`outcome`, `fit`, the coachee's `remark`)."""

    stats: KindStats
    recent: list = field(default_factory=list)

    @property
    def poor(self) -> int:
        return sum(1 for a in self.recent if a.worked_poorly)

    @property
    def good(self) -> int:
        return sum(1 for a in self.recent if a.worked_well)


def _went(assignment) -> None:
    """Mark how one piece of homework went: poorly when reviewed as not done or rated 2 or less;
    well when reviewed as done or rated 4 or more (and not poorly)."""
    fit = assignment.fit
    outcomes = dict(Review.Outcome.choices)
    assignment.outcome_label = outcomes[assignment.outcome] if assignment.outcome else assignment.get_status_display()
    assignment.worked_poorly = assignment.outcome == "not_done" or (fit is not None and fit <= 2)
    assignment.worked_well = not assignment.worked_poorly and (
        assignment.outcome == "done" or (fit is not None and fit >= 4)
    )


def fit_by_kind(coachee: Coachee, recent: int = RECENT_OF_A_KIND) -> list[KindFit]:
    """Per kind this coachee was given (as `kinds_summary` orders them): its figures and the latest
    `recent` homework of that kind with the outcome of its last review, the coachee's fit rating and
    remark (handed-in work only: drafts are the coachee's own). Two queries."""
    last_review = Review.objects.filter(assignment=OuterRef("pk")).order_by("-session__starts_at", "-pk")
    handed_in = Q(submitted_at__isnull=False)
    latest = (
        Assignment.objects.filter(coachee=coachee)
        .exclude(status=Assignment.Status.CANCELLED)
        .annotate(
            place=Window(RowNumber(), partition_by=[F("kind")], order_by=[F("assigned_at").desc(), F("pk").desc()]),
            outcome=Subquery(last_review.values("outcome")[:1]),
        )
        .filter(place__lte=recent)
        .annotate(
            fit=Case(When(handed_in, then=F("submission__fit_rating"))),
            remark=Case(When(handed_in, then=F("submission__remark")), default=Value(""), output_field=TextField()),
        )
        .only("pk", "kind", "title", "status", "assigned_at", "submitted_at")
        .order_by("kind", "place")
    )
    by_kind = {}
    for assignment in latest:
        _went(assignment)
        by_kind.setdefault(assignment.kind, []).append(assignment)
    return [KindFit(stats=stats, recent=by_kind.get(stats.kind, [])) for stats in kinds_summary(coachee)]


# --- Goals --------------------------------------------------------------------------------------


def goals_with_homework(coachee: Coachee):
    """The coachee's goals, each with the homework given for it (cancelled left out), oldest first.
    Two queries."""
    served = Assignment.objects.exclude(status=Assignment.Status.CANCELLED).order_by("assigned_at", "pk")
    goals = list(coachee.goals.prefetch_related(Prefetch("assignments", queryset=served, to_attr="served")))
    for goal in goals:
        goal.handed_in = sum(1 for a in goal.served if a.submitted_at)
    return goals


# --- The coach's dashboard ----------------------------------------------------------------------


@dataclass
class CoacheeGlance:
    coachee: Coachee
    unreviewed: int
    to_do: int
    oldest_to_do_at: datetime | None
    last_activity: datetime | None
    deletion_requested: bool
    engagement: Engagement = field(default_factory=Engagement)
    quiet: bool = False

    @property
    def days_since_activity(self) -> int | None:
        return None if self.last_activity is None else (timezone.now() - self.last_activity).days


def _latest(queryset, field_name: str):
    """The latest `field_name` of `queryset` rows that belong to the outer coachee, as a subquery."""
    return Subquery(
        queryset.order_by().values("assignment__coachee_id").annotate(latest=Max(field_name)).values("latest")[:1]
    )


def coachees_at_a_glance(coachees, now: datetime) -> list[CoacheeGlance]:
    """Each coachee of `coachees` (a queryset the caller bounds, e.g. one page): work waiting for
    review, homework still to do, when they last worked on any homework, whether they have gone quiet
    or asked to be deleted, and their engagement. Gone-quiet coachees first, then by name. Two queries."""
    mine = OuterRef("pk")
    to_do = Assignment.objects.filter(
        coachee_id=mine, status__in=[Assignment.Status.ASSIGNED, Assignment.Status.STARTED]
    ).order_by()
    annotated = coachees.select_related("user").annotate(
        unreviewed=Coalesce(
            Subquery(
                Assignment.objects.filter(coachee_id=mine, status=Assignment.Status.SUBMITTED)
                .order_by()
                .values("coachee_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        to_do=Coalesce(
            Subquery(to_do.values("coachee_id").annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
        ),
        oldest_to_do_at=Subquery(to_do.values("coachee_id").annotate(first=Min("assigned_at")).values("first")),
        last_entry_at=_latest(LogEntry.objects.filter(assignment__coachee_id=mine), "created_at"),
        last_upload_at=_latest(Upload.objects.filter(assignment__coachee_id=mine), "created_at"),
        last_draft_at=_latest(Submission.objects.filter(assignment__coachee_id=mine), "draft_saved_at"),
        last_submitted_at=Subquery(
            Assignment.objects.filter(coachee_id=mine)
            .order_by()
            .values("coachee_id")
            .annotate(latest=Max("submitted_at"))
            .values("latest")
        ),
        deletion_requested=Exists(DeletionRequest.objects.filter(coachee_id=mine)),
    )
    engagement = engagement_by_coachee(coachees, now)
    quiet_before = now - timedelta(days=QUIET_DAYS)
    glances = []
    for coachee in annotated:
        moments = [coachee.last_entry_at, coachee.last_upload_at, coachee.last_draft_at, coachee.last_submitted_at]
        last_activity = max((m for m in moments if m is not None), default=None)
        glance = CoacheeGlance(
            coachee=coachee,
            unreviewed=coachee.unreviewed,
            to_do=coachee.to_do,
            oldest_to_do_at=coachee.oldest_to_do_at,
            last_activity=last_activity,
            deletion_requested=coachee.deletion_requested,
            engagement=engagement.get(coachee.pk, Engagement()),
        )
        glance.quiet = is_quiet(glance, quiet_before)
        glances.append(glance)
    return sorted(glances, key=lambda g: (not g.quiet, g.coachee.name.casefold(), g.coachee.pk))


def gone_quiet(coachees, now: datetime):
    """The coachees of `coachees` that have gone quiet (see `is_quiet`), as a filter the database
    runs: the coachees with old homework to do come from an index over when to-do homework was
    given (`to_do_since`), and only those are probed for recent work: a count or a page of them costs
    the coachees with homework waiting since before the quiet days, not the whole practice."""
    quiet_before = now - timedelta(days=QUIET_DAYS)
    mine = OuterRef("pk")
    with_old_to_do = (
        Assignment.objects.alias(to_do_since=to_do_since())
        .filter(to_do_since__lte=quiet_before)
        .order_by()
        .values("coachee_id")
    )
    worked_since = (
        Exists(LogEntry.objects.filter(assignment__coachee_id=mine, created_at__gt=quiet_before))
        | Exists(Upload.objects.filter(assignment__coachee_id=mine, created_at__gt=quiet_before))
        | Exists(Submission.objects.filter(assignment__coachee_id=mine, draft_saved_at__gt=quiet_before))
        | Exists(Assignment.objects.filter(coachee_id=mine, submitted_at__gt=quiet_before))
    )
    return coachees.filter(pk__in=with_old_to_do).exclude(worked_since)


def is_quiet(glance: CoacheeGlance, quiet_before: datetime) -> bool:
    """Homework to do that was given long enough ago, and no work at all since `quiet_before`."""
    has_old_work = glance.oldest_to_do_at is not None and glance.oldest_to_do_at <= quiet_before
    return has_old_work and (glance.last_activity is None or glance.last_activity <= quiet_before)
