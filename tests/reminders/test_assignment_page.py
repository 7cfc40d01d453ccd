"""On the coach's page of an assignment: which reminders went out and when, and which were not sent."""

from datetime import timedelta

from django.urls import reverse

from assignments.reminders.models import Reminder
from assignments.services import submission_save_draft

from .conftest import NOW, deliver, walk


def test_the_coach_sees_the_reminders_of_an_assignment(coach_client, coachee, homework, next_session, clock):
    deliver(NOW)
    walk(clock, NOW + timedelta(days=4, hours=1), step=timedelta(hours=1))  # the nudge goes out Fri 08:00
    submission_save_draft(assignment=homework, answers=["Started"])
    Reminder.objects.create(
        kind="nudge",
        recipient=coachee.user,
        coachee=coachee,
        assignment=homework,
        occurrence="x",
        due_at=NOW,
        status="skipped",
        skip_reason="started",
    )

    page = coach_client.get(reverse("homework:assignment_detail", args=[homework.pk])).content.decode()

    assert "New homework" in page and "sent Mon 12 Jan, 10:00" in page
    assert "Nudge to start" in page and "sent Fri 16 Jan, 08:00" in page
    assert "not sent: the coachee had started" in page


def test_no_reminders_yet(coach_client, homework):
    page = coach_client.get(reverse("homework:assignment_detail", args=[homework.pk])).content.decode()

    assert "No reminders so far." in page
