"""Session mode: each item of an opened session's agenda carries its own review form, and a review
sent from there by the page's script comes back as that one item (saved, or with its errors)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from assignments.models import Review
from tests.assignments.conftest import days
from tests.factories import AssignmentFactory

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture(autouse=True)
def next_session_has_opened(frozen_clock):
    frozen_clock.move_to(days(7) - timedelta(minutes=30))


def agenda(client, session) -> str:
    return client.get(reverse("homework:session_detail", args=[session.pk])).content.decode()


def review_url(session, homework) -> str:
    return reverse("homework:review", args=[session.pk, homework.pk])


def test_every_item_to_review_has_a_form_of_its_own(coach_client, coachee, next_session):
    first, second = AssignmentFactory.create_batch(2, coachee=coachee, assigned_at=days(-1))

    page = agenda(coach_client, next_session)

    for homework in (first, second):
        assert f'action="{review_url(next_session, homework)}" class="review-inline" data-review-inplace' in page
        assert f'id="id_review{homework.pk}_outcome_0"' in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "ids are unique on the page"
    assert "js/review-inplace.js" in page


def test_a_review_sent_in_place_comes_back_as_its_item(coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee, assigned_at=days(-1), title="Say no once a day")

    response = coach_client.post(
        review_url(next_session, homework),
        {"outcome": "partly", "next_step": "carry_over", "insights": "Found the words"},
        **FETCH,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="card agenda-item" id="assignment-{homework.pk}">')
    assert "Review of “Say no once a day” saved." in html and 'role="status"' in html
    assert "Found the words" in html and "<html" not in html
    assert Review.objects.get().outcome == "partly"


def test_a_review_with_errors_comes_back_with_them_and_saves_nothing(coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee, assigned_at=days(-1))

    response = coach_client.post(review_url(next_session, homework), {"coach_notes": "Kept"}, **FETCH)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose how far the homework got done." in html and "Choose what happens next with this homework." in html
    assert "Kept</textarea>" in html  # what the coach typed stays
    assert not Review.objects.exists()


def test_a_follow_up_sends_the_script_on_to_the_assign_form(coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee, assigned_at=days(-1))

    response = coach_client.post(
        review_url(next_session, homework), {"outcome": "done", "next_step": "follow_up"}, **FETCH
    )

    assert response.status_code == 204
    assert response["X-Go-To"].startswith(reverse("homework:assign", args=[coachee.pk]) + "?follow_up=")


def test_without_the_script_the_form_returns_to_the_agenda_at_the_item(coach_client, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee, assigned_at=days(-1))

    response = coach_client.post(review_url(next_session, homework), {"outcome": "done", "next_step": "close"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#assignment-{homework.pk}")


def test_another_coachs_homework_cannot_be_reviewed_in_place(client, other_coach, coachee, next_session):
    homework = AssignmentFactory(coachee=coachee, assigned_at=days(-1))
    client.force_login(other_coach)

    response = client.post(review_url(next_session, homework), {"outcome": "done", "next_step": "close"}, **FETCH)

    assert response.status_code == 404
    assert not Review.objects.exists()
