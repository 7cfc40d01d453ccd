"""Account mail with everything real: pages queue it on Redis, a Celery worker in its own process
renders and sends it, and an SMTP server receives it. While no worker runs, a page that leads to a
mail has sent nothing: the mail waits in the queue and goes once a worker starts."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from coachhub.accounts.models import User
from sessions.models import Coachee
from tests.factories import CoacheeUserFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "calm-river-lantern-42"


def sign_up(client, email):
    form = {
        "name": "Nora Newcoach",
        "email": email,
        "language": "en",
        "timezone": "UTC",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    assert client.post(reverse("signup"), form)["Location"] == reverse("signup_sent")


def test_every_account_mail_is_sent_by_the_worker(start_worker, smtp_server):
    coach = UserFactory(name="Anne O'Neil & Partners", email="anne@example.com")
    CoacheeUserFactory(email="taken@example.com", name="Tara Taken")
    visitor, coach_client = Client(), Client()
    coach_client.force_login(coach)

    sign_up(visitor, "nora@example.com")
    sign_up(visitor, "taken@example.com")
    visitor.post(reverse("login_link"), {"email": "anne@example.com"})
    visitor.post(reverse("login_link"), {"email": "nobody@example.com"})
    visitor.post(reverse("password_reset"), {"email": "taken@example.com"})
    visitor.post(reverse("password_reset"), {"email": "nobody@example.com"})
    new_coachee = {"name": "Ivy Invitee", "language": "en", "timezone": "UTC", "send_invitation": "on"}
    coach_client.post(reverse("coaching:coachee_create"), {**new_coachee, "email": "ivy@example.com"})
    coach_client.post(reverse("coaching:coachee_create"), {**new_coachee, "email": "taken@example.com"})
    assert smtp_server.messages == []  # the pages sent nothing: no worker runs yet

    start_worker("mail")
    received = smtp_server.wait_for(6)

    by_subject = {(mail.recipients[0], mail.subject): mail for mail in received}
    assert sorted(by_subject) == [
        ("anne@example.com", "Your CoachHub login link"),
        ("ivy@example.com", "Anne O'Neil & Partners invites you to CoachHub"),
        ("nora@example.com", "Confirm your address for CoachHub"),
        ("taken@example.com", "Anne O'Neil & Partners would like to invite you to CoachHub"),
        ("taken@example.com", "Reset your CoachHub password"),
        ("taken@example.com", "Someone tried to sign up to CoachHub with your address"),
    ]
    invitation = by_subject[("ivy@example.com", "Anne O'Neil & Partners invites you to CoachHub")]
    assert "Anne O'Neil & Partners invites you" in invitation.text()
    assert re.search(r"/accounts/invitation/[\w-]+/", invitation.text())
    assert Coachee.objects.get(email="ivy@example.com").invitations.get().sent_at is not None

    confirmation = by_subject[("nora@example.com", "Confirm your address for CoachHub")]
    link = re.search(r"https?://\S+/accounts/confirm/\S+/", confirmation.text()).group(0)
    assert visitor.post(urlsplit(link).path)["Location"] == reverse("home")
    assert User.objects.get(email="nora@example.com").email_confirmed
