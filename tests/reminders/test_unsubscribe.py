"""The unsubscribe link in every mail works without logging in and stops that category only; mail
programs can use it in one click (RFC 8058)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from assignments.reminders.links import unsubscribe_token
from assignments.reminders.models import Category, Kind, MailPreferences, PracticeSettings, Reminder, SubmissionMails
from assignments.services import submission_submit
from tests.factories import AssignmentFactory

from .conftest import NOW, deliver, walk


def _link_path(sent) -> str:
    return sent.message.extra_headers["List-Unsubscribe"][1:-1].removeprefix("http://127.0.0.1:8000")


def test_the_link_from_the_mail_asks_then_stops_that_category_without_a_login(client, coachee, homework, clock):
    [sent] = deliver(NOW)
    path = _link_path(sent)

    page = client.get(path)
    assert page.status_code == 200
    assert "Stop sending new homework to cody@example.com?" in page.content.decode()
    assert MailPreferences.objects.filter(coachee=coachee).count() == 0  # GET changes nothing

    done = client.post(path)

    assert done.status_code == 200 and "receives no more new homework" in done.content.decode()
    preferences = MailPreferences.objects.get(coachee=coachee)
    assert preferences.new_assignment is False
    assert preferences.nudge and preferences.due_soon and preferences.feedback_given


def test_a_one_click_post_from_a_mail_program_unsubscribes(coachee, homework, clock):
    [sent] = deliver(NOW)
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(
        _link_path(sent), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert MailPreferences.objects.get(coachee=coachee).new_assignment is False


def test_after_unsubscribing_that_kind_stops_and_others_go_on(client, coachee, homework, next_session, clock):
    [sent] = deliver(NOW)
    client.post(_link_path(sent))
    MailPreferences.objects.filter(coachee=coachee).update(due_soon=False)
    AssignmentFactory(coachee=coachee, assigned_at=clock.forward(hours=1), title="Second")

    sent = walk(clock, next_session.starts_at, step=timedelta(hours=1))

    assert [s.kind for s in sent] == [Kind.NUDGE, Kind.NUDGE, Kind.COACH_DIGEST]


def test_waiting_mails_of_that_category_are_skipped_at_once(client, coachee, homework, clock):
    [sent] = deliver(NOW)
    clock.move_to(NOW.replace(hour=21))  # 22:00 in Berlin: the next mail waits for the morning
    AssignmentFactory(coachee=coachee, assigned_at=clock.now)
    assert deliver(clock.now) == []
    waiting = Reminder.objects.get(status=Reminder.Status.PENDING)

    client.post(_link_path(sent))

    waiting.refresh_from_db()
    assert waiting.status == Reminder.Status.SKIPPED
    assert waiting.get_skip_reason_display() == "the recipient switched these mails off"


def test_a_coach_unsubscribes_from_submission_notices(client, coach, coachee, homework, clock):
    submission_submit(assignment=homework, answers=["Done"])
    notice = next(s for s in deliver(NOW) if s.kind == Kind.SUBMISSION_NOTICE)

    client.post(_link_path(notice))

    assert PracticeSettings.objects.get(coach=coach).submissions == SubmissionMails.OFF


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        unsubscribe_token(user_id=987654, category=Category.NUDGE) + "x",
        "x" * 5000,
    ],
)
def test_a_broken_link_answers_404(client, token, db):
    assert client.get(reverse("reminders:unsubscribe:link", args=[token])).status_code == 404
    assert client.post(reverse("reminders:unsubscribe:link", args=[token])).status_code == 404


def test_a_link_for_someone_unknown_or_a_category_that_is_not_theirs_answers_404(client, coach, coachee):
    for user_id, category in [(987654, Category.NUDGE), (coach.pk, Category.NUDGE), (coachee.user_id, "coach_digest")]:
        url = reverse("reminders:unsubscribe:link", args=[unsubscribe_token(user_id=user_id, category=category)])
        assert client.get(url).status_code == 404


def test_other_methods_are_refused(client, coachee):
    url = reverse("reminders:unsubscribe:link", args=[unsubscribe_token(user_id=coachee.user_id, category="nudge")])

    assert client.put(url).status_code == 405


def test_an_already_stopped_category_says_so(client, coachee):
    MailPreferences.objects.create(coachee=coachee, nudge=False)
    url = reverse("reminders:unsubscribe:link", args=[unsubscribe_token(user_id=coachee.user_id, category="nudge")])

    assert "receives no nudges to start" in client.get(url).content.decode()
