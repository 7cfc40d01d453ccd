"""Behavioural practice: check-ins per day or per occurrence, with the count and the current streak."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse

from assignments.models import Assignment, Cadence, LogEntry
from assignments.services import log_entry_add, review_record, submission_submit
from tests.coachee.conftest import TODAY, days, homework, page_url
from tests.factories import CoachingSessionFactory


def entry_url(assignment):
    return reverse("my:entry_add", args=[assignment.pk])


def check_in(client, assignment, day, did_it="yes", note=""):
    return client.post(entry_url(assignment), {"day": day.isoformat(), "did_it": did_it, "note": note})


def test_a_check_in_is_saved_and_starts_the_homework(coachee_client, coachee):
    practice = homework(coachee, "behavioural")
    response = check_in(coachee_client, practice, TODAY, note="Said no to an extra meeting")
    assert response.status_code == 302
    assert response["Location"] == page_url(practice) + "#log"
    entry = practice.log_entries.get()
    assert (entry.type, entry.day, entry.did_it, entry.note) == ("day", TODAY, True, "Said no to an extra meeting")
    practice.refresh_from_db()
    assert practice.status == Assignment.Status.STARTED
    assert practice.started_at is not None
    page = coachee_client.get(page_url(practice)).content.decode()
    assert "Said no to an extra meeting" in page
    assert "Did it" in page


def test_a_daily_check_in_for_the_same_day_replaces_the_first(coachee_client, coachee):
    practice = homework(coachee, "behavioural")
    check_in(coachee_client, practice, TODAY, did_it="no")
    response = check_in(coachee_client, practice, TODAY, did_it="yes", note="Managed it after all")
    assert response.status_code == 302
    assert practice.log_entries.count() == 1
    assert practice.log_entries.get().did_it is True
    assert "Updated your entry" in coachee_client.get(page_url(practice)).content.decode()


def test_weekly_practice_takes_several_check_ins_a_day(coachee_client, coachee):
    practice = homework(coachee, "behavioural", cadence=Cadence.WEEKLY)
    check_in(coachee_client, practice, TODAY)
    check_in(coachee_client, practice, TODAY, did_it="no")
    assert list(practice.log_entries.values_list("type", flat=True)) == ["occurrence", "occurrence"]


def test_the_database_refuses_two_daily_check_ins_for_one_day(coachee):
    practice = homework(coachee, "behavioural")
    LogEntry.objects.create(assignment=practice, type="day", day=TODAY, did_it=True)
    with pytest.raises(IntegrityError):
        LogEntry.objects.create(assignment=practice, type="day", day=TODAY, did_it=False)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TODAY + timedelta(days=1), "Pick today or an earlier day."),
        (TODAY - timedelta(days=30), "Pick a day since the homework was given"),
    ],
)
def test_a_day_outside_the_homework_is_refused_with_a_clear_message(coachee_client, coachee, day, message):
    practice = homework(coachee, "behavioural")
    response = check_in(coachee_client, practice, day, note="Keep this note")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Keep this note" in page  # what was typed comes back
    assert not practice.log_entries.exists()


def test_did_it_must_be_answered(coachee_client, coachee):
    practice = homework(coachee, "behavioural")
    response = coachee_client.post(entry_url(practice), {"day": TODAY.isoformat(), "note": "forgot to choose"})
    assert "Choose whether you did it." in response.content.decode()
    assert not practice.log_entries.exists()


def test_count_and_streak_of_daily_practice(coachee_client, coachee, frozen_clock):
    """Done on the 8th, 10th, 11th and (after a skipped 12th until evening) the 12th: four done of
    five check-ins; the streak runs 10th–12th."""
    practice = homework(coachee, "behavioural")
    for offset, did_it in [(-4, "yes"), (-3, "no"), (-2, "yes"), (-1, "yes")]:
        check_in(coachee_client, practice, TODAY + timedelta(days=offset), did_it=did_it)
    progress = Assignment.objects.get(pk=practice.pk).practice(TODAY)
    assert (progress.entries, progress.done, progress.streak, progress.streak_unit) == (4, 3, 2, "day")

    # Today is not over: the streak still counts up to yesterday, and grows when today is logged.
    check_in(coachee_client, practice, TODAY)
    page = coachee_client.get(page_url(practice)).content.decode()
    assert "<strong>4</strong> <span>days done</span>" in page
    assert "of 5 checked in" in page
    assert "<strong>3</strong>\n    <span>days in a row</span>" in page

    # Two days later without a check-in the streak is broken.
    frozen_clock.move_to(days(2))
    assert Assignment.objects.get(pk=practice.pk).practice(TODAY + timedelta(days=2)).streak == 0


def test_streak_of_weekly_practice_counts_weeks(coachee):
    practice = homework(coachee, "behavioural", cadence=Cadence.WEEKLY, assigned_at=days(-30))
    # Monday 12 Jan 2026: done in the week of 15 Dec, not in the week of 22 Dec, then done in the
    # weeks of 29 Dec (on Friday 2 Jan), 5 Jan and this week.
    for offset, did_it in [(-28, True), (-21, False), (-14, False), (-10, True), (-4, True), (0, True), (0, False)]:
        log_entry_add(assignment=practice, day=TODAY + timedelta(days=offset), did_it=did_it)
    progress = Assignment.objects.get(pk=practice.pk).practice(TODAY)
    assert (progress.entries, progress.done, progress.streak, progress.streak_unit) == (7, 4, 3, "week")


def test_streak_of_practice_per_occurrence_counts_the_latest_done_in_a_row(coachee):
    practice = homework(coachee, "behavioural", cadence=Cadence.ONCE)
    for offset, did_it in [(-5, True), (-4, False), (-3, True), (-2, True)]:
        log_entry_add(assignment=practice, day=TODAY + timedelta(days=offset), did_it=did_it)
    progress = Assignment.objects.get(pk=practice.pk).practice(TODAY)
    assert (progress.done, progress.streak, progress.streak_unit) == (3, 2, "time")


def test_check_ins_go_on_after_submitting_until_the_review(coachee_client, coachee):
    practice = homework(coachee, "behavioural")
    check_in(coachee_client, practice, TODAY - timedelta(days=1))
    submission_submit(assignment=practice, text="It got easier")
    assert check_in(coachee_client, practice, TODAY).status_code == 302
    assert practice.log_entries.count() == 2
    practice.refresh_from_db()
    assert practice.status == Assignment.Status.SUBMITTED

    review_record(
        assignment=practice,
        session=CoachingSessionFactory(coachee=coachee, starts_at=days(-1)),
        outcome="done",
        next_step="close",
    )
    response = check_in(coachee_client, practice, TODAY, did_it="no")
    assert response.status_code == 409
    assert "closed" in response.content.decode()
    assert practice.log_entries.get(day=TODAY).did_it is True


def test_a_check_in_can_be_taken_back_until_the_review(coachee_client, coachee):
    practice = homework(coachee, "behavioural")
    check_in(coachee_client, practice, TODAY)
    entry = practice.log_entries.get()
    response = coachee_client.post(reverse("my:entry_delete", args=[practice.pk, entry.pk]))
    assert response.status_code == 302
    assert not practice.log_entries.exists()


def test_homework_without_a_log_takes_no_entries(coachee_client, coachee):
    reflection = homework(coachee, "reflection")
    assert check_in(coachee_client, reflection, TODAY).status_code == 404
