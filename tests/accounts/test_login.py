from django.urls import reverse

from coachhub.accounts.models import User
from tests.factories import PASSWORD


def login(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password, **extra})


def test_login_page_links_to_signup_and_password_reset(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="email"' in page and 'name="password"' in page
    assert reverse("signup") in page
    assert reverse("password_reset") in page


def test_a_coach_logs_in_with_email_and_password(client, coach):
    response = login(client, "Coach@Example.com", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(coach.pk)


def test_login_returns_to_the_page_asked_for(client, coach):
    response = login(client, coach.email, PASSWORD, next=reverse("password_change"))

    assert response["Location"] == reverse("password_change")


def test_a_wrong_password_is_refused_with_a_clear_message(client, coach):
    response = login(client, coach.email, "not-the-password")

    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account(client, coach):
    # Attempts count per account, however the address is spelled.
    for email in ["coach@example.com", "COACH@example.com", " Coach@Example.com ", "coach@EXAMPLE.com"]:
        assert login(client, email, "not-the-password").status_code == 200

    fifth = login(client, coach.email, "not-the-password")
    assert fifth.status_code == 429
    assert "Too many failed attempts" in fifth.content.decode()
    assert reverse("password_reset") in fifth.content.decode()

    # Locked: even the right password is refused now, and in any spelling of the address.
    for email in [coach.email, coach.email.upper()]:
        response = login(client, email, PASSWORD)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session


def test_a_lockout_is_per_account(client, coach, other_coach):
    for _ in range(5):
        login(client, coach.email, "not-the-password")

    response = login(client, other_coach.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other_coach.pk)


def test_an_inactive_account_cannot_log_in(client, coach):
    User.objects.filter(pk=coach.pk).update(is_active=False)

    response = login(client, coach.email, PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
