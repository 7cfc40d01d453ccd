"""Bad input never gives a 500: every coach and coachee form receives over-long text, malformed
dates, null characters and another person's ids; every URL receives unknown and absurd ids and query
strings.

The forms' field names are read from the pages themselves, so new forms are covered too.
"""

import re

import pytest
from django.urls import resolve, reverse

from tests.factories import (
    AssignmentFactory,
    CoachingSessionFactory,
    GoalFactory,
    HomeworkTemplateFactory,
    LogEntryFactory,
    UploadFactory,
)
from tests.test_access import (  # noqa: F401  (fixtures)
    _coach_url_names,
    _coachee_url,
    _coachee_url_names,
    _url,
    coachee_owned,
    owned,
)

FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', re.IGNORECASE)
OK_STATUSES = {200, 302, 400, 404, 405}
# A coachee's change to homework that was submitted or closed meanwhile is refused with 409.
COACHEE_OK_STATUSES = OK_STATUSES | {409}


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
        keys = ["coachee_pk", "session_pk", "assignment_pk", "goal_pk", "template_pk"]
        bad = dict.fromkeys([*keys, "programme_pk", "step_pk", "enrolment_pk"], absurd)
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


# --- The coachee's forms --------------------------------------------------------------------------


@pytest.fixture
def foreign_work(other_coachee):
    """Objects of another coachee whose ids a tampered form might carry."""
    entry = LogEntryFactory(assignment__coachee=other_coachee)
    return {
        "assignment": AssignmentFactory(coachee=other_coachee).pk,
        "entry": entry.pk,
        "upload": UploadFactory(assignment__coachee=other_coachee).pk,
        "session": CoachingSessionFactory(coachee=other_coachee).pk,
    }


def _form_page(client, url):
    """The page that holds the form posting to `url`: the URL itself, or for a POST-only URL the
    homework page its form stands on."""
    page = client.get(url)
    if page.status_code == 405:
        page = client.get(reverse("my:assignment", kwargs={"assignment_pk": resolve(url).kwargs["assignment_pk"]}))
    return page


@pytest.mark.parametrize("name", _coachee_url_names())
def test_malformed_coachee_posts_give_an_answer_not_an_error(name, client, coachee, coachee_owned, foreign_work):  # noqa: F811
    url = _coachee_url(name, coachee_owned)
    client.force_login(coachee.user)
    page = _form_page(client, url)
    names = _field_names(page.content.decode()) if page.status_code == 200 else set()
    for payload in _payloads(names | {"action", "day", "did_it", "mood", "fit_rating"}, foreign_work):
        response = client.post(url, payload)
        assert response.status_code in COACHEE_OK_STATUSES, f"{name} answered {response.status_code} to {payload}"
        body = response.content.decode()
        if response.status_code == 200 and name != "my:draft":
            assert "invalid-feedback" in body or "alert-danger" in body, f"{name}: a refused form says what is wrong"


# Pages without an id in their address: nothing to make up.
@pytest.mark.parametrize("name", [n for n in _coachee_url_names() if n not in {"my:home", "my:kinds"}])
def test_unknown_and_absurd_ids_answer_404_to_the_coachee(name, client, coachee, foreign_work):
    client.force_login(coachee.user)
    for absurd in (987654321, 2**63 + 10, foreign_work["assignment"]):
        bad = {"assignment_pk": absurd, "entry_pk": absurd, "upload_pk": absurd}
        bad_url, _ = _url(name, bad)
        for method in ("get", "post"):
            assert getattr(client, method)(bad_url).status_code in (404, 405), (method, bad_url)


@pytest.mark.parametrize("name", _coachee_url_names())
def test_malformed_query_strings_are_ignored_by_coachee_pages(name, client, coachee, coachee_owned):  # noqa: F811
    url = _coachee_url(name, coachee_owned)
    client.force_login(coachee.user)
    for query in ({"day": "nonsense", "next": "//evil.example", "q": "y" * 5000}, {"assignment": 2**70}):
        assert client.get(url, query).status_code in COACHEE_OK_STATUSES


def test_home_redirects_a_coachee_to_their_homework(client, coachee):
    client.force_login(coachee.user)
    assert client.get(reverse("home"))["Location"] == reverse("my:home")
