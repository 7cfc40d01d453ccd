"""Exports: the coach's CSV of a coachee's history and the coachee's ZIP of all their data hold every
record of that coachee and nothing of anyone else."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from assignments.models import Assignment, LogEntry, Review, Submission, Upload
from assignments.services import submission_submit
from tests.factories import (
    PNG_BYTES,
    AssignmentFactory,
    CoachingSessionFactory,
    GoalFactory,
    LogEntryFactory,
    SubmissionFactory,
    UploadFactory,
)


@pytest.fixture
def others(other_coachee, coach):
    """Records of another coachee (of another coach) and of a second coachee of the same coach."""
    from tests.factories import CoacheeFactory

    second = CoacheeFactory(coach=coach, name="Second Coachee")
    for person in (other_coachee, second):
        GoalFactory(coachee=person, title=f"Goal of {person.name}")
        CoachingSessionFactory(coachee=person)
        work = AssignmentFactory(coachee=person, title=f"Homework of {person.name}")
        SubmissionFactory(assignment=work, answers=[f"Answer of {person.name}"])
        LogEntryFactory(assignment__coachee=person, note=f"Note of {person.name}")
        UploadFactory(assignment__coachee=person, original_name=f"file-of-{person.pk}.png")
    return [other_coachee, second]


@pytest.fixture
def files(coachee):
    creative = UploadFactory(assignment__coachee=coachee, original_name="collage.png").assignment
    draft = UploadFactory(assignment__coachee=coachee, original_name="draft-only.png").assignment
    submission_submit(assignment=creative, text="My collage")
    return creative, draft


def _pks(queryset):
    return queryset.values_list("pk", flat=True)


def _csv(client, coachee):
    response = client.get(reverse("progress:history_csv", args=[coachee.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_holds_every_record_of_the_coachee(coach_client, coachee, history, files, others):
    rows = _csv(coach_client, coachee)
    found = {(row["record"], int(row["id"])) for row in rows}
    submitted = Submission.objects.filter(assignment__coachee=coachee, assignment__submitted_at__isnull=False)
    expected = (
        {("coachee", coachee.pk)}
        | {("goal", pk) for pk in coachee.goals.values_list("pk", flat=True)}
        | {("session", pk) for pk in coachee.sessions.values_list("pk", flat=True)}
        | {("homework", pk) for pk in coachee.assignments.values_list("pk", flat=True)}
        | {("submission", pk) for pk in submitted.values_list("pk", flat=True)}
        | {("review", pk) for pk in Review.objects.filter(assignment__coachee=coachee).values_list("pk", flat=True)}
        | {
            ("log entry", pk)
            for pk in LogEntry.objects.filter(assignment__coachee=coachee).values_list("pk", flat=True)
        }
        | {("file", files[0].uploads.get().pk)}
    )
    assert found == expected
    assert len(rows) == len(expected)


def test_the_csv_holds_nothing_of_anyone_else(coach_client, coachee, history, others):
    body = coach_client.get(reverse("progress:history_csv", args=[coachee.pk])).content.decode()
    for person in others:
        assert person.name not in body
    foreign_ids = {("homework", a.pk) for a in Assignment.objects.exclude(coachee=coachee)}
    rows = _csv(coach_client, coachee)
    assert not foreign_ids & {(row["record"], int(row["id"])) for row in rows}


def test_drafts_stay_out_of_the_coachs_csv(coach_client, coachee, history, files):
    """The coach sees the coachee's words and files only once they are submitted."""
    rows = _csv(coach_client, coachee)
    body = json.dumps(rows)
    assert "Going well" not in body  # A4's draft
    assert "draft-only.png" not in body
    assert "collage.png" in body
    a1 = next(r for r in rows if r["record"] == "submission" and r["homework id"] == str(history.homework["A1"].pk))
    assert a1["value"] == "4" and "Often." in a1["text"]


def test_spreadsheet_formulas_are_defused(coach_client, coachee):
    AssignmentFactory(coachee=coachee, title='=HYPERLINK("http://evil.example")')
    rows = _csv(coach_client, coachee)
    assert any(row["title"] == '\'=HYPERLINK("http://evil.example")' for row in rows)


def _zip(client):
    response = client.get(reverse("progress:mine:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return archive, json.loads(archive.read("data.json"))


def test_the_zip_holds_all_the_coachees_data_and_files(coachee_client, coachee, history, files, others):
    archive, data = _zip(coachee_client)
    assert data["coachee"]["email"] == coachee.email
    assert data["account"]["email"] == coachee.user.email
    assert {g["id"] for g in data["goals"]} == set(coachee.goals.values_list("pk", flat=True))
    assert {s["id"] for s in data["sessions"]} == set(coachee.sessions.values_list("pk", flat=True))
    assert {h["id"] for h in data["homework"]} == set(coachee.assignments.values_list("pk", flat=True))
    entries = {e["id"] for h in data["homework"] for e in h["log"]}
    assert entries == set(LogEntry.objects.filter(assignment__coachee=coachee).values_list("pk", flat=True))
    reviews = {r["id"] for h in data["homework"] for r in h["reviews"]}
    assert reviews == set(Review.objects.filter(assignment__coachee=coachee).values_list("pk", flat=True))
    a4 = next(h for h in data["homework"] if h["id"] == history.homework["A4"].pk)
    assert a4["work"]["text"] == "Going well"  # their own draft is theirs too
    uploads = Upload.objects.filter(assignment__coachee=coachee)
    assert {f["id"] for h in data["homework"] for f in h["files"]} == set(uploads.values_list("pk", flat=True))
    for upload in uploads:
        assert archive.read(f"files/{upload.pk}-{upload.original_name}") == PNG_BYTES
    assert len(archive.namelist()) == 2 + uploads.count()  # README.txt, data.json and the files
    assert "data.json holds everything" in archive.read("README.txt").decode()


def test_the_zip_holds_nothing_of_anyone_else_nor_the_coachs_private_notes(coachee_client, coachee, history, others):
    CoachingSessionFactory(coachee=coachee, coach_notes="Private note about Cody")
    Review.objects.filter(assignment__coachee=coachee).update(coach_notes="Secret review note", insights="Insight")
    archive, data = _zip(coachee_client)
    everything = archive.read("data.json").decode()
    for person in others:
        assert person.name not in everything
        assert f"file-of-{person.pk}" not in " ".join(archive.namelist())
    assert "Private note about Cody" not in everything
    assert "Secret review note" not in everything


def test_a_missing_stored_file_is_left_out_not_an_error(coachee_client, coachee, files):
    upload = files[0].uploads.get()
    upload.file.storage.delete(upload.file.name)
    archive, data = _zip(coachee_client)
    assert f"files/{upload.pk}-{upload.original_name}" not in archive.namelist()
