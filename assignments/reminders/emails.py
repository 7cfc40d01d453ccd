"""The reminder mails: one small function per kind, each with three templates under
templates/reminders/mail/ (`<kind>-subject.txt`, `<kind>-body.txt`, `<kind>-body.html`).

Every mail speaks to its recipient by name, shows times on their own clock, links with absolute
addresses (SITE_URL), and carries:
- a Message-ID derived from its outbox row, the same on every attempt;
- a link that switches its category off without logging in, also as `List-Unsubscribe` with
  `List-Unsubscribe-Post` (RFC 8058: mail programs offer a one-click unsubscribe button).
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assignments.models import Assignment
from coachhub.accounts.emails import render_text

from . import links, planning
from .models import Category, Kind, Reminder, coach_policy, coachee_zone


def _homework(reminder: Reminder, now) -> Assignment:
    """The reminder's homework with where it stands in the review loop (for effective_due_at)."""
    return (
        Assignment.objects.with_review_loop(now).select_related("coachee__coach", "goal").get(pk=reminder.assignment_id)
    )


def _occurrence_day(reminder: Reminder) -> date:
    """The local date in a daily reminder's occurrence key ("day 2026-03-29")."""
    return date.fromisoformat(reminder.occurrence.split(" ", 1)[1])


def new_assignment(reminder: Reminder, now) -> dict:
    assignment = _homework(reminder, now)
    return {"assignment": assignment, "coach": assignment.coachee.coach, "link": _my_homework(assignment)}


def nudge(reminder: Reminder, now) -> dict:
    assignment = _homework(reminder, now)
    return {"assignment": assignment, "coach": assignment.coachee.coach, "link": _my_homework(assignment)}


def due_soon(reminder: Reminder, now) -> dict:
    assignment = _homework(reminder, now)
    return {"assignment": assignment, "coach": assignment.coachee.coach, "link": _my_homework(assignment)}


def feedback_given(reminder: Reminder, now) -> dict:
    assignment = _homework(reminder, now)
    return {
        "assignment": assignment,
        "coach": assignment.coachee.coach,
        "link": _my_homework(assignment) + "#feedback-title",
    }


def checkin(reminder: Reminder, now) -> dict:
    day = _occurrence_day(reminder)
    zone = coachee_zone(reminder.coachee)
    practices = planning.practices_to_check_in(
        planning.practice_homework([reminder.coachee_id], logged_since=day - timedelta(days=7), assigned_by=now),
        day,
        zone,
    )
    return {
        "practices": [{"assignment": a, "link": _my_homework(a)} for a in practices],
        "coach": reminder.coachee.coach,
        "link": links.absolute_url("my:home"),
    }


def coach_digest(reminder: Reminder, now) -> dict:
    session = reminder.session
    agenda = list(
        Assignment.objects.open().on_agenda(session, now).select_related("goal").order_by("assigned_at", "pk")
    )
    for assignment in agenda:
        assignment.link = links.absolute_url("homework:assignment_detail", assignment.pk)
    return {
        "session": session,
        "coachee": reminder.coachee,
        "handed_in": [a for a in agenda if a.submitted_at is not None],
        "not_handed_in": [a for a in agenda if a.submitted_at is None],
        "link": links.absolute_url("homework:session_detail", session.pk),
    }


def submission_notice(reminder: Reminder, now) -> dict:
    assignment = _homework(reminder, now)
    return {
        "assignment": assignment,
        "coachee": assignment.coachee,
        "link": links.absolute_url("homework:assignment_detail", assignment.pk) + "#work",
    }


def submission_digest(reminder: Reminder, now) -> dict:
    start, end = planning.digest_window(coach_policy(reminder.recipient), _occurrence_day(reminder))
    handed_in = list(
        planning.submitted_between(reminder.recipient_id, start, end)
        .select_related("coachee")
        .order_by("submitted_at", "pk")
    )
    for assignment in handed_in:
        assignment.link = links.absolute_url("homework:assignment_detail", assignment.pk) + "#work"
    return {"handed_in": handed_in, "link": links.absolute_url("homework:dashboard")}


CONTEXTS = {
    Kind.NEW_ASSIGNMENT: new_assignment,
    Kind.NUDGE: nudge,
    Kind.DUE_SOON: due_soon,
    Kind.FEEDBACK_GIVEN: feedback_given,
    Kind.CHECKIN: checkin,
    Kind.COACH_DIGEST: coach_digest,
    Kind.SUBMISSION_NOTICE: submission_notice,
    Kind.SUBMISSION_DIGEST: submission_digest,
}


def _my_homework(assignment: Assignment) -> str:
    return links.absolute_url("my:assignment", assignment.pk)


def _recipient_zone(reminder: Reminder):
    recipient = reminder.recipient
    if recipient.is_coach or reminder.coachee is None:
        return recipient.tzinfo
    return coachee_zone(reminder.coachee)


def reminder_message(reminder: Reminder, *, now) -> EmailMultiAlternatives:
    """The mail of one outbox row (with `recipient`, `coachee__coach` and its object loaded)."""
    recipient = reminder.recipient
    category = Category(reminder.category)
    unsubscribe = links.unsubscribe_url(user_id=recipient.pk, category=category)
    with translation.override(settings.LANGUAGE_CODE), timezone.override(_recipient_zone(reminder)):
        context = {
            "recipient": recipient,
            "name": recipient.get_full_name() or recipient.email,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": unsubscribe,
            "category": category.label,
            "settings_url": links.absolute_url(
                "reminders:settings" if recipient.is_coach else "reminders:mine:preferences"
            ),
            **CONTEXTS[reminder.kind](reminder, now),
        }
        template = f"reminders/mail/{reminder.kind}"
        subject = " ".join(render_text(f"{template}-subject.txt", context).split())
        text = render_text(f"{template}-body.txt", context)
        html = render_to_string(f"{template}-body.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[recipient.email],
        headers={
            "Message-ID": reminder.message_id_for(links.mail_domain()),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: an automatic mail; out-of-office replies should not answer it.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
