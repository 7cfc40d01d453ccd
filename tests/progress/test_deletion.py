"""Deletion: a coachee asks, their coach confirms, and the coachee's data and files are gone."""

from pathlib import Path

import pytest
from django.urls import reverse

from assignments.models import Assignment, LogEntry, Review, Submission, Upload
from assignments.progress.models import CalendarFeed, DeletionRequest
from assignments.progress.services import NoDeletionRequest, calendar_feed_renew, coachee_delete
from coachhub.accounts.models import User
from sessions.models import Coachee, CoachingSession, Goal
from tests.factories import AssignmentFactory, LogEntryFactory, UploadFactory


@pytest.fixture
def stored_files(coachee, other_coachee):
    mine = [UploadFactory(assignment__coachee=coachee) for _ in range(2)]
    theirs = UploadFactory(assignment__coachee=other_coachee)
    return [Path(u.file.path) for u in mine], Path(theirs.file.path)


def test_the_coachee_asks_and_can_withdraw(coachee_client, coachee):
    url = reverse("progress:mine:deletion_request")
    page = coachee_client.post(url, {"reason": ""})
    assert page.status_code == 200 and "Tick the box" in page.content.decode()
    assert not DeletionRequest.objects.exists()
    response = coachee_client.post(url, {"reason": "Coaching has ended.", "understood": "on"})
    assert response.status_code == 302
    assert DeletionRequest.objects.get(coachee=coachee).reason == "Coaching has ended."
    assert "You asked on" in coachee_client.get(reverse("progress:mine:data")).content.decode()
    coachee_client.post(reverse("progress:mine:deletion_withdraw"))
    assert not DeletionRequest.objects.exists()


def test_the_coach_confirms_and_everything_of_the_coachee_is_gone(
    client, coach, coachee, other_coachee, history, stored_files, django_capture_on_commit_callbacks
):
    mine, theirs = stored_files
    user_pk = coachee.user.pk
    calendar_feed_renew(user=coachee.user)
    LogEntryFactory(assignment__coachee=other_coachee)
    client.force_login(coachee.user)
    client.post(reverse("progress:mine:deletion_request"), {"understood": "on"})

    client.force_login(coach)
    url = reverse("progress:deletion_confirm", args=[coachee.pk])
    page = client.get(url).content.decode()
    assert "2 uploaded files" in page
    assert client.post(url, {}).status_code == 200  # the box is not ticked: nothing happens
    assert Coachee.objects.filter(pk=coachee.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"understood": "on"})
    assert response.status_code == 302

    assert not Coachee.objects.filter(pk=coachee.pk).exists()
    assert not User.objects.filter(pk=user_pk).exists()
    for model, path in (
        (Assignment, "coachee"),
        (Goal, "coachee"),
        (CoachingSession, "coachee"),
        (Submission, "assignment__coachee"),
        (LogEntry, "assignment__coachee"),
        (Review, "assignment__coachee"),
        (Upload, "assignment__coachee"),
    ):
        assert not model.objects.filter(**{f"{path}_id": coachee.pk}).exists(), model.__name__
    assert not CalendarFeed.objects.filter(user_id=user_pk).exists()
    assert not DeletionRequest.objects.exists()
    assert not any(path.exists() for path in mine)
    # Nothing of anyone else is touched.
    assert theirs.exists()
    assert Coachee.objects.filter(pk=other_coachee.pk).exists()
    assert LogEntry.objects.filter(assignment__coachee=other_coachee).exists()
    assert User.objects.filter(pk=coach.pk).exists()


def test_nothing_is_deleted_without_a_request(coach_client, coachee):
    AssignmentFactory(coachee=coachee)
    url = reverse("progress:deletion_confirm", args=[coachee.pk])
    assert "has not asked" in coach_client.get(url).content.decode()
    assert coach_client.post(url, {"understood": "on"}).status_code == 302
    assert Coachee.objects.filter(pk=coachee.pk).exists()
    with pytest.raises(NoDeletionRequest):
        coachee_delete(coachee=coachee)


def test_another_coach_cannot_confirm(client, other_coach, coachee):
    DeletionRequest.objects.create(coachee=coachee)
    client.force_login(other_coach)
    response = client.post(reverse("progress:deletion_confirm", args=[coachee.pk]), {"understood": "on"})
    assert response.status_code == 404
    assert Coachee.objects.filter(pk=coachee.pk).exists()


def test_a_coachee_without_a_login_can_be_deleted(coach, django_capture_on_commit_callbacks):
    from tests.factories import CoacheeFactory

    invited = CoacheeFactory(coach=coach)
    DeletionRequest.objects.create(coachee=invited)
    with django_capture_on_commit_callbacks(execute=True):
        coachee_delete(coachee=invited)
    assert not Coachee.objects.filter(pk=invited.pk).exists()
