"""The reminder mails: one small function per kind, each with three templates under
templates/reminders/mail/ (`<kind>-subject.txt`, `<kind>-body.txt`, `<kind>-body.html`).

Every mail speaks to its recipient by name and in their language (`User.language`), shows times
on their own clock, links with absolute addresses (SITE_URL), and carries:
- a Message-ID derived from its outbox row, the same on every attempt;
- a link that switches its category off without logging in, also as `List-Unsubscribe` with
  `List-Unsubscribe-Post` (RFC 8058: mail programs offer a one-click unsubscribe button).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation

from assignments.models import Assignment, Review
from coachhub.accounts.emails import render_html, render_text

from . import links, planning
from .models import Category, Kind, Reminder, coach_policy, coachee_zone


@dataclass
class Loaded:
    """What the mails of one batch need, loaded in a few queries for the whole batch (see `load`)."""

    now: datetime
    homework: dict = field(default_factory=dict)  # assignment pk -> Assignment with the review loop
    agendas: dict = field(default_factory=dict)  # session pk -> open homework on its agenda
    practices: dict = field(default_factory=dict)  # coachee pk -> their practice homework
    handed_in: dict = field(default_factory=dict)  # coach pk -> work handed in lately, oldest first
    urls: links.Links = field(default_factory=links.Links)  # each URL name reversed once per batch
    mail_domain: str = field(default_factory=links.mail_domain)  # of every Message-ID


def batch_homework(reminders: list[Reminder], now) -> dict:
    """The homework of a batch's rows by pk, in one query, with what both the staleness check and
    the mails read of it: where it stands in the review loop (its effective due date), when feedback
    was last written, its coachee with what a policy reads (planning.POLICY_ROWS), and its goal."""
    assignment_ids = {r.assignment_id for r in reminders if r.assignment_id is not None}
    if not assignment_ids:
        return {}
    return (
        Assignment.objects.with_review_loop(now)
        .annotate(feedback_written_at=planning.feedback_written_at())
        .select_related(*[f"coachee__{row}" for row in planning.POLICY_ROWS], "goal")
        .in_bulk(assignment_ids)
    )


def load(reminders: list[Reminder], now, homework: dict | None = None) -> Loaded:
    """Load what the mails of `reminders` show, a few queries per kind of mail, whatever their number.
    `homework` is their `batch_homework` when the caller has it already."""
    loaded = Loaded(now=now)
    kinds = {r.kind for r in reminders}
    if any(r.assignment_id is not None for r in reminders):
        loaded.homework = batch_homework(reminders, now) if homework is None else homework
    if Kind.COACH_DIGEST in kinds:
        loaded.agendas = _agendas([r.session for r in reminders if r.kind == Kind.COACH_DIGEST], now)
    if Kind.CHECKIN in kinds:
        loaded.practices = _practices([r for r in reminders if r.kind == Kind.CHECKIN], now)
    if Kind.SUBMISSION_DIGEST in kinds:
        loaded.handed_in = _handed_in([r for r in reminders if r.kind == Kind.SUBMISSION_DIGEST])
    return loaded


def _agendas(sessions, now) -> dict:
    """The open homework on each upcoming session's agenda (as `on_agenda` lists it): due for review
    there, or reviewed there already. One query for the homework, one for the reviews."""
    homework = list(
        Assignment.objects.open()
        .filter(coachee_id__in={s.coachee_id for s in sessions})
        .with_review_loop(now)
        .select_related("goal")
        .order_by("assigned_at", "pk")
    )
    reviewed = set(Review.objects.filter(session__in=sessions).values_list("session_id", "assignment_id"))

    def on_agenda(assignment, session):
        here = assignment.review_session_id == session.pk or (session.pk, assignment.pk) in reviewed
        return assignment.coachee_id == session.coachee_id and here

    return {session.pk: [a for a in homework if on_agenda(a, session)] for session in sessions}


def _practices(reminders, now) -> dict:
    earliest = min(_occurrence_day(r) for r in reminders) - timedelta(days=7)
    practices = defaultdict(list)
    homework = planning.practice_homework({r.coachee_id for r in reminders}, logged_since=earliest, assigned_by=now)
    for assignment in homework:
        practices[assignment.coachee_id].append(assignment)
    return practices


def _handed_in(reminders) -> dict:
    windows = {r.recipient_id: _digest_window(r) for r in reminders}
    earliest = min(start for start, _end in windows.values())
    handed_in = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(
            coachee__coach_id__in=windows, coachee__archived_at__isnull=True, submitted_at__gt=earliest
        )
        .select_related("coachee")
        .order_by("submitted_at", "pk")
    ):
        handed_in[assignment.coachee.coach_id].append(assignment)
    return handed_in


def _digest_window(reminder: Reminder):
    return planning.digest_window(coach_policy(reminder.recipient), _occurrence_day(reminder))


def _occurrence_day(reminder: Reminder) -> date:
    """The local date in a daily reminder's occurrence key ("day 2026-03-29")."""
    return date.fromisoformat(reminder.occurrence.split(" ", 1)[1])


