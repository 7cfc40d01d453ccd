"""Files coachees upload: what type a file really is, judged from its content, and a safe name.

Only images a browser shows without help (JPEG, PNG, WebP, GIF) and PDF are taken. The type comes
from the file's first bytes, never from its name or from what the browser claims, so a program
renamed to photo.png is refused.
"""

import re
import unicodedata
from pathlib import PurePosixPath

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
