"""Files coachees upload: what type a file really is, judged from its content, and a safe name.

Only images a browser shows without help (JPEG, PNG, WebP, GIF) and PDF are taken. The type comes
from the file's first bytes, never from its name or from what the browser claims, so a program
renamed to photo.png is refused.
"""

import io
import re
import unicodedata
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload

# type: (file extension used for the stored name, is it shown inline)
ACCEPTED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/pdf": "pdf",
}
# Bytes needed to tell the accepted types apart.
HEAD_BYTES = 16
ORIGINAL_NAME_MAX = 150
# Room in a request for the form around one file (field names, boundaries, the CSRF token).
REQUEST_MARGIN_BYTES = 1024 * 1024
# Letters and digits of any script, and a few harmless marks; everything else becomes "_".
UNSAFE_NAME_CHARACTERS = re.compile(r"[^\w .()+-]", re.UNICODE)


def sniff_content_type(head: bytes) -> str | None:
    """The accepted type that `head` (a file's first bytes) starts like, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def safe_original_name(name: str, content_type: str) -> str:
    """A file name fit to show and to offer for download: the last part of any path, without control
    or path characters, not hidden, not too long, and ending in the extension of its real type."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").replace("\x00", "")
    name = PurePosixPath(name).name if "/" in name else name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = UNSAFE_NAME_CHARACTERS.sub("_", name).strip(" .")
    extension = ACCEPTED_TYPES[content_type]
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.lower() in ({extension, "jpeg"} if extension == "jpg" else {extension}):
        extension = suffix
    else:
        stem = name
    stem = stem.strip(" .")[: ORIGINAL_NAME_MAX - len(extension) - 1] or "file"
    return f"{stem}.{extension}"


class OversizeUpload(UploadedFile):
    """Stands in for a file that was larger than the limit: it knows its size, but none of its bytes
    were kept, so the form can say how large it was."""

    def __init__(self, name: str, content_type: str, size: int):
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size)


class UploadLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: the handlers after it, which keep a file in memory or in a
    temporary file, never receive more than COACHHUB_UPLOAD_MAX_BYTES of one file.

    Steps, per file in the request body:
    1. From a visitor who is not logged in, skip the file: they have nowhere to upload to.
    2. Pass chunks on while the file is within the limit; past it, count them and drop them.
    3. Past the whole request's limit (a body that lied about its length), stop reading altogether.
    4. At the end, hand over an OversizeUpload for a file that went past the limit, so the form
       refuses it with its size and the rest of the page stays as it was.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            raise SkipFile
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > request_max_bytes():
            raise StopUpload(connection_reset=True)
        if self.received > settings.COACHHUB_UPLOAD_MAX_BYTES:
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.received > settings.COACHHUB_UPLOAD_MAX_BYTES:
            return OversizeUpload(self.file_name, self.content_type, self.received)
        return None


def request_max_bytes() -> int:
    """The largest request body a logged-in person may send: one file at the limit plus the form
    around it, and never less than a form of text may take."""
    return max(settings.COACHHUB_UPLOAD_MAX_BYTES + REQUEST_MARGIN_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