def _about_homework(reminder: Reminder, loaded: Loaded, anchor: str = "") -> dict:
    assignment = loaded.homework[reminder.assignment_id]
    return {
        "assignment": assignment,
        "coach": assignment.coachee.coach,
        "link": _my_homework(assignment, loaded) + anchor,
    }


def new_assignment(reminder: Reminder, loaded: Loaded) -> dict:
    return _about_homework(reminder, loaded)


def nudge(reminder: Reminder, loaded: Loaded) -> dict:
    return _about_homework(reminder, loaded)


def proposal(reminder: Reminder, loaded: Loaded) -> dict:
    return _about_homework(reminder, loaded, "#agreement")


def due_soon(reminder: Reminder, loaded: Loaded) -> dict:
    return _about_homework(reminder, loaded)


def feedback_given(reminder: Reminder, loaded: Loaded) -> dict:
    return _about_homework(reminder, loaded, "#feedback-title")


def checkin(reminder: Reminder, loaded: Loaded) -> dict:
    day = _occurrence_day(reminder)
    practices = planning.practices_to_check_in(
        loaded.practices[reminder.coachee_id], day, coachee_zone(reminder.coachee)
    )
    return {
        "practices": [{"assignment": a, "link": _my_homework(a, loaded)} for a in practices],
        "coach": reminder.coachee.coach,
        "link": loaded.urls.url("my:home"),
    }


def coach_digest(reminder: Reminder, loaded: Loaded) -> dict:
    session = reminder.session
    agenda = loaded.agendas[session.pk]
    for assignment in agenda:
        assignment.link = loaded.urls.url("homework:assignment_detail", assignment.pk)
    return {
        "session": session,
        "coachee": reminder.coachee,
        "handed_in": [a for a in agenda if a.submitted_at is not None],
        # Proposals not agreed yet, and suggestions waiting for the coach: to settle at the latest there.
        "to_agree": [a for a in agenda if a.to_agree],
        "not_handed_in": [a for a in agenda if a.submitted_at is None],
        "link": loaded.urls.url("homework:session_detail", session.pk),
    }


def submission_notice(reminder: Reminder, loaded: Loaded) -> dict:
    assignment = loaded.homework[reminder.assignment_id]
    return {
        "assignment": assignment,
        "coachee": assignment.coachee,
        "link": loaded.urls.url("homework:assignment_detail", assignment.pk) + "#work",
    }


def submission_digest(reminder: Reminder, loaded: Loaded) -> dict:
    start, end = _digest_window(reminder)
    handed_in = [a for a in loaded.handed_in[reminder.recipient_id] if start < a.submitted_at <= end]
    for assignment in handed_in:
        assignment.link = loaded.urls.url("homework:assignment_detail", assignment.pk) + "#work"
    return {"handed_in": handed_in, "link": loaded.urls.url("homework:dashboard")}


CONTEXTS = {
    Kind.NEW_ASSIGNMENT: new_assignment,
    Kind.NUDGE: nudge,
    Kind.PROPOSAL: proposal,
    Kind.DUE_SOON: due_soon,
    Kind.FEEDBACK_GIVEN: feedback_given,
    Kind.CHECKIN: checkin,
    Kind.COACH_DIGEST: coach_digest,
    Kind.SUBMISSION_NOTICE: submission_notice,
    Kind.SUBMISSION_DIGEST: submission_digest,
}


def _my_homework(assignment: Assignment, loaded: Loaded) -> str:
    return loaded.urls.url("my:assignment", assignment.pk)


def _recipient_zone(reminder: Reminder):
    recipient = reminder.recipient
    if recipient.is_coach or reminder.coachee is None:
        return recipient.tzinfo
    return coachee_zone(reminder.coachee)


def reminder_message(reminder: Reminder, loaded: Loaded | None = None, *, now=None) -> EmailMultiAlternatives:
    """The mail of one outbox row (with `recipient`, `coachee__coach` and its object loaded), from
    what `load` loaded for its batch (or, for a single mail, loads it at `now`), in the recipient's
    language and on their clock."""
    loaded = loaded or load([reminder], now or timezone.now())
    recipient = reminder.recipient
    category = Category(reminder.category)
    unsubscribe = links.unsubscribe_url(user_id=recipient.pk, category=category)
    with translation.override(recipient.language), timezone.override(_recipient_zone(reminder)):
        context = {
            "recipient": recipient,
            "name": recipient.get_short_name(),
            "site_url": settings.SITE_URL,
            "unsubscribe_url": unsubscribe,
            "category": category.label,
            "settings_url": loaded.urls.url(
                "reminders:settings" if recipient.is_coach else "reminders:mine:preferences"
            ),
            **CONTEXTS[reminder.kind](reminder, loaded),
        }
        template = f"reminders/mail/{reminder.kind}"
        subject = " ".join(render_text(f"{template}-subject.txt", context).split())
        text = render_text(f"{template}-body.txt", context)
        html = render_html(f"{template}-body.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[recipient.email],
        headers={
            "Message-ID": reminder.message_id_for(loaded.mail_domain),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: an automatic mail; out-of-office replies should not answer it.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
