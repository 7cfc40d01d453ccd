"""Files on creative homework: the type is checked from the content, the size is limited, the name is
made harmless, and the file is served only through the view that checks access."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments.models import Assignment, Upload
from assignments.services import MAX_UPLOADS_PER_ASSIGNMENT, submission_submit
from assignments.uploads import safe_original_name, sniff_content_type
from tests.coachee.conftest import homework, page_url
from tests.factories import PNG_BYTES, UploadFactory

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def upload_url(assignment):
    return reverse("my:upload_add", args=[assignment.pk])


def send(client, assignment, name, content, content_type="image/png"):
    return client.post(upload_url(assignment), {"file": SimpleUploadedFile(name, content, content_type=content_type)})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PNG_BYTES, "image/png"),
        (JPEG, "image/jpeg"),
        (GIF, "image/gif"),
        (WEBP, "image/webp"),
        (PDF, "application/pdf"),
    ],
)
def test_accepted_types_are_recognised_by_their_content(content, expected):
    assert sniff_content_type(content[:16]) == expected


@pytest.mark.parametrize("content", [WINDOWS_PROGRAM, LINUX_PROGRAM, b"<svg onload=alert(1)>", b"<html>", b""])
def test_anything_else_is_not(content):
    assert sniff_content_type(content[:16]) is None


def test_an_image_is_stored_under_a_random_name_and_listed(coachee_client, coachee, settings):
    creative = homework(coachee, "creative")
    response = send(coachee_client, creative, "collage.png", PNG_BYTES)
    assert response.status_code == 302
    assert response["Location"] == page_url(creative) + "#files"
    upload = Upload.objects.get(assignment=creative)
    assert (upload.original_name, upload.content_type, upload.size) == ("collage.png", "image/png", len(PNG_BYTES))
    stored = Path(settings.MEDIA_ROOT) / upload.file.name
    assert stored.read_bytes() == PNG_BYTES
    assert stored.name != "collage.png" and len(stored.stem) == 32
    creative.refresh_from_db()
    assert creative.status == Assignment.Status.STARTED
    page = coachee_client.get(page_url(creative)).content.decode()
    assert "collage.png" in page
    assert reverse("upload_file", args=[upload.pk]) in page


@pytest.mark.parametrize("content", [WINDOWS_PROGRAM, LINUX_PROGRAM])
def test_a_renamed_program_is_refused(coachee_client, coachee, content, settings):
    creative = homework(coachee, "creative")
    response = send(coachee_client, creative, "photo.png", content)
    assert response.status_code == 200
    assert "This file is not a JPEG, PNG, WebP or GIF image or a PDF, whatever its name says." in (
        response.content.decode()
    )
    assert not Upload.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_an_over_size_file_is_refused(coachee_client, coachee, settings):
    settings.COACHHUB_UPLOAD_MAX_BYTES = 1024
    creative = homework(coachee, "creative")
    response = send(coachee_client, creative, "big.png", PNG_BYTES + b"\x00" * 2000)
    assert response.status_code == 200
    page = response.content.decode().replace("\xa0", " ")
    assert "This file is 2.0 KB; a file can be at most 1.0 KB." in page
    assert not Upload.objects.exists()


def test_a_path_in_the_file_name_is_neutralised(coachee_client, coachee, settings):
    creative = homework(coachee, "creative")
    send(coachee_client, creative, "../../etc/passwd.png", PNG_BYTES)
    upload = Upload.objects.get()
    assert upload.original_name == "passwd.png"
    stored = (Path(settings.MEDIA_ROOT) / upload.file.name).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert ".." not in upload.file.name


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("../../etc/passwd.png", "image/png", "passwd.png"),
        ("..\\..\\windows\\evil.png", "image/png", "evil.png"),
        ("..", "image/png", "file.png"),
        (".htaccess", "image/png", "htaccess.png"),
        ("report.exe", "application/pdf", "report.exe.pdf"),
        ("holiday.JPEG", "image/jpeg", "holiday.JPEG"),
        ("bad\x00name<script>.gif", "image/gif", "badname_script_.gif"),
        ("a" * 400 + ".png", "image/png", "a" * 146 + ".png"),
    ],
)
def test_safe_original_names(name, content_type, expected):
    assert safe_original_name(name, content_type) == expected


def test_an_empty_post_asks_for_a_file(coachee_client, coachee):
    creative = homework(coachee, "creative")
    response = coachee_client.post(upload_url(creative))
    assert "Choose a file to upload." in response.content.decode()


def test_there_is_a_limit_to_the_number_of_files(coachee_client, coachee):
    creative = homework(coachee, "creative")
    UploadFactory.create_batch(MAX_UPLOADS_PER_ASSIGNMENT, assignment=creative)
    response = send(coachee_client, creative, "one-more.png", PNG_BYTES)
    assert "the most it can. Remove one to add another." in response.content.decode()


def test_a_file_can_be_removed_before_submitting(coachee_client, coachee, settings, django_capture_on_commit_callbacks):
    creative = homework(coachee, "creative")
    send(coachee_client, creative, "collage.png", PNG_BYTES)
    upload = Upload.objects.get()
    stored = Path(settings.MEDIA_ROOT) / upload.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = coachee_client.post(reverse("my:upload_delete", args=[creative.pk, upload.pk]))
    assert response.status_code == 302
    assert not Upload.objects.exists()
    assert not stored.exists()


def test_files_cannot_change_after_submitting(coachee_client, coachee):
    creative = homework(coachee, "creative")
    upload = UploadFactory(assignment=creative)
    submission_submit(assignment=creative, text="Done")
    assert send(coachee_client, creative, "late.png", PNG_BYTES).status_code == 409
    assert coachee_client.post(reverse("my:upload_delete", args=[creative.pk, upload.pk])).status_code == 409
    assert list(Upload.objects.all()) == [upload]


def test_only_creative_homework_takes_files(coachee_client, coachee):
    assert send(coachee_client, homework(coachee, "reflection"), "x.png", PNG_BYTES).status_code == 404
    assert send(coachee_client, homework(coachee, "mood_journal"), "x.png", PNG_BYTES).status_code == 404


# --- Serving ------------------------------------------------------------------------------------


def test_an_image_is_served_inline_with_its_real_type(coachee_client, coachee):
    upload = UploadFactory(assignment=homework(coachee, "creative"), original_name="my collage.png")
    response = coachee_client.get(reverse("upload_file", args=[upload.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="my collage.png"'
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PNG_BYTES


def test_a_pdf_is_served_as_a_download(coachee_client, coachee):
    creative = homework(coachee, "creative")
    send(coachee_client, creative, "letter.pdf", PDF, content_type="text/html")  # the browser's claim is ignored
    upload = Upload.objects.get()
    assert upload.content_type == "application/pdf"
    response = coachee_client.get(reverse("upload_file", args=[upload.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'


def test_a_file_missing_on_disk_answers_404(coachee_client, coachee):
    upload = UploadFactory(assignment=homework(coachee, "creative"))
    upload.file.delete(save=False)
    assert coachee_client.get(reverse("upload_file", args=[upload.pk])).status_code == 404


def test_accepted_files_are_not_reachable_through_a_static_or_media_url(coachee_client, coachee, settings):
    creative = homework(coachee, "creative")
    send(coachee_client, creative, "collage.png", PNG_BYTES)
    upload = Upload.objects.get()
    stored = Path(settings.MEDIA_ROOT) / upload.file.name
    for root in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        assert not stored.resolve().is_relative_to(root.resolve())
    for prefix in ("/static/", "/media/", "/uploads/", "/", f"/{settings.STATIC_URL}"):
        for path in (upload.file.name, Path(upload.file.name).name):
            assert coachee_client.get(f"{prefix}{path}").status_code == 404, f"{prefix}{path}"
