"""Which reminders should exist now: derived from homework, sessions and settings, never kept by hand.

Each rule reads the data as it is at `now` and returns the reminders that are due by then and still
worth sending, as `Planned` values (with the moment after which each would be stale). The sweep writes
the missing ones into the outbox. Just before sending, the sender runs the same rules again over its
batch (`still_planned`): a reminder whose reason has gone (work started or handed in, the session moved or
cancelled, the category switched off) is no longer planned and is skipped instead of sent.

The sweep does not run the rules over everything: every rule keys on some piece of homework (the
digest before a session on the homework due there, a check-in on the coachee's practice, the daily
digest of handed-in work on what was handed in), and each piece stores when a rule could next plan
something about it (`next_check`, in `HomeworkCheck`). The sweep looks only at
homework whose moment has come, or whose moment is unknown because an input of the rules changed
since (receivers reset it). `next_check` foresees only what time does by itself: a rule's moment
coming, and a session going by unheld, which moves homework on to the next session.

The rules:
- new homework, to the coachee: when assigned, while it is not started (within NEW_WITHIN).
- a proposal waiting, to the coachee: one gentle reminder PROPOSAL_WAIT after it was proposed (or
  half-way to its due moment, if that comes first), while it is still unanswered; no nudge meanwhile.
- nudge, to the coachee: half-way between assigning and the due moment, while not started, until the
  due-soon reminder takes over.
- due soon, to the coachee: `due_soon_hours` before the due moment by the coachee's clock, while not
  handed in; not for homework given later than that, unless its session moved closer since (then at
  once, outside quiet hours).
- feedback given, to the coachee: a few minutes after the coach wrote it (edits meanwhile are one
  mail), at most one a day per homework.
- check-in, to the coachee who asked for it: at their chosen local time, when a daily practice has no
  entry for today or a weekly one none this week (on the weekday it was assigned).
- digest before a session, to the coach: at their digest time the day before (their clock), when
  anything is due for review there.
- handed-in work, to the coach: a notice per submission, or one digest a day at the digest time.

The due moment of homework is its `deadline` in the review loop (`Assignment.objects.with_review_loop`):
its own due date, or else the session it will be reviewed at (derived, so rescheduling a session
re-times its reminders, and cancelling or holding one moves them to the next session).
Quiet hours defer a reminder to their end; one that would then be stale is not planned.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, F, Prefetch, Value, When

from assignments.models import Assignment, Cadence, LogEntry, with_agenda_counts
from assignments.models import Kind as HomeworkKind
from sessions.models import SESSION_OVER_AFTER_END, Coachee, CoachingSession

from .models import (
    Category,
    Kind,
    PracticeSettings,
    Reminder,
    SubmissionMails,
    coach_policy,
    coachee_policy,
)
from .timing import QuietHours, at_local, local_date, shift_wall_clock, utc_key

# New homework is announced while it is this fresh; after a longer outage it is not news any more.
NEW_WITHIN = timedelta(days=3)
# A proposal nobody answered is recalled this long after it was made (half-way to its due moment at most).
PROPOSAL_WAIT = timedelta(days=2)
# Feedback is mailed this long after it was written, so quick corrections make one mail.
FEEDBACK_GRACE = timedelta(minutes=5)
# Feedback and handed-in work are mailed about while this recent.
RECENT = timedelta(days=3)
# A daily digest of handed-in work is still sent this long after its time (after an outage).
DIGEST_LATE = timedelta(hours=12)
# The digest before a session comes the day before; look this far ahead for sessions.
DIGEST_LOOKAHEAD = timedelta(days=3)
PRACTICE_KINDS = [HomeworkKind.BEHAVIOURAL, HomeworkKind.OBSERVATION]
PRACTICE_CADENCES = [Cadence.DAILY, Cadence.WEEKLY]


@dataclass(frozen=True)
class Planned:
    kind: str
    recipient_id: int
    occurrence: str
    due_at: datetime  # UTC; quiet hours already applied
    stale_after: datetime
    coachee_id: int | None = None
    assignment_id: int | None = None
    session_id: int | None = None

    @property
    def key(self) -> tuple:
        return (self.kind, self.recipient_id, self.assignment_id, self.session_id, self.occurrence)

    def as_reminder(self) -> Reminder:
        return Reminder(
            kind=self.kind,
            recipient_id=self.recipient_id,
            coachee_id=self.coachee_id,
            assignment_id=self.assignment_id,
            session_id=self.session_id,
            occurrence=self.occurrence,
            due_at=self.due_at,
        )


def _planned(*, moment, stale_after, now, zone: ZoneInfo, quiet: QuietHours, **fields) -> Planned | None:
    """A reminder meant for `moment`, if that has come and it is not stale; quiet hours defer it
    (both at its moment and, after an outage, now)."""
    if moment > now:
        return None
    due_at = quiet.defer(moment, zone)
    if due_at <= now and quiet.contains(now, zone):
        due_at = quiet.defer(now, zone)
    if now >= stale_after or due_at >= stale_after:
        return None
    return Planned(due_at=due_at, stale_after=stale_after, **fields)


def _collect(items) -> list[Planned]:
    return [item for item in items if item is not None]


# --- Homework rules ---------------------------------------------------------------------------

COACHEE_SETTINGS = ["coachee__coach__reminder_settings", "coachee__reminder_settings", "coachee__mail_preferences"]
# The coachee, their login, their coach and the three settings rows: what a policy reads.
POLICY_ROWS = ["user", "coach__reminder_settings", "reminder_settings", "mail_preferences"]


@dataclass(slots=True)
class Homework:
    """What the rules read of one piece of homework: its dates and states, never its words."""

    pk: int
    coachee_id: int
    kind: str
    cadence: str
    status: str
    assigned_at: datetime
    started_at: datetime | None
    submitted_at: datetime | None
    due_at: datetime | None
    # The review loop (open homework only): the session it is to be reviewed at, and whether a
    # session it was due at went by.
    review_session_id: int | None
    carried_over: bool
    # When the coach last wrote feedback on its work; None without any.
    feedback_written_at: datetime | None
    # Where agreeing on it stands (`Assignment.agreement`): "proposed" waits for the coachee.
    agreement: str
    coachee: Coachee | None = None
    review_session_at: datetime | None = None
    # When that session was scheduled or last moved earlier (see `due_soon_moment`).
    deadline_moved_earlier_at: datetime | None = None
    # When each of the coachee's sessions still to be held goes by unless it is held: where the
    # homework is due may change then by itself.
    sessions_over_at: tuple = ()

    @property
    def deadline(self) -> datetime | None:
        """As `Assignment.deadline`: its own due date, or the session it will be reviewed at when
        it has none or was carried over past it."""
        if self.due_at and not self.carried_over:
            return self.due_at
        return self.review_session_at or self.due_at


HOMEWORK_FIELDS = [
    "pk",
    "coachee_id",
    "kind",
    "cadence",
    "status",
    "assigned_at",
    "started_at",
    "submitted_at",
    "due_at",
    "review_session_id",
    "carried_over",
    "feedback_written_at",
    "agreement",
]


def feedback_written_at():
    """When the coach last wrote feedback on the homework's work (`Homework.feedback_written_at`)."""
    return Case(When(submission__feedback="", then=Value(None)), default=F("submission__feedback_at"))


