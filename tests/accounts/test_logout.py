from django.urls import reverse


def test_logout_is_post_only(coach_client):
    response = coach_client.get(reverse("logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in coach_client.session


def test_logout_ends_the_session_and_shows_the_login_page(coach_client):
    response = coach_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in coach_client.session
