"""Archiving and restoring coachees: POST only, and archived coachees stay reachable."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import assert_sent_to_own_homework
from tests.sessions.conftest import assert_redirects_to_login


def _url(name, coachee):
    return reverse(f"coaching:{name}", args=[coachee.pk])


@pytest.mark.parametrize("name", ["coachee_archive", "coachee_restore"])
def test_get_is_not_allowed(coach_client, coachee, name):
    assert coach_client.get(_url(name, coachee)).status_code == 405
    coachee.refresh_from_db()
    assert coachee.archived_at is None


def test_owner_archives_a_coachee(coach_client, coachee):
    response = coach_client.post(_url("coachee_archive", coachee), follow=True)

    coachee.refresh_from_db()
    assert coachee.is_archived
    assert response.redirect_chain == [(reverse("coaching:coachee_list"), 302)]
    assert f"{coachee.name} is archived" in response.content.decode()


def test_owner_restores_a_coachee(coach_client, coachee):
    coachee.archived_at = timezone.now()
    coachee.save()

    response = coach_client.post(_url("coachee_restore", coachee))

    assert response.status_code == 302
    assert response["Location"] == reverse("homework:coachee_detail", args=[coachee.pk])
    coachee.refresh_from_db()
    assert coachee.archived_at is None


def test_another_coach_gets_404_and_changes_nothing(other_coach_client, coachee):
    assert other_coach_client.post(_url("coachee_archive", coachee)).status_code == 404
    coachee.refresh_from_db()
    assert coachee.archived_at is None

    coachee.archived_at = archived_at = timezone.now()
    coachee.save()
    assert other_coach_client.post(_url("coachee_restore", coachee)).status_code == 404
    coachee.refresh_from_db()
    assert coachee.archived_at == archived_at


@pytest.mark.parametrize("name", ["coachee_archive", "coachee_restore"])
def test_anonymous_and_coachee_logins(client, coachee_client, coachee, name):
    assert_redirects_to_login(client.post(_url(name, coachee)))
    assert_sent_to_own_homework(coachee_client.post(_url(name, coachee)))
    coachee.refresh_from_db()
    assert coachee.archived_at is None


def test_archived_coachee_pages_still_open(coach_client, coachee):
    coachee.archived_at = timezone.now()
    coachee.save()

    for url in [
        _url("coachee_edit", coachee),
        _url("goal_create", coachee),
        _url("session_create", coachee),
    ]:
        assert coach_client.get(url).status_code == 200, url
    assert (
        reverse("coaching:coachee_restore", args=[coachee.pk])
        in coach_client.get(_url("coachee_edit", coachee)).content.decode()
    )