def load_homework(queryset, now) -> list[Homework]:
    """The homework of `queryset` as the rules read it (`Homework`), with its coachee (login,
    coach and settings loaded) and what they read of the coachee's sessions still to be held. Three
    queries: the homework (as plain values: it can be ten thousand rows), their coachees, those
    sessions."""
    rows = queryset.with_review_loop(now).annotate(feedback_written_at=feedback_written_at()).order_by()
    homework = [Homework(*row) for row in rows.values_list(*HOMEWORK_FIELDS)]
    if not homework:
        return []
    coachees = Coachee.objects.select_related(*POLICY_ROWS).in_bulk({a.coachee_id for a in homework})
    return _with_sessions(homework, coachees, now)


def homework_of(assignments, now) -> list[Homework]:
    """`load_homework` for assignments fetched already, with the review loop, `feedback_written_at`
    and their coachee's POLICY_ROWS (as the sender loads its batch): one query, for the sessions."""
    homework = [Homework(*(getattr(a, name) for name in HOMEWORK_FIELDS)) for a in assignments]
    if not homework:
        return []
    return _with_sessions(homework, {a.coachee_id: a.coachee for a in assignments}, now)


def _with_sessions(homework: list[Homework], coachees: dict, now) -> list[Homework]:
    coachee_ids = {a.coachee_id for a in homework}
    sessions, over_at = {}, defaultdict(list)
    for pk, coachee_id, starts_at, moved, minutes in (
        CoachingSession.objects.to_be_held(now)
        .filter(coachee_id__in=coachee_ids)
        .values_list("pk", "coachee_id", "starts_at", "moved_earlier_at", "duration_minutes")
    ):
        sessions[pk] = (starts_at, moved)
        over_at[coachee_id].append(starts_at + timedelta(minutes=minutes) + SESSION_OVER_AFTER_END)
    for assignment in homework:
        assignment.coachee = coachees[assignment.coachee_id]
        assignment.sessions_over_at = over_at[assignment.coachee_id]
        if assignment.review_session_id is not None:
            assignment.review_session_at, moved = sessions[assignment.review_session_id]
            if assignment.deadline == assignment.review_session_at:
                assignment.deadline_moved_earlier_at = moved
    return homework


