"""Visit attachments on disk (issue 6): photos and scans of people's homes and papers.

Stored under settings.PRIVATE_FILES_ROOT/outreach/<yyyy>/<mm>/<random>.<ext> with Django's
FileSystemStorage — outside MEDIA, outside the database and under no public URL. The type is
read from the first bytes (JPEG, PNG, PDF), never from the name or the browser's content type;
the size limit is settings.OUTREACH_ATTACHMENT_MAX_BYTES (default 5 MB) or the caller's.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)


class AttachmentRefused(ValueError):
    """The file may not be stored; the message says why, in Chinese."""


@dataclass(frozen=True)
class Checked:
    data: bytes
    content_type: str
    extension: str
    sha256: str


def storage() -> FileSystemStorage:
    # built per call so that tests may point PRIVATE_FILES_ROOT elsewhere; base_url None: no URL
    return FileSystemStorage(location=settings.PRIVATE_FILES_ROOT / "outreach", base_url=None)


def max_bytes() -> int:
    return int(getattr(settings, "OUTREACH_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def check(upload, *, limit: int | None = None) -> Checked:
    """Read an uploaded file (Django UploadedFile or any file object with .name) and check it."""
    limit = max_bytes() if limit is None else limit
    name = getattr(upload, "name", "") or _("附件")
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise AttachmentRefused(_("文件“%(name)s”过大（%(size)s MB），每个附件不得超过 %(limit)s MB")
                                % {"name": name, "size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.1f}"})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise AttachmentRefused(_("文件“%(name)s”过大，每个附件不得超过 %(limit)s MB") % {"name": name, "limit": f"{limit / 1048576:.1f}"})
    if not data:
        raise AttachmentRefused(_("文件“%(name)s”是空文件") % {"name": name})
    kind = sniff(data[:16])
    if kind is None:
        raise AttachmentRefused(_("文件“%(name)s”不是 JPEG、PNG 图片或 PDF 文件（按文件内容判断），不能上传") % {"name": name})
    return Checked(data=data, content_type=kind[0], extension=kind[1], sha256=hashlib.sha256(data).hexdigest())


def save(checked: Checked) -> str:
    """Write the bytes under a random name; returns the name relative to the storage root."""
    today = timezone.localdate()
    name = f"{today:%Y}/{today:%m}/{secrets.token_hex(16)}.{checked.extension}"
    return storage().save(name, ContentFile(checked.data))


def open_file(stored_name: str):
    return storage().open(stored_name, "rb")


def delete(stored_name: str) -> None:
    storage().delete(stored_name)
