"""The coach's side of invitations: sent when a coachee is added, resent from the edit page or the
list, and what the coach is told when the mail cannot go."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sessions import services
from sessions.models import Coachee, Invitation
from tests.accounts.conftest import isolated_cache, link_in  # noqa: F401  (fixture)
from tests.conftest import assert_sent_to_own_homework
from tests.factories import CoacheeFactory, InvitationFactory
from tests.sessions.conftest import assert_redirects_to_login

CREATE_URL = reverse("coaching:coachee_create")
LIST_URL = reverse("coaching:coachee_list")
NEW_COACHEE = {
    "name": "Nina New",
    "email": "Nina@Example.com",
    "coaching_question": "How do I speak up in meetings?",
    "language": "en",
    "timezone": "Europe/Lisbon",
    "goals": "Speak once in every meeting",
}


def invite_url(coachee) -> str:
    return reverse("coaching:coachee_invite", args=[coachee.pk])


def edit_url(coachee) -> str:
    return reverse("coaching:coachee_edit", args=[coachee.pk])


def token_in(mail) -> str:
    return re.search(r"/accounts/invitation/([^/\s]+)/", mail.body).group(1)


def flash(client, response) -> str:
    """The page a redirect leads to, where the flashed messages show."""
    return client.get(response["Location"]).content.decode()


@pytest.fixture
def invitee(coach):
    """A coachee of `coach` without a login of their own."""
    return CoacheeFactory(coach=coach, name="Ivy Invitee", email="ivy@example.com")


@pytest.fixture
def other_invitee(other_coach):
    return CoacheeFactory(coach=other_coach, name="Otto Invitee", email="otto@example.com")


# --- Adding a coachee -------------------------------------------------------------------------


def test_the_add_form_offers_the_invitation_ticked(coach_client):
    page = coach_client.get(CREATE_URL).content.decode()

    assert re.search(r'<input[^>]*name="send_invitation"[^>]*checked', page)
    assert "Send an invitation now" in page


def test_adding_a_coachee_mails_the_invitation(
    coach_client, coach, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://coachhub.example.org"

    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(CREATE_URL, {**NEW_COACHEE, "send_invitation": "on"})

    coachee = Coachee.objects.get(coach=coach)
    assert response["Location"] == reverse("homework:coachee_detail", args=[coachee.pk])
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["nina@example.com"]
    assert mail.subject == "Clara Coach invites you to CoachHub"
    assert "Clara Coach invites you" in mail.body and "Hello Nina," in mail.body
    assert "14 days" in mail.body
    link = link_in(mail, "/accounts/invitation/")
    assert link == f"https://coachhub.example.org/accounts/invitation/{token_in(mail)}/"
    invitation = Invitation.objects.get(coachee=coachee)
    assert invitation.sent_at is not None
    assert "An invitation is on its way to nina@example.com" in flash(coach_client, response)


def test_only_a_hash_of_the_token_is_stored(coach_client, invitee, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(invite_url(invitee))

    token = token_in(mailoutbox[0])
    invitation = Invitation.objects.get(coachee=invitee)
    assert len(token) >= 40
    assert invitation.token_hash == Invitation.hash_token(token) != token
    assert not Invitation.objects.filter(token_hash__contains=token).exists()


def test_unticking_the_box_sends_nothing(coach_client, coach, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(CREATE_URL, NEW_COACHEE)

    assert Coachee.objects.filter(coach=coach).exists()
    assert mailoutbox == []
    assert not Invitation.objects.exists()


# --- Resending ----------------------------------------------------------------------------------


def test_resending_replaces_the_earlier_link(
    coach_client, client, invitee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(invite_url(invitee))
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(invite_url(invitee))

    assert response["Location"] == edit_url(invitee)
    assert len(mailoutbox) == 2
    first, second = (token_in(mail) for mail in mailoutbox)
    assert first != second
    assert Invitation.objects.filter(coachee=invitee).open().get().token_hash == Invitation.hash_token(second)
    assert "replaced" in client.get(reverse("invitations:accept", args=[first])).content.decode()
    assert "Set up my login" in client.get(reverse("invitations:accept", args=[second])).content.decode()


def test_resending_from_the_list_returns_to_the_list(coach_client, invitee, django_capture_on_commit_callbacks):
    back = f"{LIST_URL}?q=ivy"

    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(invite_url(invitee), {"next": back})

    assert response["Location"] == back


def test_a_foreign_next_address_is_ignored(coach_client, invitee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(invite_url(invitee), {"next": "https://evil.example.com/"})

    assert response["Location"] == edit_url(invitee)


def test_a_coachee_with_a_login_gets_no_invitation(coach_client, coachee, mailoutbox):
    response = coach_client.post(invite_url(coachee))

    assert response.status_code == 302
    assert mailoutbox == []
    assert not Invitation.objects.exists()
    assert "has their own login already" in flash(coach_client, response)


def test_another_coach_gets_404(client, other_coach, invitee, mailoutbox):
    client.force_login(other_coach)

    assert client.post(invite_url(invitee)).status_code == 404
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_get_is_refused(coach_client, invitee):
    assert coach_client.get(invite_url(invitee)).status_code == 405
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_login(client, invitee):
    assert_redirects_to_login(client.post(invite_url(invitee)))
    assert not Invitation.objects.exists()


def test_a_coachee_login_is_sent_to_their_homework(client, coachee, invitee):
    client.force_login(coachee.user)

    assert_sent_to_own_homework(client.post(invite_url(invitee)))


# --- When the mail cannot be sent -------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broker_that_is_down_is_told_to_the_coach(client, caplog, broker_down):
    """With real commits, as in production: the mail is queued after the commit, before the view answers."""
    from tests.factories import UserFactory

    coach = UserFactory(name="Clara Coach")
    client.force_login(coach)

    response = client.post(CREATE_URL, {**NEW_COACHEE, "send_invitation": "on"})

    assert response.status_code == 302
    page = flash(client, response)
    assert "Nina New is added to your coachees" in page
    assert "could not be sent just now" in page and "Resend invitation" in page
    assert "Could not queue sessions.tasks.send_invitation" in caplog.text
    invitation = Invitation.objects.get()
    assert invitation.sent_at is None
    with time_machine.travel(timezone.now() + Invitation.MAIL_OVERDUE_AFTER + timedelta(seconds=1)):
        edit_page = client.get(edit_url(invitation.coachee)).content.decode()
    assert "could not be sent" in edit_page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mail_server_failure_is_retried_by_the_worker(client, settings, caplog):
    """The coach is told the invitation is on its way: the worker keeps trying (here at once, as
    the tasks run in this process; tests/integration has the real worker), and logs each failure."""
    from tests.factories import UserFactory

    settings.EMAIL_BACKEND = "tests.accounts.test_login_link.BrokenBackend"
    coach = UserFactory()
    invitee = CoacheeFactory(coach=coach)
    client.force_login(coach)

    response = client.post(invite_url(invitee))

    assert "An invitation is on its way" in flash(client, response)
    assert "Retry in" in caplog.text and "connection refused" in caplog.text
    assert Invitation.objects.get().sent_at is None


# --- What the coach sees ----------------------------------------------------------------------


def test_the_edit_page_shows_the_state_and_the_button(
    coach_client, invitee, coachee, django_capture_on_commit_callbacks
):
    page = coach_client.get(edit_url(invitee)).content.decode()
    assert "is not invited yet" in page
    assert invite_url(invitee) in page and "Send invitation" in page

    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(invite_url(invitee))
    page = coach_client.get(edit_url(invitee)).content.decode()
    assert "Invited on" in page and "Resend invitation" in page

    page = coach_client.get(edit_url(coachee)).content.decode()
    assert "has their own login" in page
    assert invite_url(coachee) not in page


def test_the_list_shows_each_coachees_login_state(coach_client, coach, coachee, invitee):
    expired = CoacheeFactory(coach=coach, name="Eve Expired")
    InvitationFactory(coachee=expired, expires_at="2020-01-01T00:00Z", created_at="2019-12-01T00:00Z")

    page = coach_client.get(LIST_URL).content.decode()

    assert "Has a login" in page
    assert "Not invited yet" in page
    assert "Invitation expired" in page
    assert invite_url(invitee) in page and invite_url(expired) in page
    assert invite_url(coachee) not in page


def test_the_list_still_needs_the_same_queries(coach_client, coach, django_assert_max_num_queries):
    for number in range(10):
        InvitationFactory(coachee=CoacheeFactory(coach=coach, name=f"Person {number}"))

    with django_assert_max_num_queries(6):
        response = coach_client.get(LIST_URL)

    assert response.content.decode().count("Resend invitation") == 10


# --- Rules --------------------------------------------------------------------------------------


def test_changing_the_address_cancels_the_link_sent_to_the_old_one(
    coach_client, client, invitee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(invite_url(invitee))
    token = token_in(mailoutbox[0])

    coach_client.post(
        edit_url(invitee),
        {
            "name": invitee.name,
            "email": "ivy.new@example.com",
            "coaching_question": "",
            "language": "en",
            "timezone": "UTC",
        },
    )

    assert not Invitation.objects.filter(coachee=invitee).open().exists()
    assert "replaced" in client.get(reverse("invitations:accept", args=[token])).content.decode()


def test_editing_other_fields_keeps_the_link(coach_client, invitee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(invite_url(invitee))

    coach_client.post(
        edit_url(invitee),
        {
            "name": "Ivy Renamed",
            "email": invitee.email.upper(),
            "coaching_question": "",
            "language": "en",
            "timezone": "UTC",
        },
    )

    assert Invitation.objects.filter(coachee=invitee).open().count() == 1


def test_the_database_allows_one_working_link_per_coachee(invitee):
    InvitationFactory(coachee=invitee)

    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(coachee=invitee)


def test_the_service_refuses_a_coachee_with_a_login(coachee):
    with pytest.raises(services.CoacheeHasLogin):
        services.invitation_send(coachee=coachee)


def test_invitations_are_scoped_to_their_coach(invitee, other_invitee, coach):
    mine = InvitationFactory(coachee=invitee)
    InvitationFactory(coachee=other_invitee)

    assert list(Invitation.objects.for_coach(coach)) == [mine]
