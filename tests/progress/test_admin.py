"""The admin covers the progress models, and their pages open."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from assignments.progress.models import DeletionRequest
from assignments.progress.services import calendar_feed_renew
from tests.factories import UserFactory

MODELS = list(apps.get_app_config("progress").get_models())


def test_every_progress_model_is_in_the_admin():
    assert MODELS and all(admin.site.is_registered(model) for model in MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_open(model, client, coachee):
    calendar_feed_renew(user=coachee.user)
    DeletionRequest.objects.create(coachee=coachee)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    info = model._meta.app_label, model._meta.model_name
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert client.get(reverse("admin:{}_{}_change".format(*info), args=[model.objects.get().pk])).status_code == 200
