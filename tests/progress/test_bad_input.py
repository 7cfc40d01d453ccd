"""Bad input never gives a 500 on the coachee's own progress, data and calendar pages, nor on the
feed addresses. (The coach's pages are covered by tests/test_bad_input.py through their namespace.)"""

import pytest
from django.urls import reverse

from assignments.progress.models import DeletionRequest
from tests.factories import UploadFactory
from tests.test_access import _own_data_url_names

PAYLOADS = [
    {},
    {"reason": "x" * 60_000, "understood": "on"},
    {"reason": "nul\x00byte", "understood": "on"},
    {"reason": "2026-13-45T99:99", "understood": "2026-13-45"},
    {"reason": ["a", "b"], "understood": ["", "on"], "coachee": "-1"},
]


@pytest.mark.parametrize("name", _own_data_url_names())
def test_garbage_posts_to_the_coachees_pages_give_an_answer(name, client, coachee, history):
    UploadFactory(assignment__coachee=coachee)
    client.force_login(coachee.user)
    for payload in PAYLOADS:
        response = client.post(reverse(name), payload)
        assert response.status_code in (200, 302, 405), f"{name} answered {response.status_code} to {payload}"
        if response.status_code == 200:
            assert "invalid-feedback" in response.content.decode(), f"{name}: a refused form says what is wrong"


@pytest.mark.parametrize("name", _own_data_url_names())
def test_garbage_query_strings_are_ignored(name, client, coachee):
    client.force_login(coachee.user)
    for query in ({"weeks": "-1", "coachee": 2**70, "q": "y" * 5000}, {"next": "//evil.example"}):
        assert client.get(reverse(name), query).status_code in (200, 302, 405)


def test_an_over_long_reason_is_refused_with_a_message(coachee_client):
    response = coachee_client.post(
        reverse("progress:mine:deletion_request"), {"reason": "x" * 2001, "understood": "on"}
    )
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    assert not DeletionRequest.objects.exists()


def test_a_coach_posting_garbage_to_a_deletion_request_gets_no_500(coach_client, coachee):
    DeletionRequest.objects.create(coachee=coachee)
    url = reverse("progress:deletion_confirm", args=[coachee.pk])
    for payload in ({}, {"understood": "false"}, {"understood": ""}, {"reason": "x" * 60_000, "coachee": "nul\x00"}):
        response = coach_client.post(url, payload)
        assert response.status_code == 200
        assert "Tick the box to confirm the deletion." in response.content.decode()
    assert DeletionRequest.objects.filter(coachee=coachee).exists()


@pytest.mark.parametrize(
    "path", ["/calendar/feed/%s.ics" % ("a" * 5000), "/calendar/feed/%FF%FE.ics", "/calendar/feed/.ics"]
)
def test_absurd_feed_addresses_answer_404(client, db, path):
    assert client.get(path).status_code == 404
