"""Checking uploaded files by their content, not by their name.

``validate_upload`` detects the type from the first bytes and then looks inside: a PDF must parse and
carry no JavaScript, launch actions or embedded files; DOCX/XLSX/ODT must be archives of their kind
without macros or zip bombs; images must decode. ``stored_name`` gives the name a file is kept and
served under: the applicant's base name, made safe, with the extension of the detected type.
"""

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .upload_checks import HTML, check_image, check_office_archive, check_pdf


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
FILE_TYPES = (PDF, JPEG, PNG, DOCX, XLSX, ODT)
ALLOWED_LABELS = "PDF, JPEG, PNG, DOCX, XLSX, ODT"
ODT_MIMETYPE = ODT.content_type.encode()

# Windows refuses these as file names whatever the extension; a download must open everywhere.
_RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_MAX_BASE_NAME = 120


def _zip_type(upload) -> FileType | None:
    """Which office format a zip archive claims to be, read from its directory (nothing unpacked)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names and "content.xml" in names:
                with archive.open("mimetype") as entry:
                    # A byte cap: the size in the zip directory may lie.
                    if entry.read(len(ODT_MIMETYPE) + 2).strip() == ODT_MIMETYPE:
                        return ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
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


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _check_content(upload, file_type: FileType) -> None:
    """Raise ValidationError (German, naming the file) when the content is unsafe or broken."""
    data = _read_all(upload)
    with warnings.catch_warnings():
        # Libraries warn about what they repair; a warning is no reason to refuse, and none must leak.
        warnings.simplefilter("ignore")
        if file_type is PDF:
            problem = check_pdf(data)
        elif file_type in (JPEG, PNG):
            problem = check_image(data, expected_format=file_type.label)
        else:
            problem = check_office_archive(io.BytesIO(data), kind=file_type.label, size=len(data))
    if problem:
        raise ValidationError(problem % {"name": upload.name, "type": file_type.label}, code="content")


def validate_upload(upload) -> FileType:
    """Return the detected type or raise a German ValidationError."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Die Datei „%(name)s“ ist größer als %(limit)d MB.")
            % {"name": upload.name, "limit": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            code="too_large",
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
    _check_content(upload, file_type)
    return file_type


def looks_like_html(data: bytes) -> bool:
    """HTML a browser would recognise in the first kilobyte (where browsers sniff)."""
    return bool(HTML.search(data[:1024]))


def safe_base_name(name: str) -> str:
    """The applicant's file name without folders and extension, reduced to harmless characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    stem, dot, _extension = name.rpartition(".")
    base = stem if dot and stem.strip(". ") else name
    # Letters, digits, spaces and a few marks stay; control characters, quotes, right-to-left overrides,
    # semicolons and the like become "_", so the name is harmless in a header and on any disk.
    base = re.sub(r"[^\w\s().,+&-]", "_", base)
    base = re.sub(r"\s+", " ", base).strip(" ._-")[:_MAX_BASE_NAME].strip(" ._-")
    if not base:
        return _("Datei")
    if base.upper() in _RESERVED_NAMES:
        return f"_{base}"
    return base


def stored_name(name: str, file_type: FileType) -> str:
    """``Beleg.bat`` holding a PDF is kept and served as ``Beleg.pdf``."""
    return f"{safe_base_name(name)}.{file_type.extension}"


def type_for_content_type(content_type: str) -> FileType | None:
    return next((file_type for file_type in FILE_TYPES if file_type.content_type == content_type), None)


def served_as(name: str, content_type: str) -> tuple[str, str]:
    """File name and Content-Type a stored attachment is served with.

    Made safe here too, for rows stored before names were: an unknown type goes out as a neutral download.
    """
    file_type = type_for_content_type(content_type)
    if file_type is None:
        return f"{safe_base_name(name)}.bin", "application/octet-stream"
    return stored_name(name, file_type), file_type.content_type
