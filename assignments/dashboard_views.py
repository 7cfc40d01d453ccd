"""The coach's dashboard and the full lists behind each of its sections.

The dashboard shows what needs the coach now, a few rows per section: work to read, the next
sessions, homework that needs a session, coachees gone quiet. Each section says how many there are
(counted in the database up to COUNT_CAP, "50+" beyond) and links to its full list, which pages.
So a page costs what it shows, however large the practice is.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from assignments.progress import stats
from assignments.progress.models import DeletionRequest
from coachhub.accounts.access import coach_required
from sessions.models import Coachee, CoachingSession

from .models import Assignment, agenda_counts

# Rows per dashboard section; the rest is one click away, on its full list.
DASHBOARD_ROWS = 8
# Rows per page of a full list.
LIST_ROWS = 25
# The dashboard's sessions: today and the next two weeks.
UPCOMING_DAYS = 14
DELETION_REQUESTS_SHOWN = 5
# The dashboard counts this far and shows "50+" beyond: an exact count of a large practice's
# sessions or work to read would cost the whole practice on every visit, and the full list
# behind each count has the exact number.
COUNT_CAP = 50


@dataclass(frozen=True)
class CappedCount:
    """A count that stopped after COUNT_CAP: `n` (at most COUNT_CAP) picks the plural form, the
    count itself shows as the page says it ("50+" when there are more)."""

    n: int
    more: bool = False

    @classmethod
    def of_found(cls, found: int) -> "CappedCount":
        """From rows found by a query that stopped after COUNT_CAP + 1."""
        return cls(min(found, COUNT_CAP), found > COUNT_CAP)

    def __bool__(self) -> bool:
        return self.n > 0

    def __str__(self) -> str:
        return f"{self.n}+" if self.more else str(self.n)


# --- What each section lists, scoped to the coach -------------------------------------------------


def _active_homework(coach):
    return Assignment.objects.for_coach(coach).filter(coachee__archived_at__isnull=True)


def _to_read(coach):
    """Work handed in and waiting for the coach's written feedback, newest first."""
    return (
        _active_homework(coach)
        .waiting_for_feedback()
        .select_related("coachee", "submission")
        .order_by("-submitted_at", "-pk")
    )


def _suggestions(coach):
    """Changes coachees suggested to proposed homework, waiting for the coach's answer, oldest first."""
    return (
        _active_homework(coach)
        .open()
        .filter(agreement=Assignment.Agreement.SUGGESTED)
        .select_related("coachee")
        .only("pk", "title", "assigned_at", "coachee__name")
        .order_by("assigned_at", "pk")
    )


def _needing_a_session(coach, now):
    """Open homework with no session ahead to review it at, by coachee."""
    return (
        _active_homework(coach)
        .needing_a_session(now)
        .select_related("coachee")
        .order_by("coachee__name", "coachee_id", "assigned_at", "pk")
    )


def _today_starts(now) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))


def _sessions_from_today(coach, now):
    """Sessions of active coachees from the start of today on (those of today that have begun stay
    in view), soonest first."""
    return (
        CoachingSession.objects.for_coach(coach)
        .filter(coachee__archived_at__isnull=True, starts_at__gte=_today_starts(now))
        .not_cancelled()
        .select_related("coachee")
        .order_by("starts_at", "pk")
    )


def _gone_quiet(coach, now):
    return stats.gone_quiet(Coachee.objects.for_coach(coach).active(), now).order_by("name", "pk")


# --- Rows as the pages show them --------------------------------------------------------------------


def _session_rows(sessions, now) -> list[CoachingSession]:
    """Sessions with their agenda counts (computed for these rows only), each marked with the group
    it is shown under: today, later this week, or after this week."""
    tomorrow_starts = _today_starts(now) + timedelta(days=1)
    week_ends = _today_starts(now) + timedelta(days=7 - timezone.localdate(now).weekday())
    rows = agenda_counts(list(sessions), now)
    for session in rows:
        session.gone_by = session.has_gone_by(now)
        if session.starts_at < tomorrow_starts:
            session.group = "today"
        else:
            session.group = "week" if session.starts_at < week_ends else "later"
    return rows


def _by_coachee(homework) -> list[dict]:
    """Homework grouped by coachee, in the order given: each coachee once, with their items."""
    groups = {}
    for assignment in homework:
        group = groups.setdefault(assignment.coachee_id, {"coachee": assignment.coachee, "assignments": []})
        group["assignments"].append(assignment)
    return list(groups.values())


def _glances(coachee_pks, now) -> list:
    return stats.coachees_at_a_glance(Coachee.objects.filter(pk__in=coachee_pks), now) if coachee_pks else []


# --- Dashboard ----------------------------------------------------------------------------------------


