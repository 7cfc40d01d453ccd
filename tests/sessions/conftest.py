"""Fixtures for the coach's coachee, goal and session pages."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.fixture(autouse=True)
def _mail_sent_at_once(tasks_run_at_once):
    """These tests read the invitation mails a page has the worker send."""


@pytest.fixture
def other_coach_client(other_coach):
    client = Client()
    client.force_login(other_coach)
    return client


@pytest.fixture
def coachee_client(coachee):
    """Logged in as the coachee's own login, who is no coach."""
    client = Client()
    client.force_login(coachee.user)
    return client


def assert_redirects_to_login(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def form_errors(response) -> dict:
    """The bound form's errors from a re-rendered form page (status 200)."""
    assert response.status_code == 200
    return response.context["form"].errors
