"""Scheduling, rescheduling, cancelling and holding sessions, in the coach's time zone."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from sessions.models import CoachingSession
from tests.conftest import assert_sent_to_own_homework
from tests.factories import CoachingSessionFactory, UserFactory
from tests.sessions.conftest import assert_redirects_to_login, form_errors

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(coachee):
    return CoachingSessionFactory(
        coachee=coachee, starts_at=datetime(2026, 11, 10, 14, 0, tzinfo=UTC), location="Office"
    )


def _create_url(coachee):
    return reverse("coaching:session_create", args=[coachee.pk])


def _url(name, session):
    # Marking a session held settles its homework, so that page lives with the homework pages.
    if name == "session_hold":
        return reverse("homework:session_hold", args=[session.pk])
    return reverse(f"coaching:{name}", args=[session.pk])


def _data(**overrides):
    data = {"starts_at": "2026-12-01T10:00", "duration_minutes": "90", "location": "", "video_url": ""}
    return {**data, **overrides}


def _edit_data(**overrides):
    return _data(**{"coach_notes": "", "shared_summary": "", **overrides})


# --- Schedule -----------------------------------------------------------------------------------


def test_owner_opens_the_schedule_form(coach_client, coachee):
    response = coach_client.get(_create_url(coachee))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="datetime-local"' in page
    assert "In your time zone (Europe/Berlin)" in page


def test_owner_schedules_a_session_in_their_own_time_zone(coach_client, coachee):
    response = coach_client.post(_create_url(coachee), _data(video_url="https://meet.example.com/cody"))

    session = CoachingSession.objects.get(coachee=coachee)
    assert response.status_code == 302
    assert response["Location"] == reverse("homework:session_detail", args=[session.pk])
    assert session.starts_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Berlin (CET)
    assert (session.duration_minutes, session.video_url) == (90, "https://meet.example.com/cody")
    assert session.status == CoachingSession.Status.SCHEDULED


def test_the_success_message_shows_the_date_as_the_pages_do(coach_client, coachee):
    response = coach_client.post(_create_url(coachee), _data(), follow=True)

    page = response.content.decode()
    assert "Session on Tue 1 Dec 2026, 10:00 scheduled." in page
    assert "a.m." not in page


def test_the_coachs_zone_counts_not_the_coachees(client, db):
    coach = UserFactory(timezone="America/New_York")
    person = coach.coachees.create(name="Pat", email="pat@example.com", timezone="Asia/Tokyo")
    client.force_login(coach)

    client.post(_create_url(person), _data())

    assert person.sessions.get().starts_at == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "starts_at",
    ["next tuesday", "2026-02-30T10:00", "2026-12-01T25:00", "0001-01-01T00:00", "99999-01-01T10:00", ""],
)
def test_malformed_or_missing_date_is_a_form_error(coach_client, coachee, starts_at):
    response = coach_client.post(_create_url(coachee), _data(starts_at=starts_at))

    assert form_errors(response)["starts_at"]
    assert not coachee.sessions.exists()


def test_time_that_does_not_exist_in_the_coachs_zone_is_a_form_error(coach_client, coachee):
    # Berlin clocks jump from 02:00 to 03:00 on 28 March 2027.
    response = coach_client.post(_create_url(coachee), _data(starts_at="2027-03-28T02:30"))

    assert form_errors(response)["starts_at"]
    assert not coachee.sessions.exists()


@pytest.mark.parametrize("duration", ["4", "601", "abc", ""])
def test_duration_outside_5_to_600_minutes_is_a_form_error(coach_client, coachee, duration):
    response = coach_client.post(_create_url(coachee), _data(duration_minutes=duration))

    assert form_errors(response)["duration_minutes"]
    assert not coachee.sessions.exists()


def test_bad_video_link_and_over_long_place_are_form_errors(coach_client, coachee):
    response = coach_client.post(_create_url(coachee), _data(video_url="javascript:alert(1)", location="p" * 201))

    errors = form_errors(response)
    assert "complete web address" in errors["video_url"][0]
    assert "at most 200 characters" in errors["location"][0]
    assert not coachee.sessions.exists()


def test_another_coachs_coachee_is_404(coach_client, other_coachee):
    assert coach_client.get(_create_url(other_coachee)).status_code == 404
    assert coach_client.post(_create_url(other_coachee), _data()).status_code == 404
    assert not other_coachee.sessions.exists()


def test_schedule_for_anonymous_and_coachee_logins(client, coachee_client, coachee):
    assert_redirects_to_login(client.post(_create_url(coachee), _data()))
    assert_sent_to_own_homework(coachee_client.post(_create_url(coachee), _data()))
    assert not coachee.sessions.exists()


# --- Edit and reschedule ------------------------------------------------------------------------


def test_edit_form_shows_the_start_in_the_coachs_time_zone(coach_client, session):
    response = coach_client.get(_url("session_edit", session))

    assert response.status_code == 200
    assert 'value="2026-11-10T15:00"' in response.content.decode()  # 14:00 UTC is 15:00 in Berlin


def test_reschedule_is_interpreted_in_the_coachs_time_zone(coach_client, session):
    response = coach_client.post(
        _url("session_edit", session),
        _edit_data(starts_at="2026-12-01T10:00", coach_notes="Tense about the review", shared_summary="We agreed"),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("homework:session_detail", args=[session.pk])
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert (session.coach_notes, session.shared_summary) == ("Tense about the review", "We agreed")
    assert session.location == ""


def test_reschedule_across_daylight_saving_time(coach_client, session):
    coach_client.post(_url("session_edit", session), _edit_data(starts_at="2027-06-01T10:00"))

    session.refresh_from_db()
    assert session.starts_at == datetime(2027, 6, 1, 8, 0, tzinfo=UTC)  # CEST is two hours ahead


def test_over_long_notes_and_malformed_date_on_edit_are_form_errors(coach_client, session):
    response = coach_client.post(
        _url("session_edit", session), _edit_data(starts_at="01/12/2026 10am", coach_notes="n" * 20001)
    )

    errors = form_errors(response)
    assert set(errors) == {"starts_at", "coach_notes"}
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 11, 10, 14, 0, tzinfo=UTC)
    assert session.coach_notes == ""


def test_another_coach_cannot_open_or_reschedule(other_coach_client, session):
    assert other_coach_client.get(_url("session_edit", session)).status_code == 404
    assert other_coach_client.post(_url("session_edit", session), _edit_data()).status_code == 404
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 11, 10, 14, 0, tzinfo=UTC)


def test_edit_for_anonymous_and_coachee_logins(client, coachee_client, session):
    assert_redirects_to_login(client.get(_url("session_edit", session)))
    assert_sent_to_own_homework(coachee_client.get(_url("session_edit", session)))


def test_unknown_session_id_is_404(coach_client):
    assert coach_client.get(reverse("coaching:session_edit", args=[999999])).status_code == 404


# --- Cancel and mark as held --------------------------------------------------------------------


def test_get_is_not_allowed_for_cancelling(coach_client, session):
    assert coach_client.get(_url("session_cancel", session)).status_code == 405
    session.refresh_from_db()
    assert session.status == CoachingSession.Status.SCHEDULED


def test_opening_the_mark_as_held_page_changes_nothing(client, coach, session):
    with time_machine.travel(datetime(2026, 11, 10, 14, 30, tzinfo=UTC), tick=False):
        client.force_login(coach)
        response = client.get(_url("session_hold", session))
    assert response.status_code == 200
    assert "Mark the session as held" in response.content.decode()
    session.refresh_from_db()
    assert session.status == CoachingSession.Status.SCHEDULED


def test_a_held_session_cannot_be_cancelled(client, coach, session):
    with time_machine.travel(datetime(2026, 11, 10, 14, 30, tzinfo=UTC), tick=False):
        client.force_login(coach)
        client.post(_url("session_hold", session))
        page = client.get(reverse("homework:session_detail", args=[session.pk])).content.decode()
        response = client.post(_url("session_cancel", session))
        after = client.get(response["Location"]).content.decode()
    session.refresh_from_db()
    assert session.status == CoachingSession.Status.HELD
    assert session.held_at == datetime(2026, 11, 10, 14, 30, tzinfo=UTC)
    assert reverse("coaching:session_cancel", args=[session.pk]) not in page
    assert "was held, so it cannot be cancelled" in after


def test_owner_cancels_a_session(coach_client, session):
    response = coach_client.post(_url("session_cancel", session))

    assert response.status_code == 302
    assert response["Location"] == reverse("homework:coachee_detail", args=[session.coachee_id])
    session.refresh_from_db()
    assert session.status == CoachingSession.Status.CANCELLED


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 11, 10, 13, 0, tzinfo=UTC),  # an hour before it starts: it has opened
        datetime(2026, 11, 10, 14, 30, tzinfo=UTC),  # under way
        datetime(2026, 11, 20, 9, 0, tzinfo=UTC),  # days later
    ],
)
def test_owner_marks_a_session_as_held_once_it_has_opened(now, client, coach, session):
    with time_machine.travel(now, tick=False):
        client.force_login(coach)
        response = client.post(_url("session_hold", session))
        page = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert response["Location"] == reverse("homework:session_detail", args=[session.pk])
    session.refresh_from_db()
    assert session.status == CoachingSession.Status.HELD
    assert "Session on Tue 10 Nov 2026, 15:00 marked as held." in page


def test_a_session_that_lies_ahead_cannot_be_marked_as_held(coach_client, session):
    with time_machine.travel(datetime(2026, 11, 10, 12, 59, tzinfo=UTC), tick=False):
        response = coach_client.post(_url("session_hold", session))
        page = coach_client.get(response["Location"]).content.decode()

    session.refresh_from_db()
    assert session.status == CoachingSession.Status.SCHEDULED
    assert "has not started yet. You can mark it as held from an hour before it starts." in page
    assert reverse("homework:session_hold", args=[session.pk]) not in page


def test_a_cancelled_session_cannot_become_held(client, coach, session):
    session.status = CoachingSession.Status.CANCELLED
    session.save()

    with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), tick=False):
        client.force_login(coach)
        response = client.post(_url("session_hold", session))
        page = client.get(response["Location"]).content.decode()
        edit_page = client.get(_url("session_edit", session)).content.decode()

    session.refresh_from_db()
    assert session.status == CoachingSession.Status.CANCELLED
    assert "is cancelled, so it cannot be marked as held" in page
    assert reverse("homework:session_hold", args=[session.pk]) not in edit_page


def test_status_change_leaves_a_message_with_the_date_as_pages_show_it(coach_client, session):
    coach_client.post(_url("session_cancel", session))

    # The message waits in the session for the next page the coach opens.
    page = coach_client.get(reverse("coaching:coachee_list")).content.decode()
    assert "Session on Tue 10 Nov 2026, 15:00 cancelled." in page
    assert "p.m." not in page and "Nov." not in page


def test_cancelling_asks_first_where_the_browser_can(coach_client, session):
    page = coach_client.get(reverse("homework:session_detail", args=[session.pk])).content.decode()
    edit_page = coach_client.get(_url("session_edit", session)).content.decode()

    cancel = reverse("coaching:session_cancel", args=[session.pk])
    question = "Cancel this session? Its homework moves on to the next session."
    for html in (page, edit_page):
        assert f'action="{cancel}" data-confirm="{question}"' in html
    assert "js/confirm.js" in page


@pytest.mark.parametrize("name", ["session_cancel", "session_hold"])
def test_another_coach_gets_404_and_changes_nothing(other_coach_client, session, name):
    assert other_coach_client.post(_url(name, session)).status_code == 404
    session.refresh_from_db()
    assert session.status == CoachingSession.Status.SCHEDULED


@pytest.mark.parametrize("name", ["session_cancel", "session_hold"])
def test_anonymous_and_coachee_logins(client, coachee_client, session, name):
    assert_redirects_to_login(client.post(_url(name, session)))
    assert_sent_to_own_homework(coachee_client.post(_url(name, session)))
    session.refresh_from_db()
    assert session.status == CoachingSession.Status.SCHEDULED


def test_a_held_session_keeps_its_date_but_takes_notes(client, coach, session):
    """What was reviewed and carried over at a held session is placed by its date."""
    with time_machine.travel(datetime(2026, 11, 10, 14, 30, tzinfo=UTC), tick=False):
        client.force_login(coach)
        client.post(_url("session_hold", session))
        form = client.get(_url("session_edit", session)).content.decode()
        response = client.post(
            _url("session_edit", session), _edit_data(starts_at="2026-12-01T10:00", coach_notes="Went well")
        )

    assert "This session was held, so its date and time stay as they were." in form
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 11, 10, 14, 0, tzinfo=UTC)
    assert session.coach_notes == "Went well"


def test_the_service_refuses_to_move_a_held_session(session):
    from sessions.services import SessionHeld, session_mark_held, session_update

    session_mark_held(session=session, now=datetime(2026, 11, 10, 14, 30, tzinfo=UTC))
    with pytest.raises(SessionHeld):
        session_update(session=session, starts_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 11, 10, 14, 0, tzinfo=UTC)
