"""Where you are signed in: one's own sessions, ending one or every other, and a password change
ending the others (deleted from the session store, not only made invalid)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from coachhub.accounts.devices import SEEN_EVERY, device_name
from coachhub.accounts.models import SignInSession
from tests.factories import PASSWORD

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
SAFARI_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15"
)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def signed_in(user, user_agent=FIREFOX_WINDOWS, address="203.0.113.7") -> Client:
    """A browser of its own, logged in through the login page."""
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = browser.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    return browser


def session_key(browser: Client) -> str:
    return browser.cookies["sessionid"].value


def row_of(browser: Client) -> SignInSession:
    return SignInSession.objects.get(session_id=session_key(browser))


def is_logged_in(browser: Client) -> bool:
    return browser.get(reverse("account_sessions")).status_code == 200


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (CHROME_ANDROID, "Chrome on Android"),
        (EDGE_WINDOWS, "Edge on Windows"),
        (SAFARI_MAC, "Safari on macOS"),
        ("curl/8.5.0", "An unknown browser"),
        ("", "An unknown browser"),
    ],
)
def test_devices_are_named_from_the_user_agent(user_agent, name):
    assert device_name(user_agent) == name


def test_the_settings_page_links_to_the_sessions_page(coach_client):
    assert reverse("account_sessions") in coach_client.get(reverse("account_settings")).content.decode()


def test_a_person_sees_their_sessions_and_which_is_this_device(coach, other_coach):
    laptop = signed_in(coach, FIREFOX_WINDOWS, "203.0.113.7")
    signed_in(coach, SAFARI_IPHONE, "198.51.100.23")
    signed_in(other_coach, CHROME_ANDROID, "192.0.2.99")

    page = laptop.get(reverse("account_sessions")).content.decode()

    assert "Firefox on Windows" in page and "203.0.113.7" in page
    assert "Safari on iPhone" in page and "198.51.100.23" in page
    assert "Chrome on Android" not in page and "192.0.2.99" not in page  # someone else's
    assert page.count("This device") == 1
    assert page.index("Firefox on Windows") < page.index("This device") < page.index("Safari on iPhone")
    assert session_key(laptop) not in page  # the secret in the cookie never appears on a page
    # Times in the person's own zone (Europe/Berlin, UTC+1 in March).
    assert "Monday 2 March 2026, 10:00" in page


def test_ending_another_session_deletes_it(coach):
    laptop, phone = signed_in(coach), signed_in(coach, SAFARI_IPHONE)
    phone_row = row_of(phone)

    response = laptop.post(reverse("account_session_end", args=[phone_row.pk]))

    assert response["Location"] == reverse("account_sessions")
    assert not Session.objects.filter(session_key=session_key(phone)).exists()
    assert not SignInSession.objects.filter(pk=phone_row.pk).exists()
    assert not is_logged_in(phone)
    assert is_logged_in(laptop)


def test_another_persons_session_answers_404(coach, other_coach):
    laptop = signed_in(coach)
    theirs = signed_in(other_coach)

    response = laptop.post(reverse("account_session_end", args=[row_of(theirs).pk]))

    assert response.status_code == 404
    assert is_logged_in(theirs)


def test_this_devices_own_session_is_ended_by_logging_out_not_here(coach):
    laptop = signed_in(coach)
    assert laptop.post(reverse("account_session_end", args=[row_of(laptop).pk])).status_code == 404
    assert is_logged_in(laptop)


def test_ending_every_other_session(coach, other_coach):
    laptop, phone, tablet = signed_in(coach), signed_in(coach, SAFARI_IPHONE), signed_in(coach, CHROME_ANDROID)
    theirs = signed_in(other_coach)

    response = laptop.post(reverse("account_sessions_end_others"), follow=True)

    assert "2 other sessions have ended." in response.content.decode()
    assert not is_logged_in(phone) and not is_logged_in(tablet)
    assert is_logged_in(laptop) and is_logged_in(theirs)
    assert set(SignInSession.objects.filter(user=coach).values_list("session_id", flat=True)) == {session_key(laptop)}


def test_changing_the_password_deletes_every_other_session(coach):
    laptop, phone = signed_in(coach), signed_in(coach, SAFARI_IPHONE)
    phone_key, signed_in_at = session_key(phone), row_of(laptop).created_at
    new = "steady-meadow-paper-88"

    response = laptop.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )

    assert response["Location"] == reverse("password_change_done")
    assert not Session.objects.filter(session_key=phone_key).exists()  # gone from the store, not just invalid
    assert not SignInSession.objects.filter(session_id=phone_key).exists()
    assert is_logged_in(laptop)
    assert row_of(laptop).created_at == signed_in_at  # the current session is still listed, as it was
    assert list(SignInSession.objects.filter(user=coach)) == [row_of(laptop)]


def test_logging_out_removes_the_session_from_the_list(coach):
    laptop, phone = signed_in(coach), signed_in(coach, SAFARI_IPHONE)
    phone.post(reverse("logout"))
    assert list(SignInSession.objects.filter(user=coach)) == [row_of(laptop)]


def test_expired_sessions_are_not_listed_and_go_at_the_next_sign_in(coach, frozen_clock, settings):
    old_phone = signed_in(coach, SAFARI_IPHONE)
    old_key = session_key(old_phone)
    frozen_clock.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))

    laptop = signed_in(coach)
    assert "Safari on iPhone" not in laptop.get(reverse("account_sessions")).content.decode()
    assert not Session.objects.filter(session_key=old_key).exists()
    assert not SignInSession.objects.filter(session_id=old_key).exists()


def test_last_seen_is_written_every_few_minutes_not_on_every_request(coach, frozen_clock):
    laptop = signed_in(coach, address="203.0.113.7")
    frozen_clock.shift(timedelta(minutes=1))
    laptop.get(reverse("account_sessions"), REMOTE_ADDR="198.51.100.1")
    assert row_of(laptop).last_seen_at == NOW

    frozen_clock.shift(SEEN_EVERY)
    laptop.get(reverse("account_sessions"), REMOTE_ADDR="198.51.100.1")
    row = row_of(laptop)
    assert row.last_seen_at == NOW + timedelta(minutes=1) + SEEN_EVERY
    assert row.ip == "198.51.100.1"
    assert row.created_at == NOW


def test_a_session_from_before_the_list_existed_appears_on_its_next_request(coach, client):
    client.force_login(coach)
    SignInSession.objects.all().delete()
    cache.clear()  # nothing was noted of it either
    client.get(reverse("account_sessions"), HTTP_USER_AGENT=SAFARI_MAC)
    assert "Safari on macOS" in client.get(reverse("account_sessions")).content.decode()


def test_ending_sessions_asks_first(coach):
    laptop, phone = signed_in(coach), signed_in(coach, SAFARI_IPHONE)
    page = laptop.get(reverse("account_sessions")).content.decode()
    end_one = reverse("account_session_end", args=[row_of(phone).pk])
    assert f'action="{end_one}" class="mt-2" data-confirm="End this session?' in page
    assert 'data-confirm="End every other session?' in page
    assert "End the session on Safari on iPhone" in page


@pytest.mark.parametrize("name", ["account_sessions", "account_sessions_end_others", "account_sign_in_notices"])
def test_anonymous_is_sent_to_login(client, db, name):
    for response in (client.get(reverse(name)), client.post(reverse(name))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("account_session_end", args=[1]))
    assert response["Location"].startswith(reverse("login"))


def test_the_wrong_method_is_refused(coach_client, coach):
    assert coach_client.post(reverse("account_sessions")).status_code == 405
    assert coach_client.get(reverse("account_sessions_end_others")).status_code == 405
    assert coach_client.get(reverse("account_sign_in_notices")).status_code == 405
    assert coach_client.get(reverse("account_session_end", args=[1])).status_code == 405


@pytest.mark.parametrize("size", [1, 8])
def test_the_list_takes_the_same_queries_however_long(size, coach, django_assert_max_num_queries):
    browsers = [signed_in(coach, SAFARI_IPHONE) for _ in range(size)]
    with django_assert_max_num_queries(8):
        assert browsers[0].get(reverse("account_sessions")).status_code == 200
