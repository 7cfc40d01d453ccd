"""Bad input never gives a 500: every coach form receives over-long text, malformed dates, null
characters and another coach's ids; every URL receives unknown and absurd ids and query strings.

The forms' field names are read from the pages themselves, so new forms are covered too.
"""

import re

import pytest
from django.urls import reverse

from tests.factories import CoachingSessionFactory, GoalFactory, HomeworkTemplateFactory
from tests.test_access import _coach_url_names, _url, owned  # noqa: F401  (fixture)

FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', re.IGNORECASE)
OK_STATUSES = {200, 302, 400, 404, 405}


@pytest.fixture
def foreign(other_coachee, other_coach):
    """Objects of another coach whose ids a tampered form might carry."""
    return {
        "goal": GoalFactory(coachee=other_coachee).pk,
        "session": CoachingSessionFactory(coachee=other_coachee).pk,
        "template": HomeworkTemplateFactory(coach=other_coach).pk,
        "coachee": other_coachee.pk,
    }


def _field_names(html: str) -> set[str]:
    return set(FIELD_NAME.findall(html)) - {"csrfmiddlewaretoken"}


def _payloads(names, foreign):
    yield dict.fromkeys(names, "")
    yield dict.fromkeys(names, "x" * 60_000)
    yield dict.fromkeys(names, "2026-13-45T99:99")
    yield dict.fromkeys(names, "nul\x00byte")
    yield dict.fromkeys(names, "-1")
    for value in foreign.values():
        yield dict.fromkeys(names, str(value))


@pytest.mark.parametrize("name", _coach_url_names())
def test_malformed_form_posts_give_an_answer_not_an_error(name, client, coach, owned, foreign):  # noqa: F811
    url, _ = _url(name, owned)
    client.force_login(coach)
    page = client.get(url)
    names = _field_names(page.content.decode()) if page.status_code == 200 else set()
    for payload in _payloads(names, foreign):
        response = client.post(url, payload)
        assert response.status_code in OK_STATUSES, f"{name} answered {response.status_code} to {payload}"


@pytest.mark.parametrize("name", _coach_url_names(with_object=True))
def test_unknown_and_absurd_ids_answer_404(name, client, coach):
    client.force_login(coach)
    for absurd in (987654321, 2**63 + 10):
        bad = dict.fromkeys(["coachee_pk", "session_pk", "assignment_pk", "goal_pk", "template_pk"], absurd)
        bad_url, _ = _url(name, bad)
        assert client.get(bad_url).status_code in (404, 405), bad_url


@pytest.mark.parametrize("name", _coach_url_names())
def test_malformed_query_strings_are_ignored_or_refused(name, client, coach, owned, foreign):  # noqa: F811
    url, _ = _url(name, owned)
    client.force_login(coach)
    for query in (
        {"template": "abc", "session": "x", "follow_up": "1e9", "kind": "nonsense", "q": "y" * 5000, "archived": "?"},
        {"template": foreign["template"], "session": foreign["session"], "follow_up": 2**70},
    ):
        response = client.get(url, query)
        assert response.status_code in OK_STATUSES, f"{name} answered {response.status_code} to {query}"


def test_home_redirects_a_coach_to_the_dashboard(client, coach):
    client.force_login(coach)
    assert client.get(reverse("home"))["Location"] == reverse("homework:dashboard")
