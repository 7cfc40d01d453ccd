"""Who may open which URL, generated from the URL configuration.

Every URL in a coach namespace is requested by its owner, another coach, a coachee and an anonymous
visitor. A URL that is neither in a known namespace nor listed as public fails the test, so a new
URL cannot be added without deciding who may see it.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import AssignmentFactory, CoachingSessionFactory, GoalFactory, HomeworkTemplateFactory

COACH_NAMESPACES = {"coaching", "homework"}
# Reachable without being a coach: the front door, the account pages and the admin (staff only).
PUBLIC_PREFIXES = ("accounts/", "admin/")
PUBLIC_NAMES = {"home"}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def _all_urls():
    return list(_walk(get_resolver().url_patterns))


def _coach_url_names(*, with_object: bool | None = None):
    """Names of the coach URLs; with_object=True keeps those that take an object id, False the others."""
    return sorted(
        f"{ns}:{p.name}"
        for _route, ns, p in _all_urls()
        if ns in COACH_NAMESPACES and with_object in (None, bool(p.pattern.converters))
    )


def test_every_url_has_an_access_rule():
    unruled = [
        route
        for route, ns, pattern in _all_urls()
        if ns not in COACH_NAMESPACES and pattern.name not in PUBLIC_NAMES and not route.startswith(PUBLIC_PREFIXES)
    ]
    assert unruled == [], f"URLs without an access rule in tests/test_access.py: {unruled}"


@pytest.fixture
def owned(coach, coachee):
    """One object of each kind, all belonging to `coach`, keyed by URL parameter name."""
    session = CoachingSessionFactory(coachee=coachee, starts_at=timezone.now() + timedelta(days=3))
    assignment = AssignmentFactory(coachee=coachee, assigned_at=timezone.now() - timedelta(hours=1))
    return {
        "coachee_pk": coachee.pk,
        "session_pk": session.pk,
        "assignment_pk": assignment.pk,
        "goal_pk": GoalFactory(coachee=coachee).pk,
        "template_pk": HomeworkTemplateFactory(coach=coach).pk,
    }


def _url(name, owned):
    pattern = next(p for _route, ns, p in _all_urls() if f"{ns}:{p.name}" == name)
    params = list(pattern.pattern.converters)
    unknown = [p for p in params if p not in owned]
    assert not unknown, f"{name}: no test object for URL parameter(s) {unknown}; add one to `owned`"
    return reverse(name, kwargs={p: owned[p] for p in params}), bool(params)


def _request(client, url):
    """GET the page; for POST-only views (405 on GET) POST instead, as a person would."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


@pytest.mark.parametrize("name", _coach_url_names())
def test_owner_gets_the_page(name, client, coach, owned):
    url, _ = _url(name, owned)
    client.force_login(coach)
    response = client.get(url)
    if response.status_code == 405:
        assert client.post(url).status_code == 302, f"{name}: POST by the owner should act and redirect"
    else:
        assert response.status_code == 200, f"{name}: owner got {response.status_code}"


@pytest.mark.parametrize("name", _coach_url_names())
def test_another_coach_gets_404_or_only_their_own_data(name, client, other_coach, coachee, owned):
    url, has_object = _url(name, owned)
    client.force_login(other_coach)
    response = _request(client, url)
    if has_object:
        assert response.status_code == 404, f"{name}: another coach got {response.status_code}"
    else:
        assert response.status_code in (200, 302)
        assert coachee.name not in response.content.decode()


@pytest.mark.parametrize("name", _coach_url_names())
def test_a_coachee_gets_404(name, client, coachee, owned):
    url, _ = _url(name, owned)
    client.force_login(coachee.user)
    assert _request(client, url).status_code == 404, name


@pytest.mark.parametrize("name", _coach_url_names())
def test_anonymous_is_sent_to_login(name, client, owned):
    url, _ = _url(name, owned)
    response = _request(client, url)
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("login") + "?next=")
