"""Every coaching page renders under the strict CSP: no inline styles or scripts, labelled controls."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CoacheeFactory, CoachingSessionFactory, GoalFactory

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
CONTROL_ID = re.compile(r'<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"')


LIST = reverse("coaching:coachee_list")


@pytest.fixture
def form_pages(coach, coachee):
    CoacheeFactory(coach=coach, archived_at=timezone.now())
    goal = GoalFactory(coachee=coachee)
    session = CoachingSessionFactory(coachee=coachee)
    return [
        reverse("coaching:coachee_create"),
        reverse("coaching:coachee_edit", args=[coachee.pk]),
        reverse("coaching:goal_create", args=[coachee.pk]),
        reverse("coaching:goal_edit", args=[goal.pk]),
        reverse("coaching:session_create", args=[coachee.pk]),
        reverse("coaching:session_edit", args=[session.pk]),
    ]


def _check(page: str, url: str):
    assert "style=" not in page, url
    assert not INLINE_SCRIPT.search(page), url
    for control_id in CONTROL_ID.findall(page):
        assert f'for="{control_id}"' in page, f"{url}: control #{control_id} has no label"


def test_pages_need_no_inline_styles_or_scripts_and_label_every_control(coach_client, form_pages):
    for url in [LIST, LIST + "?archived=1", LIST + "?q=nothing-matches", *form_pages]:
        response = coach_client.get(url)
        assert response.status_code == 200, url
        _check(response.content.decode(), url)


def test_pages_with_form_errors_too(coach_client, form_pages):
    for url in form_pages:
        response = coach_client.post(url, {})
        assert response.status_code == 200, url
        assert response.context["form"].errors, url
        _check(response.content.decode(), url)
