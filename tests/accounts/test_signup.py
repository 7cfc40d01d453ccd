from django.urls import reverse

from coachhub.accounts.models import User

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


def test_sign_up_creates_a_coach_and_logs_them_in(client, db):
    response = client.post(reverse("signup"), {**SIGNUP, "email": "  Nora@Example.com "})

    assert response.status_code == 302
    assert response["Location"] == reverse("homework:dashboard")
    user = User.objects.get()
    assert user.email == "nora@example.com"
    assert user.name == "Nora Newcoach"
    assert user.role == User.Role.COACH
    assert user.timezone == "Europe/Berlin"
    assert user.check_password("calm-river-lantern-42")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_email_in_use_is_refused_whatever_its_case(client, coach):
    response = client.post(reverse("signup"), {**SIGNUP, "email": "COACH@example.com"})

    assert response.status_code == 200
    assert "An account with this email exists already" in response.content.decode()
    assert User.objects.filter(email__iexact="coach@example.com").count() == 1
    assert "_auth_user_id" not in client.session


def test_a_weak_or_mismatched_password_is_refused(client, db):
    response = client.post(reverse("signup"), {**SIGNUP, "password1": "12345678", "password2": "12345679"})

    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.exists()


def test_a_logged_in_visitor_is_sent_on_from_signup(coach_client):
    response = coach_client.get(reverse("signup"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
