"""Small builders for portal tests: files of a given content, stored letters."""

import hashlib
import io
import zipfile

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.models import Attachment, Document

# The smallest valid PNG: 1×1 pixel.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def real_docx() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def stored_attachment(application, user, *, kind="application", content=PDF_BYTES, name="Plan.pdf") -> Attachment:
    attachment = Attachment(
        application=application, kind=kind, original_name=name, content_type="application/pdf",
        size=len(content), uploaded_by=user,
    )
    attachment.file.save("upload.pdf", ContentFile(content), save=False)
    attachment.save()
    return attachment


def stored_letter(application, kind="approval", content=PDF_BYTES) -> Document:
    document = Document(application=application, kind=kind, sha256=hashlib.sha256(content).hexdigest())
    document.file.save("letter.pdf", ContentFile(content), save=False)
    document.save()
    return document