class Policies:
    """Each coachee's and each coach's policy, worked out once per run: their homework shares it."""

    def __init__(self):
        self.coachees, self.coaches = {}, {}

    def of(self, coachee):
        if coachee.pk not in self.coachees:
            self.coachees[coachee.pk] = coachee_policy(coachee)
        return self.coachees[coachee.pk]

    def of_coach(self, coach):
        if coach.pk not in self.coaches:
            self.coaches[coach.pk] = coach_policy(coach)
        return self.coaches[coach.pk]


def _gets_mail(assignment) -> bool:
    """Whether the people of this homework get mail about it: the coachee not archived, their
    coach active."""
    coachee = assignment.coachee
    return coachee.archived_at is None and coachee.coach.is_active


def _coachee_gets_mail(assignment, now) -> bool:
    """... and the coachee themself: with an active login, once the homework has been given."""
    user = assignment.coachee.user
    return user is not None and user.is_active and assignment.assigned_at <= now


def _to_coachee(kind, assignment, policy, *, occurrence, **timing) -> Planned | None:
    return _planned(
        kind=kind,
        recipient_id=assignment.coachee.user_id,
        coachee_id=assignment.coachee_id,
        assignment_id=assignment.pk,
        occurrence=occurrence,
        zone=policy.zone,
        quiet=policy.quiet,
        **timing,
    )


def _due_key(due: datetime) -> str:
    return f"due {utc_key(due)}"


def due_soon_moment(assignment, policy) -> datetime | None:
    """`due_soon_hours` before the deadline by the coachee's clock.

    Homework given later than that gets none: its new-homework mail said when it is due. But when
    the session it is due at was scheduled or moved earlier after the homework was given, the
    coachee has not been told: the reminder is due from that moment on."""
    moment = shift_wall_clock(assignment.deadline, policy.zone, hours=-policy.due_soon_hours)
    if moment > assignment.assigned_at:
        return moment
    moved = assignment.deadline_moved_earlier_at
    if moved is not None and moved > assignment.assigned_at:
        return max(moment, moved)
    return None


