"""Account settings: anyone logged in changes their name and time zone; the email stays as it is."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.factories import CoachingSessionFactory
from tests.sessions.conftest import assert_redirects_to_login

URL = reverse("account_settings")


def test_anonymous_is_sent_to_login(client, db):
    assert_redirects_to_login(client.get(URL))
    assert_redirects_to_login(client.post(URL, {"name": "X", "timezone": "UTC"}))


@pytest.mark.parametrize("who", ["coach", "coachee"])
def test_the_page_shows_the_settings_and_a_password_link(who, client, coach, coachee):
    user = coach if who == "coach" else coachee.user
    client.force_login(user)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{user.name}"' in page
    assert f'<option value="{user.timezone}" selected>' in page
    assert user.email in page
    assert 'name="email"' not in page
    assert reverse("password_change") in page


def test_every_page_links_to_the_settings(client, coachee):
    client.force_login(coachee.user)

    assert URL in client.get(reverse("password_change")).content.decode()


def test_a_coachee_changes_name_and_time_zone(client, coachee):
    user = coachee.user
    client.force_login(user)

    response = client.post(
        URL, {"name": "Cody C.", "language": "en", "timezone": "America/Toronto", "email": "new@example.com"}
    )

    assert response.status_code == 302
    assert response["Location"] == URL
    user.refresh_from_db()
    assert (user.name, user.timezone, user.email) == ("Cody C.", "America/Toronto", "cody@example.com")
    assert "Your settings are saved" in client.get(URL).content.decode()
    # The coach's record follows: the coach's pages and the reminders use its time zone.
    coachee.refresh_from_db()
    assert (coachee.name, coachee.timezone, coachee.email) == ("Cody C.", "America/Toronto", "cody@example.com")


def test_a_coachs_change_touches_no_coachee_record(coach_client, coach, coachee):
    coach_client.post(URL, {"name": "Clara C.", "language": "en", "timezone": "Asia/Tokyo"})

    coach.refresh_from_db()
    coachee.refresh_from_db()
    assert (coach.name, coach.timezone) == ("Clara C.", "Asia/Tokyo")
    assert (coachee.name, coachee.timezone) == ("Cody Coachee", "Europe/Berlin")


def test_the_coach_sees_the_time_zone_the_coachee_chose(client, coach, coachee):
    client.force_login(coachee.user)
    client.post(URL, {"name": "Cody Coachee", "language": "en", "timezone": "America/Toronto"})

    client.force_login(coach)
    page = client.get(reverse("homework:coachee_detail", args=[coachee.pk])).content.decode()

    assert "time zone America/Toronto" in page


def test_a_coachees_email_is_explained_as_their_login(client, coachee):
    client.force_login(coachee.user)

    page = client.get(URL).content.decode()

    assert "You log in with this address, and your coach has it too." in page
    assert "ask the administrator of this CoachHub site" in page


def test_times_are_shown_in_the_new_time_zone(client, coach, coachee):
    CoachingSessionFactory(coachee=coachee, starts_at=datetime(2031, 1, 10, 12, 0, tzinfo=UTC))
    client.force_login(coach)

    client.post(URL, {"name": coach.name, "language": "en", "timezone": "Asia/Tokyo"})
    tokyo = client.get(reverse("coaching:coachee_list")).content.decode()
    client.post(URL, {"name": coach.name, "language": "en", "timezone": "America/New_York"})
    new_york = client.get(reverse("coaching:coachee_list")).content.decode()

    assert "Fri 10 Jan 2031, 21:00" in tokyo
    assert "Fri 10 Jan 2031, 07:00" in new_york


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "language": "en", "timezone": "UTC"}, "name", "Enter your name"),
        ({"name": "x" * 151, "language": "en", "timezone": "UTC"}, "name", "Shorten the name"),
        ({"name": "Clara", "timezone": "Mars/Olympus"}, "timezone", "Choose a time zone"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(data, field, message, coach_client, coach):
    response = coach_client.post(URL, data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    coach.refresh_from_db()
    assert (coach.name, coach.timezone) == ("Clara Coach", "Europe/Berlin")
    # A refused name does not show up in the navbar either.
    assert "Clara Coach" in response.content.decode()


def test_other_methods_are_refused(coach_client):
    assert coach_client.put(URL).status_code == 405
