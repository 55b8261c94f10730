"""Validation of uploaded files (evidence, attachments): size, extension and real content type."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    extensions: tuple
    signatures: tuple  # leading bytes; empty tuple = text, checked as UTF-8


KINDS = {
    "pdf": Kind((".pdf",), (b"%PDF-",)),
    "png": Kind((".png",), (b"\x89PNG\r\n\x1a\n",)),
    "jpeg": Kind((".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
    "office": Kind((".docx", ".xlsx", ".pptx"), (b"PK\x03\x04",)),
    "text": Kind((".txt", ".csv"), ()),
}
ALLOWED_DESCRIPTION = "PDF, PNG, JPEG, DOCX, XLSX, PPTX, TXT, CSV"


def validate_upload(upload, *, max_bytes: int = MAX_UPLOAD_BYTES, kinds=tuple(KINDS)):
    """Raise ValidationError unless the file is small enough and its content matches its extension."""
    if upload is None:
        return
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; files can be at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)}
        )
    name = (upload.name or "").lower()
    kind = next((KINDS[k] for k in kinds if name.endswith(KINDS[k].extensions)), None)
    if kind is None:
        raise ValidationError(
            _("This type of file is not accepted. Allowed: %(types)s.") % {"types": ALLOWED_DESCRIPTION}
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if kind.signatures:
        ok = any(head.startswith(signature) for signature in kind.signatures)
    else:
        try:
            head.decode("utf-8")
            ok = b"\x00" not in head
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the 4096th byte.
            ok = b"\x00" not in head and _decodes_when_trimmed(head)
    if not ok:
        raise ValidationError(
            _("The file's content does not match its name (%(name)s). Upload the real file.") % {"name": upload.name}
        )


def _decodes_when_trimmed(head: bytes) -> bool:
    for cut in range(1, 4):
        try:
            head[:-cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False
