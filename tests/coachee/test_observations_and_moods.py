"""Observation logs (dated entries) and mood journals (a mood from 1 to 5 and a note, per day)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse

from assignments.models import Assignment, HomeworkTemplate, LogEntry
from tests.coachee.conftest import TODAY, homework, page_url


def entry_url(assignment):
    return reverse("my:entry_add", args=[assignment.pk])


def test_observations_are_dated_notes(coachee_client, coachee):
    observation = homework(coachee, "observation")
    for offset, note in [(-1, "Tight shoulders before the meeting"), (-1, "Jaw clenched reading mail")]:
        response = coachee_client.post(
            entry_url(observation), {"day": (TODAY + timedelta(days=offset)).isoformat(), "note": note}
        )
        assert response.status_code == 302
    assert list(observation.log_entries.values_list("type", "note")) == [
        ("observation", "Tight shoulders before the meeting"),
        ("observation", "Jaw clenched reading mail"),
    ]
    page = coachee_client.get(page_url(observation)).content.decode()
    assert "Your observations" in page
    assert "Jaw clenched reading mail" in page


def test_an_observation_needs_words(coachee_client, coachee):
    observation = homework(coachee, "observation")
    response = coachee_client.post(entry_url(observation), {"day": TODAY.isoformat(), "note": "   "})
    assert "Write down what you observed." in response.content.decode()
    assert not observation.log_entries.exists()


def test_the_built_in_mood_journal_is_marked_as_one(db):
    assert HomeworkTemplate.objects.get(coach=None, title="Mood journal").creative_format == "mood_journal"
    assert set(
        HomeworkTemplate.objects.filter(coach=None, kind="creative").values_list("creative_format", flat=True)
    ) == {
        "mood_journal",
        "text_files",
    }


def test_a_mood_journal_takes_one_mood_a_day(coachee_client, coachee):
    journal = homework(coachee, "mood_journal")
    page = coachee_client.get(page_url(journal)).content.decode()
    assert "Your mood journal" in page
    assert 'name="mood"' in page
    assert 'name="file"' not in page

    coachee_client.post(entry_url(journal), {"day": TODAY.isoformat(), "mood": "2", "note": "Tired"})
    coachee_client.post(entry_url(journal), {"day": TODAY.isoformat(), "mood": "4", "note": "Better by evening"})
    coachee_client.post(entry_url(journal), {"day": (TODAY - timedelta(days=1)).isoformat(), "mood": "3"})
    assert list(journal.log_entries.order_by("day").values_list("mood", "note")) == [(3, ""), (4, "Better by evening")]
    progress = Assignment.objects.get(pk=journal.pk).practice(TODAY)
    assert (progress.entries, progress.streak, progress.average_mood) == (2, 2, 3.5)
    page = coachee_client.get(page_url(journal)).content.decode()
    assert "Mood 4/5" in page
    assert "average mood" in page


@pytest.mark.parametrize("mood", ["0", "6", "-1", "three", ""])
def test_a_mood_outside_1_to_5_is_refused(coachee_client, coachee, mood):
    journal = homework(coachee, "mood_journal")
    response = coachee_client.post(entry_url(journal), {"day": TODAY.isoformat(), "mood": mood, "note": "kept"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose your mood from 1 (very low) to 5 (very good)." in page
    assert "kept" in page
    assert not journal.log_entries.exists()


def test_the_database_holds_moods_between_1_and_5(coachee):
    journal = homework(coachee, "mood_journal")
    with pytest.raises(IntegrityError):
        LogEntry.objects.create(assignment=journal, type="mood", day=TODAY, mood=6)


def test_the_database_wants_a_mood_on_a_mood_entry(coachee):
    journal = homework(coachee, "mood_journal")
    with pytest.raises(IntegrityError):
        LogEntry.objects.create(assignment=journal, type="mood", day=TODAY)
