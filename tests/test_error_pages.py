"""Branded error pages: each has a viewport, the product's frame and a way back; the other role's
pages send a person to their own start page with a note (also in local mode, where Django would show
its debug 404)."""

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.factories import CoacheeFactory, UserFactory

pytestmark = pytest.mark.django_db

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def _is_branded(html: str) -> bool:
    return VIEWPORT in html and "CoachHub" in html and f'href="{reverse("home")}"' in html


def test_a_missing_page_is_branded_with_a_way_back(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert _is_branded(html)
    assert "We could not find that page" in html
    assert f'href="{reverse("login")}"' in html  # a visitor may need to log in first


def test_someone_elses_object_answers_the_same_branded_404(client):
    stranger = CoacheeFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("homework:coachee_detail", args=[stranger.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert _is_branded(html)
    assert stranger.name not in html
    assert "Go to your start page" in html


def test_the_server_error_page_renders_without_a_request_context():
    """Django renders 500.html with an empty context: it must still show the frame and a way back."""
    response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert _is_branded(html)
    assert "Something went wrong on our side" in html


def test_a_bad_request_and_a_forbidden_page_are_branded():
    request = RequestFactory().get("/")
    for view, status in ((defaults.bad_request, 400), (defaults.permission_denied, 403)):
        response = view(request, exception=Exception())
        assert response.status_code == status
        assert _is_branded(response.content.decode())


def test_a_form_sent_without_its_check_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": "a@example.com", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert _is_branded(html)
    assert "The form has expired" in html


def test_a_stale_form_check_gets_the_same_page(rf):
    """A token from another session (say, the page was open before logging in elsewhere)."""
    other = rf.get("/")
    other.COOKIES = {}
    stale = get_token(other)
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"csrfmiddlewaretoken": stale, "username": "a@example.com"})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_a_coachee_on_a_coach_page_lands_on_their_homework_with_a_note(client, settings, debug, coachee):
    settings.DEBUG = debug
    client.force_login(coachee.user)
    response = client.get(reverse("homework:coachee_detail", args=[coachee.pk]), follow=True)
    assert response.redirect_chain == [(reverse("my:home"), 302)]
    assert "That page is for coaches. Here is your homework." in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_a_coach_on_a_coachee_page_lands_on_the_dashboard_with_a_note(client, settings, debug, coachee):
    settings.DEBUG = debug
    client.force_login(coachee.coach)
    response = client.get(reverse("my:home"), follow=True)
    assert response.redirect_chain == [(reverse("homework:dashboard"), 302)]
    assert "That page belongs to a coachee&#x27;s account. Here is your dashboard." in response.content.decode()
