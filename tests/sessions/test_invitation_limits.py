"""Nobody can use CoachHub to mail strangers: a coach confirms their own address before any
invitation goes, and invitations are limited per coachee and per coach in any 24 hours."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sessions.models import Invitation
from tests.factories import CoacheeFactory, UserFactory


def invite(client, coachee, capture):
    with capture(execute=True):
        response = client.post(reverse("coaching:coachee_invite", args=[coachee.pk]))
    return client.get(response["Location"]).content.decode()


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_an_unconfirmed_coach_sends_no_invitation(client, db, mailoutbox, capture):
    coach = UserFactory(email_confirmed_at=None)
    coachee = CoacheeFactory(coach=coach, email="someone@example.net")
    client.force_login(coach)

    page = invite(client, coachee, capture)

    assert mailoutbox == []
    assert not Invitation.objects.exists()
    assert "first confirm your own address" in page
    assert "Send the link again" in page  # the banner offers the confirmation link


def test_an_unconfirmed_coach_adding_a_coachee_sends_nothing(client, db, mailoutbox, capture):
    coach = UserFactory(email_confirmed_at=None)
    client.force_login(coach)
    data = {
        "name": "Vic Victim",
        "email": "victim@example.net",
        "language": "en",
        "timezone": "UTC",
        "send_invitation": "on",
    }

    with capture(execute=True):
        response = client.post(reverse("coaching:coachee_create"), data)

    assert mailoutbox == []
    assert "first confirm your own address" in client.get(response["Location"]).content.decode()


def test_three_invitations_per_coachee_a_day(coach_client, coach, mailoutbox, capture):
    coachee = CoacheeFactory(coach=coach, name="Nina New", email="nina@example.com")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            invite(coach_client, coachee, capture)
        page = invite(coach_client, coachee, capture)

    assert len(mailoutbox) == 3
    assert "Nina New has had 3 invitations in the last 24 hours" in page
    with time_machine.travel(start + timedelta(days=1, seconds=1), tick=False):
        invite(coach_client, coachee, capture)
    assert len(mailoutbox) == 4


def test_fifty_invitations_per_coach_a_day(coach_client, coach, mailoutbox, capture, settings):
    settings.INVITATIONS_PER_COACH_PER_DAY = 5
    coachees = [CoacheeFactory(coach=coach) for _ in range(6)]
    for coachee in coachees[:5]:
        invite(coach_client, coachee, capture)

    page = invite(coach_client, coachees[5], capture)

    assert len(mailoutbox) == 5
    assert "you have sent 5 invitations in the last 24 hours" in page
    assert not Invitation.objects.filter(coachee=coachees[5]).exists()


def test_the_limits_are_per_coach(coach_client, coach, other_coach, mailoutbox, capture, client, settings):
    settings.INVITATIONS_PER_COACH_PER_DAY = 1
    invite(coach_client, CoacheeFactory(coach=coach), capture)
    client.force_login(other_coach)

    invite(client, CoacheeFactory(coach=other_coach), capture)

    assert len(mailoutbox) == 2
