"""The progress pages, the dashboard at a glance, and their query counts at 1x, 10x and 100x data."""

import re

import pytest
from django.urls import reverse

from assignments.models import Assignment
from tests.factories import CoachingSessionFactory

from .conftest import build_practice, build_units, days

DASHBOARD = reverse("homework:dashboard")
MY_PROGRESS = reverse("progress:mine:home")
# Inline scripts and styles are refused by the Content Security Policy.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle=", re.IGNORECASE)


def progress_url(coachee):
    return reverse("progress:coachee", args=[coachee.pk])


def assert_csp_clean(page: str):
    assert not INLINE_SCRIPT.search(page)
    assert not STYLE_ATTRIBUTE.search(page)
    assert "<style" not in page.lower()


def test_the_coachs_progress_page_shows_every_chart_with_a_table(coach_client, coachee, history):
    page = coach_client.get(progress_url(coachee)).content.decode()
    assert_csp_clean(page)
    for chart_id in ("completion", "practice", "mood", "kinds"):
        assert f'aria-labelledby="{chart_id}-svg-title {chart_id}-svg-desc"' in page
        assert f'id="{chart_id}-title"' in page
    assert page.count('<details class="chart-table">') == 4
    # Each table scrolls sideways on a phone; it takes the focus so the keyboard can scroll it too.
    assert (
        len(
            re.findall(
                r'<div class="table-responsive" tabindex="0" role="region" aria-label="[^"]+: the numbers">', page
            )
        )
        == 4
    )
    assert "Practised on 5 of the last 14 days." in page
    assert ">3/7</strong>" in page  # handed in over the last sessions
    assert "Set clear boundaries" in page and "2 of 2 handed in" in page
    assert history.homework["A1"].title in page
    assert reverse("progress:history_csv", args=[coachee.pk]) in page


def test_the_coachees_own_page_speaks_to_them(coachee_client, history):
    page = coachee_client.get(MY_PROGRESS).content.decode()
    assert_csp_clean(page)
    assert "You practised 5 of the last 14 days." in page
    assert "days in a row: your current streak." in page
    assert "Your mood over time" in page and "What works for you" in page
    assert reverse("my:assignment", args=[history.homework["A1"].pk]) in page
    assert "homework:assignment_detail" not in page


def test_a_new_coachee_sees_friendly_empty_states(coachee_client):
    page = coachee_client.get(MY_PROGRESS).content.decode()
    assert "Your first sessions will show up here." in page
    assert "Keep a mood journal and your moods appear here." in page


def test_the_dashboard_shows_todays_and_this_weeks_sessions_with_ready_homework(coach_client, coachee, history):
    today = CoachingSessionFactory(coachee=coachee, starts_at=days(0, hour=7))  # begun an hour ago
    friday = CoachingSessionFactory(coachee=coachee, starts_at=days(2, hour=14))
    page = coach_client.get(DASHBOARD).content.decode()
    assert_csp_clean(page)
    upcoming = re.search(r'id="upcoming-title".*?</ul>', page, re.DOTALL).group(0)
    assert upcoming.index("Today") < upcoming.index(reverse("homework:session_detail", args=[today.pk]))
    assert upcoming.index("Later this week") < upcoming.index(reverse("homework:session_detail", args=[friday.pk]))
    assert upcoming.index(reverse("homework:session_detail", args=[friday.pk])) < upcoming.index("After this week")
    # At every session from now on: A3 and A9 handed in, A4, A6, A7 and A8 to do.
    assert "6 homework to review" in upcoming and "2 handed in and ready" in upcoming
    needs = re.search(r'id="glance-title".*?</ul>', page, re.DOTALL).group(0)
    sessions = reverse("homework:upcoming_sessions")
    assert re.search(rf'href="{reverse("homework:to_read")}">.*?<strong>2</strong> submissions to read', needs)
    assert re.search(rf'href="{sessions}">.*?<strong>1</strong> session today', needs)
    assert needs.index("submissions to read") < needs.index("session today")  # most pressing first
    assert "gone quiet" not in needs  # nothing is shown that needs no action


def test_the_dashboard_points_at_quiet_coachees_and_deletion_requests(coach_client, coach, coachee):
    from assignments.progress.services import deletion_request_make
    from tests.factories import AssignmentFactory

    AssignmentFactory(coachee=coachee, assigned_at=days(-12))
    deletion_request_make(coachee=coachee)
    page = coach_client.get(DASHBOARD).content.decode()
    assert "Gone quiet" in page
    assert re.search(r"<strong>1</strong> coachee gone quiet", page)
    assert reverse("progress:deletion_confirm", args=[coachee.pk]) in page
    # A quiet coachee's row: their engagement, a link to their progress.
    assert "no sessions held yet" in page
    assert progress_url(coachee) in page


def test_another_coachs_coachees_never_show_on_the_dashboard(client, other_coach, coachee, history):
    client.force_login(other_coach)
    page = client.get(DASHBOARD).content.decode()
    assert coachee.name not in page


# --- Query counts ---------------------------------------------------------------------------------

# One of them is the second-factor check every logged-in request makes (accounts.twofactor).
QUERY_BOUND = 11
# The dashboard's sections each count their rows and list a few (tests/assignments/test_dashboard.py).
DASHBOARD_QUERY_BOUND = 13


@pytest.mark.parametrize("size", [1, 10, 100])
def test_dashboard_queries_do_not_grow_with_the_coachees(size, coach, coach_client, django_assert_max_num_queries):
    build_practice(coach, size)
    with django_assert_max_num_queries(DASHBOARD_QUERY_BOUND):
        response = coach_client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.content.decode().count('class="to-read-row') == min(size, 8)


@pytest.mark.parametrize("size", [1, 10, 100])
def test_progress_page_queries_do_not_grow_with_the_history(size, coachee, coach_client, django_assert_max_num_queries):
    build_units(coachee, size)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = coach_client.get(progress_url(coachee))
    assert response.status_code == 200
    assert Assignment.objects.filter(coachee=coachee).count() >= 3 * size


@pytest.mark.parametrize("size", [1, 10, 100])
def test_my_progress_queries_do_not_grow_with_the_history(size, coachee, coachee_client, django_assert_max_num_queries):
    build_units(coachee, size)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = coachee_client.get(MY_PROGRESS)
    assert response.status_code == 200