def _new_assignment(assignment, policies, now) -> Planned | None:
    if assignment.status != Assignment.Status.ASSIGNED or assignment.assigned_at <= now - NEW_WITHIN:
        return None
    policy = policies.of(assignment.coachee)
    if Category.NEW_ASSIGNMENT not in policy.categories:
        return None
    stale_after = assignment.assigned_at + NEW_WITHIN
    if assignment.deadline is not None:
        stale_after = min(stale_after, assignment.deadline)
    return _to_coachee(
        Kind.NEW_ASSIGNMENT,
        assignment,
        policy,
        occurrence="assigned",
        moment=assignment.assigned_at,
        stale_after=stale_after,
        now=now,
    )


def proposal_moment(assignment) -> datetime | None:
    """When an unanswered proposal is recalled: PROPOSAL_WAIT after it was made, or half-way to its
    due moment when that comes first. None when it is not waiting for the coachee."""
    if assignment.agreement != Assignment.Agreement.PROPOSED or assignment.status not in Assignment.OPEN_STATUSES:
        return None
    moment = assignment.assigned_at + PROPOSAL_WAIT
    if assignment.deadline is not None:
        moment = min(moment, assignment.assigned_at + (assignment.deadline - assignment.assigned_at) / 2)
    return moment


def _proposal(assignment, policies, now) -> Planned | None:
    """One gentle reminder of a proposal the coachee has not answered (occurrence "proposed": one only)."""
    moment = proposal_moment(assignment)
    if moment is None:
        return None
    policy = policies.of(assignment.coachee)
    if Category.NEW_ASSIGNMENT not in policy.categories:
        return None
    stale_after = assignment.deadline or assignment.assigned_at + 7 * PROPOSAL_WAIT
    return _to_coachee(
        Kind.PROPOSAL, assignment, policy, occurrence="proposed", moment=moment, stale_after=stale_after, now=now
    )


def _nudge(assignment, policies, now) -> Planned | None:
    due = assignment.deadline
    if assignment.status != Assignment.Status.ASSIGNED or assignment.started_at is not None:
        return None
    if assignment.agreement == Assignment.Agreement.PROPOSED:
        return None  # the proposal's own reminder speaks for it
    if due is None or due <= now:
        return None
    policy = policies.of(assignment.coachee)
    if Category.NUDGE not in policy.categories:
        return None
    halfway = assignment.assigned_at + (due - assignment.assigned_at) / 2
    # Once the due-soon reminder is due, a nudge would only repeat it.
    until = (Category.DUE_SOON in policy.categories and due_soon_moment(assignment, policy)) or due
    return _to_coachee(
        Kind.NUDGE, assignment, policy, occurrence=_due_key(due), moment=halfway, stale_after=until, now=now
    )


def _due_soon(assignment, policies, now) -> Planned | None:
    due = assignment.deadline
    if assignment.status not in (Assignment.Status.ASSIGNED, Assignment.Status.STARTED):
        return None
    if due is None or due <= now:
        return None
    policy = policies.of(assignment.coachee)
    if Category.DUE_SOON not in policy.categories:
        return None
    moment = due_soon_moment(assignment, policy)
    if moment is None:
        return None
    return _to_coachee(
        Kind.DUE_SOON, assignment, policy, occurrence=_due_key(due), moment=moment, stale_after=due, now=now
    )


def _feedback_given(assignment, policies, now) -> Planned | None:
    written = assignment.feedback_written_at
    if written is None or assignment.status == Assignment.Status.CANCELLED:
        return None
    if not now - RECENT < written <= now - FEEDBACK_GRACE:
        return None
    policy = policies.of(assignment.coachee)
    if Category.FEEDBACK_GIVEN not in policy.categories:
        return None
    return _to_coachee(
        Kind.FEEDBACK_GIVEN,
        assignment,
        policy,
        occurrence=f"feedback {local_date(written, policy.zone).isoformat()}",
        moment=written + FEEDBACK_GRACE,
        stale_after=written + RECENT,
        now=now,
    )


