"""Accepting an invitation: the link shows who is invited, sets up their login once, and expires."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from coachhub.accounts.models import User
from coachhub.accounts.services import AccountExists
from sessions import services
from sessions.models import Coachee, Invitation
from tests.accounts.test_login import login
from tests.conftest import assert_sent_to_own_homework
from tests.factories import CoacheeFactory, CoacheeUserFactory, UserFactory

PASSWORD = "bright-orchard-window-31"
FORM = {
    "name": "Ivy I. Invitee",
    "language": "en",
    "timezone": "America/Toronto",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


@pytest.fixture
def invitee(coach):
    return CoacheeFactory(coach=coach, name="Ivy Invitee", email="ivy@example.com", timezone="Asia/Tokyo")


@pytest.fixture
def invite(mailoutbox, django_capture_on_commit_callbacks):
    """Send `coachee` an invitation as the coach would; returns the path of the mailed link."""

    def invite(coachee) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            services.invitation_send(coachee=coachee)
        token = re.search(r"/accounts/invitation/([^/\s]+)/", mailoutbox[-1].body).group(1)
        return reverse("invitations:accept", args=[token])

    return invite


def logged_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_link_shows_the_coachee_and_a_prefilled_form(client, invitee, invite):
    response = client.get(invite(invitee))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Welcome, Ivy Invitee" in page
    assert "ivy@example.com" in page
    assert "Clara Coach invites you" in page
    form = response.context["form"]
    assert form.initial == {"name": "Ivy Invitee", "timezone": "Asia/Tokyo", "language": "en"}
    assert '<option value="Asia/Tokyo" selected>' in page
    assert 'name="password1"' in page and 'name="password2"' in page
    assert logged_in_as(client) is None


def test_accepting_creates_and_links_the_login_and_logs_in(client, invitee, invite):
    link = invite(invitee)

    response = client.post(link, FORM)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="ivy@example.com")
    assert (user.role, user.name, user.timezone) == (User.Role.COACHEE, "Ivy I. Invitee", "America/Toronto")
    assert user.check_password(PASSWORD)
    invitee.refresh_from_db()
    assert invitee.user == user
    # The coach's record takes the name and time zone the coachee chose.
    assert (invitee.name, invitee.timezone) == ("Ivy I. Invitee", "America/Toronto")
    assert Invitation.objects.get(coachee=invitee).used_at is not None
    assert logged_in_as(client) == str(user.pk)
    assert "Welcome to CoachHub" in str(list(get_messages(response.wsgi_request)))
    # The password works for later logins too.
    client.post(reverse("logout"))
    assert login(client, "ivy@example.com", PASSWORD)["Location"] == reverse("home")


def test_a_coachee_who_accepted_never_reaches_coach_pages(client, invitee, invite):
    client.post(invite(invitee), FORM)
    user = User.objects.get(email="ivy@example.com")
    assert Coachee.objects.get(pk=invitee.pk).user_id == user.pk

    for name in ["coaching:coachee_list", "homework:dashboard", "homework:library", "coaching:coachee_create"]:
        assert_sent_to_own_homework(client.get(reverse(name)))
    assert_sent_to_own_homework(client.get(reverse("coaching:coachee_edit", args=[invitee.pk])))
    assert_sent_to_own_homework(client.get(reverse("homework:coachee_detail", args=[invitee.pk])))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"password2": "something-else-entirely-9"}, "password2", "didn’t match"),
        ({"password1": "12345678", "password2": "12345678"}, "password2", "too common"),
        ({"password1": "ivy@example.com", "password2": "ivy@example.com"}, "password2", "too similar"),
        ({"name": ""}, "name", "Enter your name"),
        ({"timezone": "Mars/Olympus"}, "timezone", "Choose a time zone"),
    ],
)
def test_bad_input_is_explained_and_creates_nothing(change, field, message, client, invitee, invite):
    link = invite(invitee)

    response = client.post(link, {**FORM, **change})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(email="ivy@example.com").exists()
    assert Invitation.objects.get(coachee=invitee).used_at is None


def test_a_link_works_once(client, invitee, invite):
    link = invite(invitee)
    client.post(link, FORM)
    client.post(reverse("logout"))

    shown = client.get(link)
    posted = client.post(link, {**FORM, "password1": "another-pass-phrase-7", "password2": "another-pass-phrase-7"})

    for response in (shown, posted):
        assert response.status_code == 200
        page = response.content.decode()
        assert "This invitation is already used" in page
        assert reverse("login") in page
    assert User.objects.filter(email="ivy@example.com").count() == 1
    assert User.objects.get(email="ivy@example.com").check_password(PASSWORD)
    assert logged_in_as(client) is None


def test_a_link_expires_after_14_days(client, invitee, invite):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        link = invite(invitee)

    with time_machine.travel(start + timedelta(days=14, minutes=1), tick=False):
        shown = client.get(link)
        posted = client.post(link, FORM)

    for response in (shown, posted):
        page = response.content.decode()
        assert "This invitation has expired" in page
        assert "Email me a new link" in page
        assert "password1" not in page
    assert not User.objects.filter(email="ivy@example.com").exists()
    assert logged_in_as(client) is None


def test_a_link_still_works_on_its_last_day(client, invitee, invite):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        link = invite(invitee)

    with time_machine.travel(start + timedelta(days=13, hours=23), tick=False):
        response = client.post(link, FORM)

    assert response["Location"] == reverse("home")


def test_the_lifetime_follows_the_setting(client, invitee, invite, settings):
    settings.INVITATION_MAX_AGE_DAYS = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        link = invite(invitee)

    with time_machine.travel(start + timedelta(days=2, minutes=1), tick=False):
        assert "has expired" in client.get(link).content.decode()


def test_a_replaced_link_says_so(client, invitee, invite):
    old = invite(invitee)
    invite(invitee)

    page = client.get(old).content.decode()
    client.post(old, FORM)

    assert "A newer invitation replaced this one" in page
    assert not User.objects.filter(email="ivy@example.com").exists()


def test_an_unknown_link_answers_404_with_a_way_on(client, db):
    response = client.get(reverse("invitations:accept", args=["not-a-real-token"]))

    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()
    assert client.post(reverse("invitations:accept", args=["x" * 300]), FORM).status_code == 404
    assert not User.objects.exists()


@pytest.mark.parametrize("role", [User.Role.COACH, User.Role.COACHEE])
def test_an_existing_account_is_not_duplicated(role, client, invitee, invite):
    """The address got its own account after the invitation was mailed."""
    link = invite(invitee)
    existing = UserFactory(email="ivy@example.com", role=role)

    shown = client.get(link)
    posted = client.post(link, FORM)

    for response in (shown, posted):
        page = response.content.decode()
        assert "You have an account already" in page
        assert reverse("login") in page
        assert reverse("login_link") in page
    assert User.objects.filter(email__iexact="ivy@example.com").count() == 1
    existing.refresh_from_db()
    assert existing.check_password("correct-horse-battery")
    invitee.refresh_from_db()
    assert invitee.user is None
    assert logged_in_as(client) is None


def test_an_account_created_while_the_form_was_open_is_not_duplicated(client, invitee, invite):
    link = invite(invitee)
    assert client.get(link).status_code == 200
    CoacheeUserFactory(email="ivy@example.com")

    response = client.post(link, FORM)

    assert "You have an account already" in response.content.decode()
    assert User.objects.filter(email="ivy@example.com").count() == 1


def test_the_invitation_page_answers_only_get_and_post(client, invitee, invite):
    assert client.put(invite(invitee)).status_code == 405


def test_the_service_refuses_a_taken_email(invitee, invite):
    invite(invitee)
    invitation = Invitation.objects.get(coachee=invitee)
    CoacheeUserFactory(email="ivy@example.com")

    with pytest.raises(AccountExists):
        services.invitation_accept(invitation=invitation, name="Ivy", password=PASSWORD, timezone_name="UTC")

    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_the_service_refuses_a_link_used_in_the_meantime(invitee, invite):
    invite(invitee)
    stale = Invitation.objects.get(coachee=invitee)  # as a view loaded it before another request used it
    services.invitation_accept(invitation=stale, name="Ivy", password=PASSWORD, timezone_name="UTC")

    with pytest.raises(services.InvitationNotUsable) as refused:
        services.invitation_accept(invitation=stale, name="Ivy", password=PASSWORD, timezone_name="UTC")

    assert refused.value.status == Invitation.Status.USED
    assert User.objects.filter(email="ivy@example.com").count() == 1
