"""Calendar feeds: they parse, hold exactly the person's sessions and due dates, and a new address
or switching off stops the old one working."""

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from assignments.progress.models import CalendarFeed
from assignments.progress.services import calendar_feed_renew
from tests.factories import AssignmentFactory, CoacheeFactory, CoachingSessionFactory

from .conftest import days


def feed_url(feed: CalendarFeed) -> str:
    return reverse("progress:feed:ics", args=[feed.token])


def events(client, feed) -> dict[str, object]:
    response = client.get(feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def calendars(coach, coachee, other_coach, other_coachee):
    """Sessions and homework of the coachee, of another coachee of the same coach, of an archived
    coachee and of another coach's coachee."""
    second = CoacheeFactory(coach=coach, name="Second Coachee")
    archived = CoacheeFactory(coach=coach, archived_at=days(-1))
    mine = {
        "session": CoachingSessionFactory(coachee=coachee, starts_at=days(7), location="Room 3"),
        "past": CoachingSessionFactory(coachee=coachee, starts_at=days(-7)),
        "cancelled": CoachingSessionFactory(coachee=coachee, starts_at=days(3), status="cancelled"),
        "at_session": AssignmentFactory(coachee=coachee, title="Due at the session", assigned_at=days(-1)),
        "dated": AssignmentFactory(coachee=coachee, title="Dated <homework>", due_at=days(4, hour=17)),
        "handed_in": AssignmentFactory(coachee=coachee, status="submitted", submitted_at=days(-1)),
        "reviewed": AssignmentFactory(coachee=coachee, status="reviewed"),
    }
    second_session = CoachingSessionFactory(coachee=second, starts_at=days(2))
    second_homework = AssignmentFactory(coachee=second, due_at=days(5))
    CoachingSessionFactory(coachee=archived, starts_at=days(2))
    AssignmentFactory(coachee=archived, due_at=days(5))
    CoachingSessionFactory(coachee=other_coachee, starts_at=days(2))
    AssignmentFactory(coachee=other_coachee, due_at=days(5))
    return mine, second_session, second_homework


def test_the_coachees_feed_holds_exactly_their_sessions_and_due_dates(client, coachee, calendars):
    mine, *_ = calendars
    found = events(client, calendar_feed_renew(user=coachee.user))
    assert set(found) == {
        f"session-{mine['session'].pk}@127.0.0.1",
        f"session-{mine['past'].pk}@127.0.0.1",
        f"homework-due-{mine['at_session'].pk}@127.0.0.1",
        f"homework-due-{mine['dated'].pk}@127.0.0.1",
    }
    session = found[f"session-{mine['session'].pk}@127.0.0.1"]
    assert session.decoded("DTSTART") == days(7)
    assert session.decoded("DTEND") == days(7) + timedelta(minutes=60)
    assert str(session["LOCATION"]) == "Room 3"
    assert str(session["SUMMARY"]) == "Coaching session with Clara Coach"
    # Without a date of its own, homework is due at the next session.
    assert found[f"homework-due-{mine['at_session'].pk}@127.0.0.1"].decoded("DTSTART") == days(7)
    dated = found[f"homework-due-{mine['dated'].pk}@127.0.0.1"]
    assert dated.decoded("DTSTART") == days(4, hour=17)
    assert str(dated["SUMMARY"]) == "Homework due: Dated <homework>"


def test_the_coachs_feed_holds_the_sessions_and_due_dates_of_their_active_coachees(client, coach, calendars):
    mine, second_session, second_homework = calendars
    found = events(client, calendar_feed_renew(user=coach))
    assert set(found) == {
        f"session-{mine['session'].pk}@127.0.0.1",
        f"session-{mine['past'].pk}@127.0.0.1",
        f"session-{second_session.pk}@127.0.0.1",
        f"homework-due-{mine['at_session'].pk}@127.0.0.1",
        f"homework-due-{mine['dated'].pk}@127.0.0.1",
        f"homework-due-{second_homework.pk}@127.0.0.1",
    }
    assert str(found[f"session-{second_session.pk}@127.0.0.1"]["SUMMARY"]) == "Coaching session with Second Coachee"


def test_a_feed_holds_no_private_notes(client, coach, coachee):
    CoachingSessionFactory(coachee=coachee, starts_at=days(2), coach_notes="Private: struggles at home")
    body = client.get(feed_url(calendar_feed_renew(user=coach))).content.decode()
    assert "struggles" not in body


def test_a_new_address_stops_the_old_one(client, coachee, calendars):
    old = calendar_feed_renew(user=coachee.user)
    old_url = feed_url(old)
    assert client.get(old_url).status_code == 200
    new = calendar_feed_renew(user=coachee.user)
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_renewing_and_switching_off_from_the_page(client, coachee):
    client.force_login(coachee.user)
    page = reverse("progress:mine:calendar")
    assert "Switch the calendar feed on" in client.get(page).content.decode()
    assert client.post(reverse("progress:mine:calendar_renew")).status_code == 302
    first = CalendarFeed.objects.get(user=coachee.user)
    assert feed_url(first) in client.get(page).content.decode()
    client.post(reverse("progress:mine:calendar_renew"))
    second = CalendarFeed.objects.get(user=coachee.user)
    assert second.token != first.token
    assert client.get(feed_url(first)).status_code == 404
    client.post(reverse("progress:mine:calendar_off"))
    assert client.get(feed_url(second)).status_code == 404
    assert client.get(reverse("progress:mine:calendar_renew")).status_code == 405


def test_the_coachs_page_shows_their_address(coach_client, coach):
    coach_client.post(reverse("progress:calendar_renew"))
    feed = CalendarFeed.objects.get(user=coach)
    assert feed_url(feed) in coach_client.get(reverse("progress:calendar")).content.decode()


def test_the_database_alone_does_not_open_a_feed(client, coachee):
    """Only the token's hash and a secret are stored; the address needs SECRET_KEY as well."""
    feed = calendar_feed_renew(user=coachee.user)
    assert feed.token not in (feed.secret, feed.token_hash)
    assert client.get(reverse("progress:feed:ics", args=[feed.secret])).status_code == 404
    assert client.get(reverse("progress:feed:ics", args=[feed.token_hash])).status_code == 404


def test_an_inactive_login_has_no_feed(client, coachee):
    feed = calendar_feed_renew(user=coachee.user)
    coachee.user.is_active = False
    coachee.user.save()
    assert client.get(feed_url(feed)).status_code == 404


@pytest.mark.parametrize("token", ["x", "a" * 65, "../etc", "%00", "a" * 43])
def test_made_up_tokens_answer_404(client, db, token):
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
