"""An expired, replaced or used invitation link offers a new link by mail, to the address on record."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from coachhub.accounts.models import User
from sessions import services
from sessions.models import Invitation
from tests.factories import CoacheeFactory

TOKEN_IN_MAIL = re.compile(r"/accounts/invitation/([^/\s]+)/")


@pytest.fixture
def invitee(coach):
    return CoacheeFactory(coach=coach, name="Ivy Invitee", email="ivy@example.com")


@pytest.fixture
def send(django_capture_on_commit_callbacks, mailoutbox):
    def send(coachee) -> str:
        """Invite `coachee` as the coach would and return the token of the mailed link."""
        with django_capture_on_commit_callbacks(execute=True):
            services.invitation_send(coachee=coachee)
        return TOKEN_IN_MAIL.search(mailoutbox[-1].body).group(1)

    return send


@pytest.fixture
def expired_token(invitee, send):
    """The token of an invitation of `invitee` that expired a minute ago."""
    with time_machine.travel(timezone.now() - timedelta(days=14, minutes=1), tick=False):
        return send(invitee)


def renew(client, token, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("invitations:renew", args=[token]), data)


def test_an_expired_link_gets_a_new_invitation(
    client, invitee, expired_token, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()

    response = renew(client, expired_token, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "A new invitation is on its way to ivy@example.com" in response.content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ivy@example.com"]
    new_token = TOKEN_IN_MAIL.search(mail.body).group(1)
    assert new_token != expired_token
    assert "Set up my login" in client.get(reverse("invitations:accept", args=[new_token])).content.decode()
    assert Invitation.objects.filter(coachee=invitee).open().get().token_hash == Invitation.hash_token(new_token)


def test_the_new_link_goes_only_to_the_address_on_record(
    client, invitee, expired_token, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()

    renew(client, expired_token, django_capture_on_commit_callbacks, email="attacker@example.com", to="x@example.com")

    assert [mail.to for mail in mailoutbox] == [["ivy@example.com"]]


def test_a_replaced_link_gets_a_new_invitation_too(
    client, invitee, send, mailoutbox, django_capture_on_commit_callbacks
):
    old = send(invitee)
    send(invitee)
    mailoutbox.clear()

    response = renew(client, old, django_capture_on_commit_callbacks)

    assert "A new invitation is on its way" in response.content.decode()
    assert len(mailoutbox) == 1


def test_a_used_link_gets_a_login_link_instead(client, invitee, send, mailoutbox, django_capture_on_commit_callbacks):
    token = send(invitee)
    client.post(
        reverse("invitations:accept", args=[token]),
        {
            "name": "Ivy",
            "language": "en",
            "timezone": "UTC",
            "password1": "bright-orchard-31",
            "password2": "bright-orchard-31",
        },
    )
    client.post(reverse("logout"))
    mailoutbox.clear()

    response = renew(client, token, django_capture_on_commit_callbacks)

    assert "A login link is on its way to ivy@example.com" in response.content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Your CoachHub login link"
    assert User.objects.filter(email="ivy@example.com").count() == 1


def test_an_open_link_has_nothing_to_renew(client, invitee, send, mailoutbox, django_capture_on_commit_callbacks):
    token = send(invitee)
    mailoutbox.clear()

    response = renew(client, token, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("invitations:accept", args=[token])
    assert mailoutbox == []


def test_an_archived_coachee_is_sent_to_their_coach(
    client, invitee, expired_token, mailoutbox, django_capture_on_commit_callbacks
):
    services.coachee_archive(coachee=invitee)
    mailoutbox.clear()

    response = renew(client, expired_token, django_capture_on_commit_callbacks)

    assert "ask Clara Coach to invite you again" in response.content.decode()
    assert mailoutbox == []


def test_new_links_are_rate_limited(client, invitee, expired_token, mailoutbox, django_capture_on_commit_callbacks):
    start = timezone.now()
    mailoutbox.clear()
    token = expired_token
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            # Each new link replaces the last; the visitor keeps pressing on their old one.
            renew(client, token, django_capture_on_commit_callbacks)
        assert len(mailoutbox) == 3

        fourth = renew(client, token, django_capture_on_commit_callbacks)

    assert "Please wait a little" in fourth.content.decode()
    assert len(mailoutbox) == 3
    # A quarter of an hour later the address may get mail again, but this coachee has had the three
    # invitations a day allows: the visitor is sent to the coach.
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        fifth = renew(client, token, django_capture_on_commit_callbacks)
    assert "ask Clara Coach to invite you again" in fifth.content.decode()
    assert len(mailoutbox) == 3
    with time_machine.travel(start + timedelta(days=1, seconds=1), tick=False):
        renew(client, token, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 4


def test_login_link_requests_count_against_the_same_address(
    client, invitee, expired_token, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        client.post(reverse("login_link"), {"email": "ivy@example.com"})
    mailoutbox.clear()

    response = renew(client, expired_token, django_capture_on_commit_callbacks)

    assert "Please wait a little" in response.content.decode()
    assert mailoutbox == []


def test_an_unknown_link_answers_404(client, db, mailoutbox):
    response = client.post(reverse("invitations:renew", args=["made-up"]))

    assert response.status_code == 404
    assert mailoutbox == []


def test_renewing_is_post_only(client, expired_token, mailoutbox):
    mailoutbox.clear()

    assert client.get(reverse("invitations:renew", args=[expired_token])).status_code == 405
    assert mailoutbox == []


def test_a_mail_failure_is_told_to_the_visitor(
    client, invitee, expired_token, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.accounts.test_login_link.BrokenBackend"

    response = renew(client, expired_token, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    # Under the test's transaction the mail goes when the callbacks run, after the page is made;
    # the renewed invitation records that it never went out.
    assert Invitation.objects.filter(coachee=invitee).open().get().sent_at is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broker_that_is_down_says_so_on_the_page(client, broker_down):
    from tests.factories import UserFactory

    coachee = CoacheeFactory(coach=UserFactory(name="Clara Coach"), email="ivy@example.com")
    past = timezone.now() - timedelta(days=15)
    with time_machine.travel(past, tick=False):
        invitation = services.invitation_send(coachee=coachee)
    token = "expired-token"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=Invitation.hash_token(token))

    response = client.post(reverse("invitations:renew", args=[token]))

    assert "The mail could not be sent" in response.content.decode()
    assert "ask Clara Coach" in response.content.decode()
