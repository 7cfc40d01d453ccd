"""Too large a request is refused early: unread when its Content-Length says so, and a file past the
limit is never stored, while the homework page keeps everything the coachee had."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

from assignments.models import Upload
from assignments.services import submission_save_draft
from assignments.uploads import REQUEST_MARGIN_BYTES
from tests.coachee.conftest import homework, page_url
from tests.factories import PNG_BYTES

LIMIT = 100_000
READ_ALLOWANCE = 4096
# What reached the handler that stores files, per file, in the last request.
stored_sizes: list[int] = []


class RecordingTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler that writes uploads to a temporary file, noting how much it was given."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        stored_sizes.append(0)

    def receive_data_chunk(self, raw_data, start):
        stored_sizes[-1] += len(raw_data)
        return super().receive_data_chunk(raw_data, start)


class BodyThatMustNotBeRead(io.RawIOBase):
    """A request body that fails the test when more than a few KB of it are read."""

    def __init__(self):
        self.read_so_far = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.read_so_far += len(buffer)
        assert self.read_so_far <= READ_ALLOWANCE, "the body was read"
        buffer[: len(buffer)] = b"x" * len(buffer)
        return len(buffer)


@pytest.fixture(autouse=True)
def small_limit_and_recorded_storage(settings):
    settings.COACHHUB_UPLOAD_MAX_BYTES = LIMIT
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000  # forms of text, well below the file limit
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every file goes to a temporary file, as large ones do
    settings.FILE_UPLOAD_HANDLERS = [
        "assignments.uploads.UploadLimitHandler",
        f"{__name__}.RecordingTemporaryFileUploadHandler",
    ]
    stored_sizes.clear()


def upload_url(assignment):
    return reverse("my:upload_add", args=[assignment.pk])


def post_huge_body(client, url, length: int, **extra):
    body = BodyThatMustNotBeRead()
    response = client.generic(
        "POST",
        url,
        CONTENT_TYPE="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": body},
        **extra,
    )
    return response, body


def test_an_anonymous_huge_post_is_refused_unread(client, db):
    response, body = post_huge_body(client, reverse("login"), 300 * 1024 * 1024)

    assert response.status_code == 413
    page = response.content.decode()
    assert "Too large to send" in page
    assert 'name="viewport"' in page
    assert reverse("login") in page  # a way on
    assert body.read_so_far == 0


def test_an_anonymous_post_larger_than_any_form_is_refused(client, db, settings):
    response, body = post_huge_body(client, reverse("signup"), settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    assert response.status_code == 413
    assert body.read_so_far == 0


def test_a_coachees_post_far_over_the_limit_is_refused_unread(coachee_client, coachee):
    creative = homework(coachee, "creative")
    length = LIMIT + REQUEST_MARGIN_BYTES + 1
    response, body = post_huge_body(
        coachee_client, upload_url(creative), length, HTTP_REFERER="http://testserver" + page_url(creative)
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "a file can be at most 97.7" in page.replace("\xa0", " ")
    assert f'href="http://testserver{page_url(creative)}"' in page  # back to the homework
    assert body.read_so_far == 0
    assert not Upload.objects.exists()


def test_a_way_back_only_to_this_site(coachee_client, coachee):
    creative = homework(coachee, "creative")
    response, _ = post_huge_body(
        coachee_client, upload_url(creative), LIMIT + REQUEST_MARGIN_BYTES + 1, HTTP_REFERER="https://evil.example/"
    )

    assert response.status_code == 413
    assert "evil.example" not in response.content.decode()


def test_a_file_just_over_the_limit_is_refused_by_the_form_and_never_stored(coachee_client, coachee):
    creative = homework(coachee, "creative")
    submission_save_draft(assignment=creative, text="My collage shows what I value most.")
    big = PNG_BYTES + b"\x00" * (3 * LIMIT)

    response = coachee_client.post(upload_url(creative), {"file": SimpleUploadedFile("big.png", big, "image/png")})

    assert response.status_code == 200
    page = response.content.decode().replace("\xa0", " ")
    assert "This file is 293.0 KB; a file can be at most 97.7 KB." in page
    # The rest of the page is as it was: the work typed so far is still there.
    assert "My collage shows what I value most." in page
    assert not Upload.objects.exists()
    # The handler that writes the temporary file got no more than the limit.
    assert len(stored_sizes) == 1
    assert stored_sizes[0] <= LIMIT


def test_a_file_within_the_limit_is_stored_whole(coachee_client, coachee):
    creative = homework(coachee, "creative")
    content = PNG_BYTES + b"\x00" * (LIMIT - len(PNG_BYTES))

    response = coachee_client.post(upload_url(creative), {"file": SimpleUploadedFile("ok.png", content, "image/png")})

    assert response.status_code == 302
    assert Upload.objects.get().size == LIMIT
    assert stored_sizes == [LIMIT]


def test_a_visitor_who_is_not_logged_in_gets_no_file_stored(client, coachee):
    creative = homework(coachee, "creative")

    response = client.post(upload_url(creative), {"file": SimpleUploadedFile("a.png", PNG_BYTES, "image/png")})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert stored_sizes == []
