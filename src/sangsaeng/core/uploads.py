"""What an uploaded attachment may be: documents, images and text, told by their content.

The extension says what a file claims to be; its first bytes say what it is. A file is
accepted only when both agree on a kind that people exchange as documents: PDF, images
(PNG, JPEG, GIF, WebP), office documents (OOXML, OpenDocument and HWPX are ZIP packages;
the older Word, Excel, PowerPoint and HWP files are OLE compound files) and UTF-8 text.
HTML, SVG, scripts and programs are refused, whatever they are named.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
TEXT = None  # told by decoding, not by a signature

SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "hwpx": ZIP,
    "odt": ZIP,
    "ods": ZIP,
    "odp": ZIP,
    "doc": OLE,
    "xls": OLE,
    "ppt": OLE,
    "hwp": OLE,
    "txt": TEXT,
    "csv": TEXT,
    "md": TEXT,
}
ALLOWED_EXTENSIONS = tuple(SIGNATURES)
TEXT_SAMPLE_BYTES = 64 * 1024


def attachment_problem(upload: UploadedFile) -> str | None:
    """Why ``upload`` may not be attached (translated), or None when it may."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        return _("Attach a PDF, an image, an office document or a text file (%(allowed)s).") % {
            "allowed": ", ".join(ALLOWED_EXTENSIONS)
        }
    upload.seek(0)
    head = upload.read(TEXT_SAMPLE_BYTES)
    upload.seek(0)
    signatures = SIGNATURES[extension]
    if signatures is None:
        matches = _is_text(head)
    else:
        matches = head.startswith(signatures) and (extension != "webp" or head[8:12] == b"WEBP")
    if not matches:
        return _("The file's content is not a .%(extension)s file, as its name says.") % {
            "extension": extension
        }
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end in the middle of a character.
        return error.start >= len(head) - 3
    return True
