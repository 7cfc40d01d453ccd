from django.urls import reverse


def test_landing_page_invites_coaches_to_sign_up(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("signup") in response.content.decode()
