"""One-time login links: asked for by email address, opened with a confirm button, used once."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from sesame.utils import get_query_string

from coachhub.accounts.models import User
from tests.accounts.conftest import link_in
from tests.accounts.test_login import login
from tests.factories import PASSWORD, UserFactory

REQUEST_URL = reverse("login_link")
OPEN_URL = reverse("login_link_open")


def ask_for_link(client, email, **extra):
    return client.post(REQUEST_URL, {"email": email}, **extra)


def mailed_link(mail) -> str:
    """The path and query of the login link in a mail (the test client speaks no scheme or host)."""
    parts = urlsplit(link_in(mail, OPEN_URL))
    return f"{parts.path}?{parts.query}"


def logged_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_login_page_offers_a_login_link(client, db):
    page = client.get(reverse("login")).content.decode()

    assert REQUEST_URL in page
    assert "Email me a login link" in page


def test_the_request_page_asks_for_an_email_address(client, db):
    response = client.get(REQUEST_URL)

    assert response.status_code == 200
    assert 'type="email"' in response.content.decode()


@pytest.mark.parametrize("who", ["coach", "coachee"])
def test_a_link_is_mailed_to_an_account(who, client, coach, coachee, mailoutbox, settings):
    settings.SITE_URL = "https://coachhub.example.org"
    user = coach if who == "coach" else coachee.user

    response = ask_for_link(client, user.email.upper())

    assert response.status_code == 302
    assert response["Location"] == reverse("login_link_sent")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [user.email]
    assert mail.subject == "Your CoachHub login link"
    assert link_in(mail, OPEN_URL).startswith(f"https://coachhub.example.org{OPEN_URL}?sesame=")
    assert "15 minutes" in mail.body
    page = client.get(response["Location"]).content.decode()
    assert "If an account uses the address you entered, a login link is on its way" in page


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, coach, mailoutbox):
    known = ask_for_link(client, coach.email)
    mailoutbox.clear()

    unknown = ask_for_link(client, "nobody@example.com")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mailoutbox == []


def test_an_inactive_account_gets_no_link(client, coach, mailoutbox):
    User.objects.filter(pk=coach.pk).update(is_active=False)

    response = ask_for_link(client, coach.email)

    assert response["Location"] == reverse("login_link_sent")
    assert mailoutbox == []


def test_a_malformed_address_is_a_form_error(client, db, mailoutbox):
    response = client.post(REQUEST_URL, {"email": "not an address"})

    assert response.status_code == 200
    assert "Enter a complete email address" in response.content.decode()
    assert mailoutbox == []


def test_opening_the_link_shows_a_button_and_does_not_log_in(client, coachee, mailoutbox):
    ask_for_link(client, coachee.email)
    link = mailed_link(mailoutbox[0])

    response = client.get(link)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Log me in" in page
    assert 'method="post"' in page
    assert logged_in_as(client) is None
    # A mail scanner's GET does not use the link up.
    assert client.post(link)["Location"] == reverse("home")


def test_pressing_the_button_logs_in(client, coachee, mailoutbox):
    ask_for_link(client, coachee.email)

    response = client.post(mailed_link(mailoutbox[0]))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == str(coachee.user.pk)


def test_a_link_works_once(client, coachee, mailoutbox):
    ask_for_link(client, coachee.email)
    link = mailed_link(mailoutbox[0])
    client.post(link)
    client.post(reverse("logout"))

    response = client.post(link)

    assert response.status_code == 400
    page = response.content.decode()
    assert "does not work any more" in page
    assert REQUEST_URL in page
    assert logged_in_as(client) is None


def test_a_password_login_also_uses_up_an_open_link(client, coachee, mailoutbox):
    ask_for_link(client, coachee.email)
    link = mailed_link(mailoutbox[0])
    login(client, coachee.email, PASSWORD)
    client.post(reverse("logout"))

    assert client.post(link).status_code == 400
    assert logged_in_as(client) is None


def test_a_link_expires_after_15_minutes(client, coachee, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ask_for_link(client, coachee.email)
    link = mailed_link(mailoutbox[0])

    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        response = client.post(link)

    assert response.status_code == 400
    assert logged_in_as(client) is None


def test_a_link_still_works_just_before_it_expires(client, coachee, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ask_for_link(client, coachee.email)
    link = mailed_link(mailoutbox[0])

    with time_machine.travel(start + timedelta(minutes=14, seconds=50), tick=False):
        response = client.post(link)

    assert response["Location"] == reverse("home")


@pytest.mark.parametrize(
    "query", ["?sesame=", "?sesame=forged-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "?sesame=" + "x" * 5000, "?other=1"]
)
def test_a_missing_or_forged_token_is_refused_with_a_way_on(query, client, db):
    response = client.post(OPEN_URL + query)

    assert response.status_code == 400
    assert REQUEST_URL in response.content.decode()
    assert logged_in_as(client) is None


def test_the_link_page_without_a_token_says_how_to_get_one(client, db):
    response = client.get(OPEN_URL)

    assert response.status_code == 400
    assert "Email me a new login link" in response.content.decode()


def test_failed_links_do_not_block_a_good_one(client, coachee, mailoutbox):
    for _ in range(6):
        client.post(OPEN_URL + "?sesame=forged-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    ask_for_link(client, coachee.email)

    response = client.post(mailed_link(mailoutbox[0]))

    assert response["Location"] == reverse("home")


def test_a_token_made_for_another_purpose_is_refused(client, coachee):
    # Tokens without the login-link scope (as any other use of the library would make) do not work here.
    response = client.post(OPEN_URL + get_query_string(coachee.user))

    assert response.status_code == 400
    assert logged_in_as(client) is None


def test_a_token_on_any_other_page_does_not_log_in(client, coachee, mailoutbox):
    ask_for_link(client, coachee.email)
    query = urlsplit(mailed_link(mailoutbox[0])).query

    client.get(f"{reverse('home')}?{query}")

    assert logged_in_as(client) is None


def test_the_open_page_answers_only_get_and_post(client, db):
    assert client.put(OPEN_URL).status_code == 405
    assert client.put(REQUEST_URL).status_code == 405


def test_at_most_three_links_per_address_in_15_minutes(client, coachee, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        answers = [ask_for_link(client, coachee.email)["Location"] for _ in range(3)]
        assert len(mailoutbox) == 3

        fourth = ask_for_link(client, coachee.email.upper())

    assert fourth["Location"] == answers[0] == reverse("login_link_sent")
    assert len(mailoutbox) == 3
    # Another address is not held up by this one's limit.
    with time_machine.travel(start, tick=False):
        ask_for_link(client, coachee.coach.email)
    assert len(mailoutbox) == 4
    # A quarter of an hour after the first, the address may have a link again.
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        ask_for_link(client, coachee.email)
    assert len(mailoutbox) == 5


def test_at_most_twenty_requests_per_client_address_in_an_hour(client, db, mailoutbox):
    users = [UserFactory() for _ in range(21)]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for user in users[:20]:
            ask_for_link(client, user.email, REMOTE_ADDR="203.0.113.7")
        assert len(mailoutbox) == 20

        blocked = ask_for_link(client, users[20].email, REMOTE_ADDR="203.0.113.7")
        assert blocked["Location"] == reverse("login_link_sent")
        assert len(mailoutbox) == 20

        ask_for_link(client, users[20].email, REMOTE_ADDR="198.51.100.2")
        assert len(mailoutbox) == 21

    with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
        ask_for_link(client, users[0].email, REMOTE_ADDR="203.0.113.7")
    assert len(mailoutbox) == 22


def test_requests_for_unknown_addresses_count_too(client, coachee, mailoutbox):
    for number in range(20):
        ask_for_link(client, f"probe{number}@example.com")

    ask_for_link(client, coachee.email)

    assert mailoutbox == []


def test_a_mail_server_failure_still_gets_the_neutral_answer(client, coachee, mailoutbox, settings, caplog):
    """The worker meets the failure and tries again later; the visitor never sees it."""
    settings.EMAIL_BACKEND = "tests.accounts.test_login_link.BrokenBackend"

    response = ask_for_link(client, coachee.email)

    assert response["Location"] == reverse("login_link_sent")
    assert "send_login_link" in caplog.text and "Retry in" in caplog.text
    assert mailoutbox == []


def test_a_broker_that_is_down_still_gets_the_neutral_answer(client, coachee, broker_down, caplog):
    response = ask_for_link(client, coachee.email)

    assert response["Location"] == reverse("login_link_sent")
    assert "Could not queue coachhub.accounts.tasks.send_login_link" in caplog.text


def test_a_login_link_lifts_a_password_lockout(client, coachee, mailoutbox):
    for _ in range(5):
        login(client, coachee.email, "not-the-password")
    assert login(client, coachee.email, PASSWORD).status_code == 429

    ask_for_link(client, coachee.email)
    client.post(mailed_link(mailoutbox[0]))
    assert logged_in_as(client) == str(coachee.user.pk)
    client.post(reverse("logout"))

    assert login(client, coachee.email, PASSWORD)["Location"] == reverse("home")


class BrokenBackend:
    """A mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")
