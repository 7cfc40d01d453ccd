from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import CoachingSession, Goal
from tests.conftest import assert_sent_to_own_homework
from tests.factories import CoacheeFactory, CoachingSessionFactory, GoalFactory, UserFactory
from tests.sessions.conftest import assert_redirects_to_login

URL = reverse("coaching:coachee_list")


def _names(response) -> list[str]:
    return [coachee.name for coachee in response.context["page"].object_list]


def test_owner_sees_their_active_coachees_only(coach_client, coachee, other_coachee):
    archived = CoacheeFactory(coach=coachee.coach, name="Ada Archived", archived_at=timezone.now())

    response = coach_client.get(URL)

    assert response.status_code == 200
    assert _names(response) == [coachee.name]
    page = response.content.decode()
    assert coachee.email in page
    assert other_coachee.name not in page
    assert archived.name not in page
    assert reverse("homework:coachee_detail", args=[coachee.pk]) in page
    assert reverse("coaching:coachee_create") in page


def test_archived_coachees_are_listed_with_archived_1(coach_client, coach, coachee):
    archived = CoacheeFactory(coach=coach, name="Ada Archived", archived_at=timezone.now())

    response = coach_client.get(URL, {"archived": "1"})

    assert _names(response) == [archived.name]
    assert reverse("coaching:coachee_restore", args=[archived.pk]) in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    assert_redirects_to_login(client.get(URL))


def test_a_coachee_login_is_sent_to_their_homework(coachee_client):
    assert_sent_to_own_homework(coachee_client.get(URL))


@pytest.mark.parametrize("text", ["bertha", "BERTHA@EXAMPLE", "delegat"])
def test_search_matches_name_email_and_question(coach_client, coach, coachee, text):
    CoacheeFactory(coach=coach, name="Bertha Bold", email="bertha@example.com", coaching_question="Delegating well")

    response = coach_client.get(URL, {"q": text})

    assert _names(response) == ["Bertha Bold"]


def test_search_never_finds_another_coachs_coachee(coach_client, coachee, other_coachee):
    response = coach_client.get(URL, {"q": other_coachee.name})

    assert _names(response) == []
    assert other_coachee.email not in response.content.decode()


def test_search_in_archived_coachees(coach_client, coach, coachee):
    CoacheeFactory(coach=coach, name="Bertha Bold", archived_at=timezone.now())

    assert _names(coach_client.get(URL, {"q": "bertha"})) == []
    assert _names(coach_client.get(URL, {"q": "bertha", "archived": "1"})) == ["Bertha Bold"]


def test_search_without_hits_says_so(coach_client, coachee):
    response = coach_client.get(URL, {"q": "nobody-like-this"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "No coachee matches" in page
    assert "nobody-like-this" in page
    assert "Add your first coachee" not in page


@pytest.mark.parametrize("params", [{"q": "a\x00b"}, {"q": "x" * 5000}, {"page": "last-but-one"}, {"archived": "yes"}])
def test_odd_query_strings_still_give_the_page(coach_client, coachee, params):
    assert coach_client.get(URL, params).status_code == 200


def test_new_coach_is_invited_to_add_a_first_coachee(coach_client):
    response = coach_client.get(URL)

    page = response.content.decode()
    assert "Add your first coachee" in page
    assert reverse("coaching:coachee_create") in page


def test_a_coach_with_only_archived_coachees_is_shown_the_way_to_them(coach_client, coach):
    CoacheeFactory(coach=coach, archived_at=timezone.now())

    page = coach_client.get(URL).content.decode()

    assert "No active coachees" in page
    assert "?archived=1" in page


def test_row_shows_active_goals_and_next_session_in_the_coachs_time_zone(coach_client, coachee):
    GoalFactory(coachee=coachee)
    GoalFactory(coachee=coachee)
    GoalFactory(coachee=coachee, status=Goal.Status.ACHIEVED)
    now = timezone.now()
    next_start = (now + timedelta(days=3)).replace(hour=8, minute=30, second=0, microsecond=0)
    CoachingSessionFactory(coachee=coachee, starts_at=next_start)
    CoachingSessionFactory(
        coachee=coachee, starts_at=next_start - timedelta(days=1, hours=1), status=CoachingSession.Status.CANCELLED
    )
    CoachingSessionFactory(coachee=coachee, starts_at=now - timedelta(days=2))
    CoachingSessionFactory(coachee=coachee, starts_at=next_start + timedelta(days=7))

    response = coach_client.get(URL)

    [row] = response.context["page"].object_list
    assert row.active_goal_count == 2
    assert row.next_session_at == next_start
    berlin = timezone.localtime(next_start, coachee.coach.tzinfo)
    assert f"{berlin:%H:%M}" in response.content.decode()


def test_time_of_next_session_follows_the_coachs_own_time_zone(client, db):
    coach = UserFactory(timezone="America/New_York")
    person = CoacheeFactory(coach=coach, timezone="Europe/Berlin")
    CoachingSessionFactory(coachee=person, starts_at=datetime(2035, 1, 15, 15, 45, tzinfo=UTC))
    client.force_login(coach)

    page = client.get(URL).content.decode()

    assert "15 Jan 2035, 10:45" in page


def test_long_coaching_question_is_truncated(coach_client, coach):
    CoacheeFactory(coach=coach, coaching_question="word " * 100 + "THE-END")

    page = coach_client.get(URL).content.decode()

    assert "THE-END</p>" not in page
    assert "\u2026" in page


def test_list_is_paginated(coach_client, coach):
    for n in range(51):
        CoacheeFactory(coach=coach, name=f"Person {n:02d}")

    first = coach_client.get(URL)
    second = coach_client.get(URL, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert _names(second) == ["Person 50"]


def _add_coachees(coach, count, *, archived):
    for _ in range(count):
        person = CoacheeFactory(coach=coach, archived_at=timezone.now() if archived else None)
        GoalFactory.create_batch(3, coachee=person)
        CoachingSessionFactory(coachee=person, starts_at=timezone.now() + timedelta(days=2))
        CoachingSessionFactory(coachee=person, starts_at=timezone.now() - timedelta(days=5))


@pytest.mark.parametrize("archived", ["", "1"])
def test_query_count_does_not_grow_with_the_data(coach_client, coach, django_assert_max_num_queries, archived):
    bound = 6  # session, user, tab totals, page count, page rows, plus one spare
    params = {"archived": archived, "q": "example"}

    _add_coachees(coach, 3, archived=bool(archived))
    with django_assert_max_num_queries(bound):
        small = coach_client.get(URL, params)

    _add_coachees(coach, 27, archived=bool(archived))
    with django_assert_max_num_queries(bound):
        large = coach_client.get(URL, params)

    assert len(small.context["page"].object_list) == 3
    assert len(large.context["page"].object_list) == 30
    assert all(row.active_goal_count == 3 for row in large.context["page"].object_list)
