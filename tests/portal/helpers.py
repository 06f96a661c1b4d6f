"""Small builders for portal tests: files of a given content, stored letters."""

import hashlib
import io
import zipfile

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.models import Attachment, Document
from tests import uploads_crafted

# A real 1×1 PNG (made by Pillow: uploads must decode).
PNG_BYTES = uploads_crafted.image("PNG", size=(1, 1))
# A real one-page PDF: uploads must parse.
PDF_BYTES = uploads_crafted.pdf()


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