def _submission_notice(assignment, policies, now) -> Planned | None:
    """To the coach, for each piece of handed-in work (when they chose a mail per submission)."""
    submitted = assignment.submitted_at
    if assignment.status != Assignment.Status.SUBMITTED or submitted is None:
        return None
    if not now - RECENT < submitted <= now:
        return None
    coach = assignment.coachee.coach
    policy = policies.of_coach(coach)
    if policy.submissions != SubmissionMails.NOTICE:
        return None
    return _planned(
        kind=Kind.SUBMISSION_NOTICE,
        recipient_id=coach.pk,
        coachee_id=assignment.coachee_id,
        assignment_id=assignment.pk,
        occurrence=f"submitted {utc_key(submitted)}",
        moment=submitted,
        stale_after=submitted + RECENT,
        now=now,
        zone=policy.zone,
        quiet=policy.quiet,
    )


# Each rule about one piece of homework, and whether its mail goes to the coachee (else the coach).
HOMEWORK_RULES = {
    Kind.NEW_ASSIGNMENT: (_new_assignment, True),
    Kind.NUDGE: (_nudge, True),
    Kind.PROPOSAL: (_proposal, True),
    Kind.DUE_SOON: (_due_soon, True),
    Kind.FEEDBACK_GIVEN: (_feedback_given, True),
    Kind.SUBMISSION_NOTICE: (_submission_notice, False),
}


def homework_reminders(homework: list[Homework], now, kinds=HOMEWORK_RULES) -> list[Planned]:
    """The reminders about each piece of `homework` (from `load_homework`) due by `now`."""
    rules = [HOMEWORK_RULES[kind] for kind in kinds]
    policies = Policies()
    planned = []
    for assignment in homework:
        if not _gets_mail(assignment):
            continue
        coachee_gets_mail = _coachee_gets_mail(assignment, now)
        for rule, to_coachee in rules:
            if coachee_gets_mail or not to_coachee:
                planned.append(rule(assignment, policies, now))
    return _collect(planned)


def _homework_rule(kind):
    def rule(now, queryset=None) -> list[Planned]:
        queryset = Assignment.objects.all() if queryset is None else queryset
        return homework_reminders(load_homework(queryset, now), now, kinds=[kind])

    rule.__name__ = f"{kind}_rule"
    return rule


new_assignments = _homework_rule(Kind.NEW_ASSIGNMENT)


# --- Daily mails ----------------------------------------------------------------------------------


def digest_window(policy, occurrence_day) -> tuple[datetime, datetime]:
    """The span a daily digest of handed-in work covers: from the digest time the day before to the
    digest time on `occurrence_day`, by the coach's clock."""
    end = at_local(occurrence_day, policy.digest_time, policy.zone)
    return at_local(occurrence_day - timedelta(days=1), policy.digest_time, policy.zone), end


def _latest_digest_day(policy, now):
    """The local date of the latest digest time that has come."""
    today = local_date(now, policy.zone)
    return today if at_local(today, policy.digest_time, policy.zone) <= now else today - timedelta(days=1)


def submitted_between(coach_id, start, end):
    return Assignment.objects.filter(
        coachee__coach_id=coach_id,
        coachee__archived_at__isnull=True,
        submitted_at__gt=start,
        submitted_at__lte=end,
    )


