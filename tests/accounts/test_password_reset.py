import re
from datetime import timedelta
from urllib.parse import urlsplit

import time_machine
from django.urls import reverse
from django.utils import timezone

from coachhub.accounts.models import User
from tests.accounts.test_login import login
from tests.factories import PASSWORD

NEW_PASSWORD = "quiet-harbour-evening-17"


def reset_link(mail) -> str:
    match = re.search(r"https?://\S+/accounts/reset/\S+/", mail.body)
    assert match, mail.body
    return match.group(0)


def set_password_through(client, link: str, password: str):
    """Open the mailed link (Django swaps the token for a session marker and redirects to the form)
    and submit the new password there."""
    form_page = client.get(urlsplit(link).path, follow=True)
    assert form_page.context["validlink"]
    return client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_a_reset_mail_carries_an_absolute_link_on_the_site_url(client, coach, mailoutbox, settings):
    settings.SITE_URL = "https://coachhub.example.org"

    response = client.post(reverse("password_reset"), {"email": "COACH@example.com"})

    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [coach.email]
    assert mail.subject == "Reset your CoachHub password"
    assert reset_link(mail).startswith("https://coachhub.example.org/accounts/reset/")


def test_the_mailed_link_sets_a_new_password(client, coach, mailoutbox):
    client.post(reverse("password_reset"), {"email": coach.email})
    link = reset_link(mailoutbox[0])

    response = set_password_through(client, link, NEW_PASSWORD)

    assert response["Location"] == reverse("password_reset_complete")
    coach.refresh_from_db()
    assert coach.check_password(NEW_PASSWORD)
    assert login(client, coach.email, NEW_PASSWORD)["Location"] == reverse("home")

    # The link works once.
    assert not client.get(urlsplit(link).path, follow=True).context["validlink"]


def test_a_new_password_lifts_a_lockout(client, coach, mailoutbox):
    for _ in range(5):
        login(client, coach.email, "not-the-password")
    assert login(client, coach.email, PASSWORD).status_code == 429

    client.post(reverse("password_reset"), {"email": coach.email})
    set_password_through(client, reset_link(mailoutbox[0]), NEW_PASSWORD)

    response = login(client, coach.email, NEW_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coach.pk)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []
    assert not User.objects.exists()


def test_a_forged_link_is_refused(client, coach):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "set-password"]), follow=True)

    assert not response.context["validlink"]
    assert "does not work any more" in response.content.decode()


def test_a_coachee_resets_their_password(client, coachee, mailoutbox):
    client.post(reverse("password_reset"), {"email": coachee.email})

    assert [mail.to for mail in mailoutbox] == [[coachee.email]]
    response = set_password_through(client, reset_link(mailoutbox[0]), NEW_PASSWORD)

    assert response["Location"] == reverse("password_reset_complete")
    coachee.user.refresh_from_db()
    assert coachee.user.check_password(NEW_PASSWORD)
    assert login(client, coachee.email, NEW_PASSWORD)["Location"] == reverse("home")


def ask_for_reset(client, email: str, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_at_most_three_reset_mails_per_address_in_15_minutes(client, coach, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        responses = [ask_for_reset(client, coach.email) for _ in range(25)]

    assert {response["Location"] for response in responses} == {reverse("password_reset_done")}
    assert len(mailoutbox) == 3
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        ask_for_reset(client, coach.email)
    assert len(mailoutbox) == 4


def test_resets_and_login_links_share_the_limit_of_an_address(client, coach, mailoutbox):
    for _ in range(2):
        client.post(reverse("login_link"), {"email": coach.email})
    for _ in range(2):
        ask_for_reset(client, coach.email)

    assert len(mailoutbox) == 3


def test_at_most_twenty_reset_requests_per_client_in_an_hour(client, coach, mailoutbox):
    for number in range(20):
        ask_for_reset(client, f"probe{number}@example.com", REMOTE_ADDR="203.0.113.9")

    ask_for_reset(client, coach.email, REMOTE_ADDR="203.0.113.9")
    assert mailoutbox == []
    ask_for_reset(client, coach.email, REMOTE_ADDR="203.0.113.10")
    assert len(mailoutbox) == 1


def test_the_reset_request_sends_nothing_itself(client, coach, mailoutbox, tasks_queued):
    """The page hands the request to the worker; the mail is not sent while the visitor waits."""
    response = ask_for_reset(client, coach.email)

    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []
    assert tasks_queued() == ["coachhub.accounts.tasks.send_password_reset"]


def test_a_reset_ends_every_session_of_the_account(client, coach, mailoutbox):
    from django.contrib.sessions.models import Session
    from django.test import Client

    elsewhere = Client()
    login(elsewhere, coach.email, "correct-horse-battery")
    assert elsewhere.get(reverse("homework:dashboard")).status_code == 200

    client.post(reverse("password_reset"), {"email": coach.email})
    set_password_through(client, reset_link(mailoutbox[0]), NEW_PASSWORD)

    assert elsewhere.get(reverse("homework:dashboard")).status_code == 302
    assert not Session.objects.filter(session_key=elsewhere.session.session_key).exists()
