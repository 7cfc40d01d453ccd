from django.urls import reverse

from coachhub.accounts.models import User
from tests.accounts.conftest import link_in

SIGNUP = {
    "name": "Nora Newcoach",
    "email": "nora@example.com",
    "timezone": "Europe/Berlin",
    "password1": "calm-river-lantern-42",
    "password2": "calm-river-lantern-42",
}


def test_signup_page_offers_the_form(client, db):
    response = client.get(reverse("signup"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="email"' in page and 'name="password1"' in page
    assert reverse("login") in page


def test_sign_up_creates_a_coach_who_confirms_the_address(client, db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup"), {**SIGNUP, "email": "  Nora@Example.com "})

    assert response["Location"] == reverse("signup_sent")
    assert "nora@example.com" in client.get(response["Location"]).content.decode()
    user = User.objects.get()
    assert (user.email, user.name, user.role, user.timezone) == (
        "nora@example.com",
        "Nora Newcoach",
        User.Role.COACH,
        "Europe/Berlin",
    )
    assert user.check_password("calm-river-lantern-42")
    assert not user.email_confirmed
    assert "_auth_user_id" not in client.session
    [mail] = mailoutbox
    assert mail.to == ["nora@example.com"] and mail.subject == "Confirm your address for CoachHub"
    link = link_in(mail, "/accounts/confirm/")

    opened = client.get(link)
    assert opened.status_code == 200 and "_auth_user_id" not in client.session  # a mail scanner's visit
    confirmed = client.post(link)

    assert confirmed["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.email_confirmed
    client.post(reverse("logout"))
    assert client.post(link).status_code == 400  # once only


def test_an_email_in_use_gets_the_same_answer_and_its_owner_a_note(
    client, coach, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup"), {**SIGNUP, "email": "COACH@example.com"})

    assert response["Location"] == reverse("signup_sent")
    assert User.objects.filter(email__iexact="coach@example.com").count() == 1
    coach.refresh_from_db()
    assert coach.check_password("correct-horse-battery")
    assert "_auth_user_id" not in client.session
    [mail] = mailoutbox
    assert mail.to == ["coach@example.com"]
    assert mail.subject == "Someone tried to sign up to CoachHub with your address"
    assert "/accounts/confirm/" not in mail.body and "/accounts/login/" in mail.body


def test_signing_up_again_before_confirming_sends_the_link_again(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("signup"), SIGNUP)

    assert User.objects.count() == 1
    assert [mail.subject for mail in mailoutbox] == ["Confirm your address for CoachHub"] * 2


def test_sign_ups_are_limited_per_client(client, db, mailoutbox, django_capture_on_commit_callbacks):
    for number in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("signup"), {**SIGNUP, "email": f"coach{number}@example.org"}, REMOTE_ADDR="198.51.100.4"
            )

    refused = client.post(reverse("signup"), {**SIGNUP, "email": "eleven@example.org"}, REMOTE_ADDR="198.51.100.4")
    elsewhere = client.post(reverse("signup"), {**SIGNUP, "email": "twelve@example.org"}, REMOTE_ADDR="198.51.100.5")

    assert refused.status_code == 429
    assert "Too many sign-ups from your network" in refused.content.decode()
    assert not User.objects.filter(email="eleven@example.org").exists()
    assert elsewhere["Location"] == reverse("signup_sent")


def test_the_confirmation_mails_per_address_are_limited(client, db, mailoutbox, django_capture_on_commit_callbacks):
    """A stranger cannot flood somebody's inbox by signing up with their address again and again."""
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("signup"), SIGNUP)

    assert len(mailoutbox) == 3


def test_a_made_up_confirmation_link_is_refused(client, coach):
    for uid, token in [("MQ", "abc-def"), ("!!", "x"), ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "abc-def")]:
        assert client.get(reverse("confirm_email", args=[uid, token])).status_code == 400


def test_a_weak_or_mismatched_password_is_refused(client, db):
    response = client.post(reverse("signup"), {**SIGNUP, "password1": "12345678", "password2": "12345679"})

    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.exists()


def test_a_logged_in_visitor_is_sent_on_from_signup(coach_client):
    response = coach_client.get(reverse("signup"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
