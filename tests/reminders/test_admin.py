"""The reminder models are in the admin; failed reminders can be sent again from there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from assignments.reminders.models import CoacheeSettings, HomeworkCheck, MailPreferences, PracticeSettings, Reminder
from tests.factories import UserFactory

MODELS = [Reminder, PracticeSettings, CoacheeSettings, MailPreferences, HomeworkCheck]


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def one_of_each(coach, coachee, homework):
    Reminder.objects.create(
        kind="nudge",
        recipient=coachee.user,
        coachee=coachee,
        assignment=homework,
        occurrence="due x",
        due_at=homework.assigned_at,
        status="failed",
        last_error="SMTPRecipientsRefused: 550",
    )
    PracticeSettings.objects.create(coach=coach)
    CoacheeSettings.objects.create(coachee=coachee, nudge=False)
    MailPreferences.objects.create(coachee=coachee)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_open(model, staff_client, one_of_each):
    assert admin.site.is_registered(model)
    info = model._meta.app_label, model._meta.model_name
    assert staff_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert staff_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
    change = reverse("admin:{}_{}_change".format(*info), args=[model.objects.get().pk])
    assert staff_client.get(change).status_code == 200


def test_failed_reminders_can_be_sent_again(staff_client, one_of_each):
    reminder = Reminder.objects.get()

    staff_client.post(
        reverse("admin:reminders_reminder_changelist"),
        {"action": "send_again", "_selected_action": [reminder.pk]},
    )

    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING and reminder.attempts == 0 and reminder.last_error == ""