def submission_digests(now, queryset=None) -> list[Planned]:
    """To each coach who chose a daily digest, when work was handed in since the last one."""
    queryset = PracticeSettings.objects.all() if queryset is None else queryset
    practices = queryset.filter(submissions=SubmissionMails.DIGEST, coach__is_active=True).select_related("coach")
    windows = {}
    for practice in practices:
        policy = coach_policy(practice.coach)
        day = _latest_digest_day(policy, now)
        windows[practice.coach_id] = (policy, day, *digest_window(policy, day))
    if not windows:
        return []
    earliest = min(start for _policy, _day, start, _end in windows.values())
    handed_in = defaultdict(list)
    for coach_id, submitted_at in Assignment.objects.filter(
        coachee__coach_id__in=windows, coachee__archived_at__isnull=True, submitted_at__gt=earliest
    ).values_list("coachee__coach_id", "submitted_at"):
        handed_in[coach_id].append(submitted_at)
    planned = []
    for coach_id, (policy, day, start, end) in windows.items():
        if not any(start < moment <= end for moment in handed_in[coach_id]):
            continue
        planned.append(
            _planned(
                kind=Kind.SUBMISSION_DIGEST,
                recipient_id=coach_id,
                occurrence=f"day {day.isoformat()}",
                moment=end,
                stale_after=end + DIGEST_LATE,
                now=now,
                zone=policy.zone,
                quiet=policy.quiet,
            )
        )
    return _collect(planned)


def coach_digests(now, queryset=None) -> list[Planned]:
    """To the coach the day before each session at which anything is due for review."""
    queryset = CoachingSession.objects.all() if queryset is None else queryset
    sessions = (
        with_agenda_counts(
            queryset.to_be_held(now).filter(
                starts_at__gt=now,
                starts_at__lte=now + DIGEST_LOOKAHEAD,
                coachee__archived_at__isnull=True,
                coachee__coach__is_active=True,
            ),
            now,
        )
        .filter(due_count__gt=0)
        .select_related("coachee__user", *COACHEE_SETTINGS)
    )
    planned = []
    for session in sessions:
        coach = session.coachee.coach
        policy = coach_policy(coach)
        if not (policy.coach_digest and coachee_policy(session.coachee).coach_digest):
            continue
        day = local_date(session.starts_at, policy.zone)
        planned.append(
            _planned(
                kind=Kind.COACH_DIGEST,
                recipient_id=coach.pk,
                coachee_id=session.coachee_id,
                session_id=session.pk,
                occurrence=f"session {day.isoformat()}",
                moment=at_local(day - timedelta(days=1), policy.digest_time, policy.zone),
                stale_after=session.starts_at,
                now=now,
                zone=policy.zone,
                quiet=policy.quiet,
            )
        )
    return _collect(planned)


def practices_to_check_in(assignments, day, zone) -> list[Assignment]:
    """Of a coachee's daily and weekly practice (with `log_entries` loaded), those still waiting
    for an entry: daily ones without an entry on `day`, weekly ones on the weekday they were
    assigned, without an entry in the week up to `day`."""
    waiting = []
    for assignment in assignments:
        assigned_on = local_date(assignment.assigned_at, zone)
        logged = {entry.day for entry in assignment.log_entries.all()}
        if assignment.cadence == Cadence.DAILY:
            if day not in logged:
                waiting.append(assignment)
        elif (
            day > assigned_on
            and day.weekday() == assigned_on.weekday()
            and not any(day - timedelta(days=6) <= logged_day <= day for logged_day in logged)
        ):
            waiting.append(assignment)
    return waiting


def practice_homework(coachee_ids, *, logged_since, assigned_by):
    return (
        Assignment.objects.filter(
            coachee_id__in=coachee_ids,
            kind__in=PRACTICE_KINDS,
            cadence__in=PRACTICE_CADENCES,
            status__in=Assignment.OPEN_STATUSES,
            assigned_at__lte=assigned_by,
        )
        .prefetch_related(Prefetch("log_entries", queryset=LogEntry.objects.filter(day__gte=logged_since)))
        .order_by("assigned_at", "pk")
    )


