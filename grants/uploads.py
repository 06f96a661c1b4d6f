"""Checking uploaded files by their content, not by their name."""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extension: str


PDF = FileType("PDF", "application/pdf", "pdf")
JPEG = FileType("JPEG", "image/jpeg", "jpg")
PNG = FileType("PNG", "image/png", "png")
DOCX = FileType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
ODT = FileType("ODT", "application/vnd.oasis.opendocument.text", "odt")
ALLOWED_LABELS = "PDF, JPEG, PNG, DOCX, XLSX, ODT"


def _zip_type(upload) -> FileType | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise ValidationError(_("Die Datei ist entpackt zu groß."))
            names = {info.filename for info in infos}
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return ODT
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    return None


def sniff(upload) -> FileType | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload)
    return None


def validate_upload(upload) -> FileType:
    """Return the detected type or raise a German ValidationError."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Die Datei „%(name)s“ ist größer als 10 MB.") % {"name": upload.name}, code="too_large"
        )
    if upload.size == 0:
        raise ValidationError(_("Die Datei „%(name)s“ ist leer.") % {"name": upload.name}, code="empty")
    file_type = sniff(upload)
    if file_type is None:
        raise ValidationError(
            _("Die Datei „%(name)s“ hat kein erlaubtes Format. Erlaubt sind: %(allowed)s.")
            % {"name": upload.name, "allowed": ALLOWED_LABELS},
            code="type",
        )
    return file_type
