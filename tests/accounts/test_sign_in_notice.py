"""A sign-in from a device new to the account is mailed to its owner (by the worker): coaches by
default, coachees when they turn it on; a known browser, and an account's very first, are not news."""

import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from coachhub.accounts import devices
from coachhub.accounts.models import KnownDevice
from tests.accounts.conftest import link_in
from tests.accounts.test_sessions_page import FIREFOX_WINDOWS, SAFARI_IPHONE, frozen_clock  # noqa: F401
from tests.factories import PASSWORD, UserFactory

SUBJECT = "New sign-in to your CoachHub account"


@pytest.fixture(autouse=True)
def _worker(tasks_run_at_once):
    """Queued mail is sent at once, in this process, as the worker would send it."""


def log_in(browser: Client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    return browser


def browser(user_agent=FIREFOX_WINDOWS, address="203.0.113.7") -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)


def notices(mailoutbox):
    return [mail for mail in mailoutbox if mail.subject == SUBJECT]


def test_a_coach_signing_in_on_a_new_device_gets_a_mail(coach, mailoutbox, django_capture_on_commit_callbacks):
    log_in(browser(), coach, django_capture_on_commit_callbacks)
    assert notices(mailoutbox) == []  # the account's first browser

    log_in(browser(SAFARI_IPHONE, "198.51.100.23"), coach, django_capture_on_commit_callbacks)

    [mail] = notices(mailoutbox)
    assert mail.to == [coach.email]
    assert "Safari on iPhone" in mail.body
    assert "198.51.100.23" in mail.body
    assert "Monday 2 March 2026, 10:00 (Europe/Berlin)" in mail.body  # 09:00 UTC in the coach's zone
    assert link_in(mail, reverse("account_sessions"))
    assert link_in(mail, reverse("password_reset"))
    assert "Safari on iPhone" in mail.alternatives[0][0]


def test_a_known_device_gets_no_mail(coach, mailoutbox, django_capture_on_commit_callbacks):
    log_in(browser(), coach, django_capture_on_commit_callbacks)
    phone = log_in(browser(SAFARI_IPHONE), coach, django_capture_on_commit_callbacks)
    assert len(notices(mailoutbox)) == 1

    phone.post(reverse("logout"))
    log_in(phone, coach, django_capture_on_commit_callbacks)  # the same browser, its device cookie kept

    assert len(notices(mailoutbox)) == 1


def test_the_device_cookie_is_signed_and_only_its_hash_is_stored(coach, django_capture_on_commit_callbacks):
    laptop = log_in(browser(), coach, django_capture_on_commit_callbacks)
    cookie = laptop.cookies[devices.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == int(devices.DEVICE_COOKIE_MAX_AGE.total_seconds())
    device_id = signing.get_cookie_signer(salt=devices.DEVICE_COOKIE + devices.DEVICE_SALT).unsign(cookie.value)
    stored = KnownDevice.objects.get(user=coach).token_hash
    assert device_id not in stored and stored == devices._device_hash(device_id)


def test_a_made_up_device_cookie_counts_as_a_new_device(coach, mailoutbox, django_capture_on_commit_callbacks):
    laptop = log_in(browser(), coach, django_capture_on_commit_callbacks)
    stranger = browser(SAFARI_IPHONE)
    stranger.cookies[devices.DEVICE_COOKIE] = laptop.cookies[devices.DEVICE_COOKIE].value + "x"

    log_in(stranger, coach, django_capture_on_commit_callbacks)

    assert len(notices(mailoutbox)) == 1


def test_a_coachee_gets_no_mail_by_default(coachee, mailoutbox, django_capture_on_commit_callbacks):
    log_in(browser(), coachee.user, django_capture_on_commit_callbacks)
    log_in(browser(SAFARI_IPHONE), coachee.user, django_capture_on_commit_callbacks)
    assert notices(mailoutbox) == []


def test_a_coachee_who_turns_it_on_gets_the_mail(coachee, mailoutbox, django_capture_on_commit_callbacks):
    laptop = log_in(browser(), coachee.user, django_capture_on_commit_callbacks)
    page = laptop.get(reverse("account_sessions")).content.decode()
    assert 'name="sign_in_notices"' in page and "checked" not in page

    response = laptop.post(reverse("account_sign_in_notices"), {"sign_in_notices": "on"}, follow=True)
    assert "You will get a mail when someone signs in from a new device." in response.content.decode()
    coachee.user.refresh_from_db()
    assert coachee.user.sign_in_notices is True

    log_in(browser(SAFARI_IPHONE), coachee.user, django_capture_on_commit_callbacks)
    assert [mail.to for mail in notices(mailoutbox)] == [[coachee.user.email]]


def test_a_coach_who_turns_it_off_gets_no_mail(coach, mailoutbox, django_capture_on_commit_callbacks):
    laptop = log_in(browser(), coach, django_capture_on_commit_callbacks)
    assert "checked" in laptop.get(reverse("account_sessions")).content.decode()

    laptop.post(reverse("account_sign_in_notices"), {})  # the box unticked
    coach.refresh_from_db()
    assert coach.sign_in_notices is False

    log_in(browser(SAFARI_IPHONE), coach, django_capture_on_commit_callbacks)
    assert notices(mailoutbox) == []


def test_signing_up_sends_no_notice_but_the_next_new_device_does(db, mailoutbox, django_capture_on_commit_callbacks):
    password = "calm-river-lantern-42"
    laptop = browser()
    with django_capture_on_commit_callbacks(execute=True):
        laptop.post(
            reverse("signup"),
            {
                "name": "Nora Newcoach",
                "email": "nora@example.com",
                "language": "en",
                "timezone": "Europe/Berlin",
                "password1": password,
                "password2": password,
            },
        )
    confirmation = re.search(r"https?://\S+(/accounts/confirm/\S+/)", mailoutbox[0].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        laptop.post(confirmation)  # the first sign-in of the account
    assert notices(mailoutbox) == []

    with django_capture_on_commit_callbacks(execute=True):
        browser(SAFARI_IPHONE).post(reverse("login"), {"username": "nora@example.com", "password": password})
    assert [mail.to for mail in notices(mailoutbox)] == [["nora@example.com"]]


def test_the_mail_is_queued_for_the_worker_not_sent_in_the_request(
    coach, mailoutbox, django_capture_on_commit_callbacks
):
    log_in(browser(), coach, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        browser(SAFARI_IPHONE).post(reverse("login"), {"username": coach.email, "password": PASSWORD})
    assert notices(mailoutbox) == []  # nothing sent while the request ran
    assert len(callbacks) == 1


def test_another_account_on_the_same_browser_is_new_to_that_account(
    coach, mailoutbox, django_capture_on_commit_callbacks
):
    other = UserFactory(email="second@example.com")
    log_in(browser(SAFARI_IPHONE), other, django_capture_on_commit_callbacks)  # other's first browser
    log_in(browser(), coach, django_capture_on_commit_callbacks)  # coach's first browser
    shared = log_in(browser(SAFARI_IPHONE), other, django_capture_on_commit_callbacks)
    assert len(notices(mailoutbox)) == 1
    shared.post(reverse("logout"))

    log_in(shared, coach, django_capture_on_commit_callbacks)

    assert [mail.to for mail in notices(mailoutbox)] == [[other.email], [coach.email]]
