"""iCalendar feeds: a person's coaching sessions and the due dates of their homework.

A coach's feed holds the sessions of their active coachees that are not cancelled, and the due
dates of homework still to do (not started or started); a coachee's feed holds the same of their own.
Homework without a date of its own is due at the coachee's next session, as everywhere else.
Private notes, answers and other coaching content never go into a feed: subscriptions are fetched
by calendar services and kept on phones.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from assignments.models import Assignment
from sessions.models import CoachingSession

# Calendar apps that honour it fetch the feed again this often.
REFRESH = timedelta(hours=4)
TO_DO = [Assignment.Status.ASSIGNED, Assignment.Status.STARTED]


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'coachhub'}"


def _link(name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def feed_items(user, now: datetime | None = None):
    """The sessions and the homework with a due date that belong in `user`'s feed. Two queries."""
    now = now or timezone.now()
    if user.is_coach:
        sessions = CoachingSession.objects.for_coach(user).filter(coachee__archived_at__isnull=True)
        homework = Assignment.objects.for_coach(user).filter(coachee__archived_at__isnull=True)
    else:
        sessions = CoachingSession.objects.filter(coachee__user=user)
        homework = Assignment.objects.for_coachee_user(user)
    sessions = sessions.not_cancelled().select_related("coachee__coach").order_by("starts_at", "pk")
    homework = homework.filter(status__in=TO_DO).with_review_loop(now).select_related("coachee").order_by("pk")
    due = [(a, a.effective_due_at()) for a in homework]
    return list(sessions), [(a, when) for a, when in due if when is not None]


def feed(user, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    sessions, homework = feed_items(user, now)
    calendar = Calendar()
    calendar.add("prodid", "-//CoachHub//Homework between coaching sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("CoachHub: %(name)s") % {"name": user.get_short_name()})
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for session in sessions:
        calendar.add_component(_session_event(user, session, now))
    for assignment, due in homework:
        calendar.add_component(_due_event(user, assignment, due, now))
    return calendar.to_ical()


def _session_event(user, session: CoachingSession, now: datetime) -> Event:
    event = Event()
    event.add("uid", _uid("session", session.pk))
    event.add("dtstamp", now)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    if user.is_coach:
        event.add("summary", _("Coaching session with %(name)s") % {"name": session.coachee.name})
        link = _link("homework:session_detail", session.pk)
    else:
        event.add("summary", _("Coaching session with %(name)s") % {"name": session.coachee.coach.name})
        link = _link("my:home")
    place = session.location or session.video_url
    if place:
        event.add("location", place)
    lines = [session.video_url and _("Video link: %(url)s") % {"url": session.video_url}, link]
    event.add("description", "\n".join(line for line in lines if line))
    event.add("url", link)
    event.add("status", "CONFIRMED")
    return event


def _due_event(user, assignment: Assignment, due: datetime, now: datetime) -> Event:
    event = Event()
    event.add("uid", _uid("homework-due", assignment.pk))
    event.add("dtstamp", now)
    # A moment, not a stretch of time: it takes no room in the day.
    event.add("dtstart", due)
    event.add("transp", "TRANSPARENT")
    if user.is_coach:
        summary = _("Homework due: %(title)s (%(name)s)") % {"title": assignment.title, "name": assignment.coachee.name}
        link = _link("homework:assignment_detail", assignment.pk)
    else:
        summary = _("Homework due: %(title)s") % {"title": assignment.title}
        link = _link("my:assignment", assignment.pk)
    event.add("summary", summary)
    event.add("description", link)
    event.add("url", link)
    return event
