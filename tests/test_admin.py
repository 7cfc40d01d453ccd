"""The Django admin covers every model of the project, and its pages open."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from assignments.services import assignment_create
from tests.factories import (
    AssignmentFactory,
    GoalFactory,
    InvitationFactory,
    LogEntryFactory,
    ReviewFactory,
    SubmissionFactory,
    UploadFactory,
    UserFactory,
)

PROJECT_APPS = ["accounts", "coaching_sessions", "assignments"]


def _project_models():
    return [model for label in PROJECT_APPS for model in apps.get_app_config(label).get_models()]


def test_every_project_model_is_in_the_admin():
    missing = [model.__name__ for model in _project_models() if not admin.site.is_registered(model)]
    assert missing == []


@pytest.mark.parametrize("model", _project_models(), ids=lambda m: m.__name__)
def test_admin_list_and_change_pages_open(model, client, db):
    goal = GoalFactory()
    ReviewFactory(assignment=AssignmentFactory(coachee=goal.coachee, goal=goal))
    SubmissionFactory()
    LogEntryFactory()
    UploadFactory()
    InvitationFactory(coachee=goal.coachee)
    assignment_create(coachee=goal.coachee, kind="preparation", title="Proposed", instructions="Think.", propose=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    info = model._meta.app_label, model._meta.model_name
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
    instance = model.objects.first()
    assert instance is not None, f"no {model.__name__} made by the factories"
    assert client.get(reverse("admin:{}_{}_change".format(*info), args=[instance.pk])).status_code == 200