def _getting_started(coach) -> dict:
    """What a new coach has done so far, in one query: a coachee, a session, an assignment."""
    mine = OuterRef("pk")
    return (
        get_user_model()
        .objects.filter(pk=coach.pk)
        .annotate(
            has_coachee=Exists(Coachee.objects.filter(coach=mine)),
            has_session=Exists(CoachingSession.objects.filter(coachee__coach=mine)),
            has_assignment=Exists(Assignment.objects.filter(coachee__coach=mine)),
            first_coachee_pk=Subquery(
                Coachee.objects.filter(coach=mine).active().order_by("created_at", "pk").values("pk")[:1]
            ),
        )
        .values("has_coachee", "has_session", "has_assignment", "first_coachee_pk")
        .get()
    )


def _session_counts(coach, now) -> dict:
    """How many sessions today, this week (today included), and from today on, each counted up to
    the cap. One query: the first sessions from today on, soonest first (an index walk that stops
    after COUNT_CAP + 1), hold all of today's and this week's as long as those are within the cap."""
    today_starts = _today_starts(now)
    tomorrow_starts = today_starts + timedelta(days=1)
    week_ends = today_starts + timedelta(days=7 - timezone.localdate(now).weekday())
    starts = list(
        _sessions_from_today(coach, now).select_related(None).values_list("starts_at", flat=True)[: COUNT_CAP + 1]
    )
    return {
        "today": CappedCount.of_found(sum(1 for at in starts if at < tomorrow_starts)),
        "week": CappedCount.of_found(sum(1 for at in starts if at < week_ends)),
        "ahead": CappedCount.of_found(len(starts)),
    }


@coach_required
@require_safe
def dashboard(request):
    """What needs the coach now: work to read, the next sessions with what is due at each, homework
    that needs a session, coachees gone quiet; a few rows of each, with the totals and a link to
    the full list. A new coach sees the first steps instead."""
    coach = request.user
    started = _getting_started(coach)
    context = {
        "started": started,
        "show_getting_started": not all(started[k] for k in ("has_coachee", "has_session", "has_assignment")),
        "upcoming_days": UPCOMING_DAYS,
        "engagement_sessions": stats.ENGAGEMENT_SESSIONS,
        "quiet_days": stats.QUIET_DAYS,
    }
    if started["has_coachee"]:
        context.update(_dashboard_sections(coach, timezone.now()))
    return render(request, "homework/dashboard.html", context)


def _first_rows_and_total(queryset) -> tuple[list, CappedCount]:
    """The section's first rows and how many there are, counted up to the cap. Its filter runs
    once, for the keys of the first COUNT_CAP + 1 rows in the section's order (a count over the
    whole set would cost the whole practice); the rows shown are then looked up by key."""
    keys = list(queryset.values_list("pk", flat=True)[: COUNT_CAP + 1])
    shown = keys[:DASHBOARD_ROWS]
    rows = list(queryset.filter(pk__in=shown)) if shown else []
    return rows, CappedCount.of_found(len(keys))


def _dashboard_sections(coach, now) -> dict:
    counts = _session_counts(coach, now)
    window = _sessions_from_today(coach, now).filter(starts_at__lte=now + timedelta(days=UPCOMING_DAYS))
    to_read, to_read_total = _first_rows_and_total(_to_read(coach))
    needing, needing_total = _first_rows_and_total(_needing_a_session(coach, now))
    quiet, quiet_total = _first_rows_and_total(_gone_quiet(coach, now).only("pk"))
    suggestions, suggestions_total = _first_rows_and_total(_suggestions(coach))
    deletion_requests = (
        DeletionRequest.objects.for_coach(coach).filter(coachee__archived_at__isnull=True).select_related("coachee")
    )
    return {
        "session_counts": counts,
        "upcoming": _session_rows(window[:DASHBOARD_ROWS], now),
        "to_read": to_read,
        "to_read_total": to_read_total,
        "needing_a_session": _by_coachee(needing),
        "needing_total": needing_total,
        "glances": _glances([coachee.pk for coachee in quiet], now),
        "quiet_total": quiet_total,
        "suggestions": suggestions,
        "suggestions_total": suggestions_total,
        "deletion_requests": [request.coachee for request in deletion_requests[:DELETION_REQUESTS_SHOWN]],
    }


# --- The full lists ---------------------------------------------------------------------------------


def _page(request, queryset):
    return Paginator(queryset, LIST_ROWS).get_page(request.GET.get("page"))


@coach_required
@require_safe
def to_read(request):
    page = _page(request, _to_read(request.user))
    return render(request, "homework/to_read.html", {"page": page, "rows": list(page)})


@coach_required
@require_safe
def upcoming_sessions(request):
    now = timezone.now()
    page = _page(request, _sessions_from_today(request.user, now))
    return render(request, "homework/upcoming_sessions.html", {"page": page, "upcoming": _session_rows(page, now)})


@coach_required
@require_safe
def needing_a_session(request):
    page = _page(request, _needing_a_session(request.user, timezone.now()))
    return render(request, "homework/needing_a_session.html", {"page": page, "needing_a_session": _by_coachee(page)})


@coach_required
@require_safe
def gone_quiet(request):
    now = timezone.now()
    page = _page(request, _gone_quiet(request.user, now).values_list("pk", flat=True))
    return render(
        request,
        "homework/gone_quiet.html",
        {"page": page, "glances": _glances(list(page), now), "quiet_days": stats.QUIET_DAYS},
    )