def checkins(now, queryset=None) -> list[Planned]:
    """To coachees who asked for check-in reminders, at their chosen time, one mail a day."""
    queryset = Coachee.objects.all() if queryset is None else queryset
    coachees = queryset.filter(
        archived_at__isnull=True,
        user__is_active=True,
        coach__is_active=True,
        mail_preferences__checkin=True,
    ).select_related("user", "coach__reminder_settings", "reminder_settings", "mail_preferences")
    candidates = {}
    for coachee in coachees:
        policy = coachee_policy(coachee)
        if Category.CHECKIN not in policy.categories:
            continue
        today = local_date(now, policy.zone)
        moment = at_local(today, policy.checkin_time, policy.zone)
        if moment <= now:
            candidates[coachee.pk] = (coachee, policy, today, moment)
    if not candidates:
        return []
    earliest_day = min(today for _c, _p, today, _m in candidates.values()) - timedelta(days=7)
    by_coachee = defaultdict(list)
    for assignment in practice_homework(candidates, logged_since=earliest_day, assigned_by=now):
        by_coachee[assignment.coachee_id].append(assignment)
    planned = []
    for coachee, policy, today, moment in candidates.values():
        started = [a for a in by_coachee[coachee.pk] if a.assigned_at <= moment]
        if not practices_to_check_in(started, today, policy.zone):
            continue
        planned.append(
            _planned(
                kind=Kind.CHECKIN,
                recipient_id=coachee.user_id,
                coachee_id=coachee.pk,
                occurrence=f"day {today.isoformat()}",
                moment=moment,
                stale_after=at_local(today + timedelta(days=1), time(0), policy.zone),
                now=now,
                zone=policy.zone,
                quiet=policy.quiet,
            )
        )
    return _collect(planned)


RULES = {
    **{kind: _homework_rule(kind) for kind in HOMEWORK_RULES},
    Kind.SUBMISSION_DIGEST: submission_digests,
    Kind.COACH_DIGEST: coach_digests,
    Kind.CHECKIN: checkins,
}


def plan(homework: list[Homework], now) -> list[Planned]:
    """Every reminder due by `now` that this homework (from `load_homework`) leads to: its own,
    the digests before the sessions it is due at, its coachees' check-ins and its coaches' daily
    digests of handed-in work. Each of those keys on some piece of homework whose next moment
    (`next_check`) it is, so the sweep finds every one of them through that homework."""
    planned = homework_reminders(homework, now)
    sessions = {a.review_session_id for a in homework if a.review_session_id is not None}
    coachees = {a.coachee_id for a in homework if _is_practice(a)}
    coaches = {a.coachee.coach_id for a in homework if a.submitted_at is not None}
    if sessions:
        planned += coach_digests(now, CoachingSession.objects.filter(pk__in=sessions))
    if coachees:
        planned += checkins(now, Coachee.objects.filter(pk__in=coachees))
    if coaches:
        planned += submission_digests(now, PracticeSettings.objects.filter(coach_id__in=coaches))
    return planned


# --- When to look again ---------------------------------------------------------------------------

# Stored for homework no rule will ever plan anything about unless something changes (which resets it).
NOTHING_AHEAD = datetime(9999, 12, 31, tzinfo=UTC)


def _is_practice(assignment) -> bool:
    return (
        assignment.kind in PRACTICE_KINDS
        and assignment.cadence in PRACTICE_CADENCES
        and assignment.status in Assignment.OPEN_STATUSES
    )


def _next_local(now, wall: time, zone) -> datetime:
    """The first moment after `now` at which the clocks in `zone` show `wall`."""
    today = local_date(now, zone)
    moment = at_local(today, wall, zone)
    return moment if moment > now else at_local(today + timedelta(days=1), wall, zone)


