from django.urls import reverse

from tests.factories import PASSWORD


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_coach_changes_their_password(coach_client, coach):
    new = "steady-meadow-paper-88"

    response = coach_client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )

    assert response["Location"] == reverse("password_change_done")
    coach.refresh_from_db()
    assert coach.check_password(new)
    assert coach_client.get(reverse("password_change_done")).status_code == 200


def test_the_old_password_must_be_right(coach_client, coach):
    response = coach_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "steady-meadow-paper-88", "new_password2": "steady-meadow-paper-88"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    coach.refresh_from_db()
    assert coach.check_password(PASSWORD)
