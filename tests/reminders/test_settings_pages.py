"""The coach's reminder settings (practice and per coachee) and the coachee's mail preferences:
the owner succeeds, a stranger gets 404, anonymous goes to login, other methods get 405."""

from datetime import time

import pytest
from django.urls import reverse

from assignments.reminders.models import CoacheeSettings, MailPreferences, PracticeSettings, SubmissionMails

PRACTICE_FORM = {
    "new_assignment": "on",
    "due_soon": "on",
    "due_soon_hours": "36",
    "feedback_given": "on",
    "coach_digest": "on",
    "submissions": "digest",
    "digest_time": "17:30",
    "quiet_start": "22:00",
    "quiet_end": "07:00",
}


def test_the_coach_sees_the_defaults_and_their_coachees(coach_client, coachee):
    page = coach_client.get(reverse("reminders:settings")).content.decode()

    assert 'name="due_soon_hours" value="24"' in page
    assert 'value="21:00"' in page and 'value="08:00"' in page
    assert reverse("reminders:coachee_settings", args=[coachee.pk]) in page


def test_the_coach_saves_their_practice_settings(coach_client, coach):
    response = coach_client.post(reverse("reminders:settings"), PRACTICE_FORM)

    assert response.status_code == 302
    practice = PracticeSettings.objects.get(coach=coach)
    assert practice.nudge is False and practice.due_soon_hours == 36
    assert practice.submissions == SubmissionMails.DIGEST and practice.digest_time == time(17, 30)
    assert (practice.quiet_start, practice.quiet_end) == (time(22), time(7))


def test_a_digest_time_in_the_quiet_hours_is_refused_with_advice(coach_client, coach):
    response = coach_client.post(reverse("reminders:settings"), {**PRACTICE_FORM, "digest_time": "23:00"})

    assert response.status_code == 200
    assert "Pick a time outside them." in response.content.decode()
    assert not PracticeSettings.objects.filter(coach=coach).exists()


def test_the_coach_sets_and_clears_exceptions_for_a_coachee(coach_client, coachee):
    url = reverse("reminders:coachee_settings", args=[coachee.pk])
    assert "As in your practice settings (on)" in coach_client.get(url).content.decode()

    coach_client.post(url, {"nudge": "false", "due_soon_hours": "6", "quiet_start": "20:00", "quiet_end": "09:00"})

    override = CoacheeSettings.objects.get(coachee=coachee)
    assert override.nudge is False and override.new_assignment is None and override.due_soon_hours == 6
    assert 'value="false" selected' in coach_client.get(url).content.decode()

    coach_client.post(url, {})
    assert not CoacheeSettings.objects.filter(coachee=coachee).exists()


def test_half_filled_quiet_hours_are_refused(coach_client, coachee):
    url = reverse("reminders:coachee_settings", args=[coachee.pk])

    response = coach_client.post(url, {"quiet_start": "20:00"})

    assert "Fill in both ends of the quiet hours" in response.content.decode()


def test_another_coachs_coachee_answers_404(client, other_coach, coachee):
    client.force_login(other_coach)

    assert client.get(reverse("reminders:coachee_settings", args=[coachee.pk])).status_code == 404
    assert client.post(reverse("reminders:coachee_settings", args=[coachee.pk])).status_code == 404


def test_the_coachee_chooses_their_mails_and_check_in_time(client, coachee):
    client.force_login(coachee.user)
    url = reverse("reminders:mine:preferences")

    response = client.post(url, {"new_assignment": "on", "due_soon": "on", "checkin": "on", "checkin_time": "07:30"})
    assert "No mail goes out between 21:00 and 08:00" in response.content.decode()

    response = client.post(url, {"new_assignment": "on", "due_soon": "on", "checkin": "on", "checkin_time": "18:15"})
    assert response.status_code == 302
    preferences = MailPreferences.objects.get(coachee=coachee)
    assert preferences.nudge is False and preferences.checkin is True and preferences.checkin_time == time(18, 15)


def test_the_coachee_is_told_what_their_coach_does_not_send(client, coach, coachee):
    PracticeSettings.objects.create(coach=coach, checkin=False)
    client.force_login(coachee.user)

    page = client.get(reverse("reminders:mine:preferences")).content.decode()

    assert "Clara Coach does not send these at the moment:" in page and "check-in reminders" in page


@pytest.mark.parametrize(
    "name",
    ["reminders:settings", "reminders:mine:preferences"],
)
def test_other_methods_get_405(name, client, coach, coachee):
    client.force_login(coach if name == "reminders:settings" else coachee.user)

    assert client.put(reverse(name)).status_code == 405
    assert client.delete(reverse(name)).status_code == 405


@pytest.mark.parametrize("value", ["", "x" * 60_000, "25:99", "nul\x00byte", "-1", "2026-13-45T99:99"])
def test_bad_input_gets_an_answer_not_an_error(value, client, coach, coachee):
    fields = ["new_assignment", "nudge", "due_soon", "due_soon_hours", "feedback_given", "checkin", "checkin_time"]
    fields += ["coach_digest", "submissions", "digest_time", "quiet_start", "quiet_end"]
    client.force_login(coachee.user)
    assert client.post(reverse("reminders:mine:preferences"), dict.fromkeys(fields, value)).status_code in (200, 302)
    client.force_login(coach)
    for url in (reverse("reminders:settings"), reverse("reminders:coachee_settings", args=[coachee.pk])):
        assert client.post(url, dict.fromkeys(fields, value)).status_code in (200, 302)