def _moments(assignment, now, policies) -> list[datetime | None]:
    """The moments at which a rule may start to plan a mail about this homework, or about what
    keys on it; earlier than needed is harmless (one more look), later would delay a mail."""
    policy = policies.of(assignment.coachee)
    coach_policy = policies.of_coach(assignment.coachee.coach)
    moments = [assignment.assigned_at, proposal_moment(assignment)]
    if assignment.status in Assignment.OPEN_STATUSES:
        due = assignment.deadline
        if due is not None:
            halfway = assignment.assigned_at + (due - assignment.assigned_at) / 2
            moments += [halfway, due_soon_moment(assignment, policy)]
        # Unless held, a session goes by then: the homework may be due at the next one from then on.
        moments += assignment.sessions_over_at
    if assignment.review_session_id is not None and policy.coach_digest and coach_policy.coach_digest:
        day = local_date(assignment.review_session_at, coach_policy.zone) - timedelta(days=1)
        moments.append(at_local(day, coach_policy.digest_time, coach_policy.zone))
    if _is_practice(assignment) and Category.CHECKIN in policy.categories:
        moments.append(_next_local(now, policy.checkin_time, policy.zone))
    if assignment.feedback_written_at is not None:
        moments.append(assignment.feedback_written_at + FEEDBACK_GRACE)
    submitted = assignment.submitted_at
    if submitted is not None:
        moments.append(submitted)
        if coach_policy.submissions == SubmissionMails.DIGEST:
            # The end of the digest window it falls in: (digest time the day before, digest time].
            just_before = submitted - timedelta(microseconds=1)
            moments.append(_next_local(just_before, coach_policy.digest_time, coach_policy.zone))
    return moments


def next_check(assignment, now, policies) -> datetime:
    """When the sweep should look at this homework (from `load_homework`) again: the earliest of
    its moments after `now` (`NOTHING_AHEAD` when there is none). Each change to an input of the
    rules resets it (receivers), so only the passing of time has to be foreseen here."""
    if not _gets_mail(assignment):
        return NOTHING_AHEAD
    ahead = [moment for moment in _moments(assignment, now, policies) if moment is not None and moment > now]
    return min(ahead, default=NOTHING_AHEAD)


def _only_their_objects(kind: str, reminders: list[Reminder]):
    """The rule's input narrowed to the objects of some outbox rows of one kind."""
    if kind in ASSIGNMENT_KINDS:
        return Assignment.objects.filter(pk__in={r.assignment_id for r in reminders})
    if kind == Kind.COACH_DIGEST:
        return CoachingSession.objects.filter(pk__in={r.session_id for r in reminders})
    if kind == Kind.CHECKIN:
        return Coachee.objects.filter(pk__in={r.coachee_id for r in reminders})
    return PracticeSettings.objects.filter(coach_id__in={r.recipient_id for r in reminders})


ASSIGNMENT_KINDS = {
    Kind.NEW_ASSIGNMENT,
    Kind.NUDGE,
    Kind.DUE_SOON,
    Kind.FEEDBACK_GIVEN,
    Kind.SUBMISSION_NOTICE,
    Kind.PROPOSAL,
}


def _key_of(reminder: Reminder) -> tuple:
    return (reminder.kind, reminder.recipient_id, reminder.assignment_id, reminder.session_id, reminder.occurrence)


def still_planned(reminders: list[Reminder], now, assignments: dict | None = None) -> dict[int, Planned | None]:
    """For each outbox row (by pk), the same reminder as its rule plans it now, or None when it has
    gone stale. Each rule runs once, over the objects of all its rows: a batch costs a few queries
    per kind, whatever its size. `assignments` (pk -> assignment, loaded as `homework_of` needs
    them) spares the rules about homework their own loading: one query for all of them."""
    by_kind = defaultdict(list)
    for reminder in reminders:
        by_kind[reminder.kind].append(reminder)
    homework = None
    if assignments is not None and ASSIGNMENT_KINDS.intersection(by_kind):
        theirs = {r.assignment_id for r in reminders} & assignments.keys()
        homework = homework_of([assignments[pk] for pk in theirs], now)
    planned = {}
    for kind, rows in by_kind.items():
        if homework is not None and kind in ASSIGNMENT_KINDS:
            theirs = {r.assignment_id for r in rows}
            found = homework_reminders([a for a in homework if a.pk in theirs], now, kinds=[kind])
        else:
            found = RULES[kind](now, _only_their_objects(kind, rows))
        planned.update((p.key, p) for p in found)
    return {reminder.pk: planned.get(_key_of(reminder)) for reminder in reminders}
