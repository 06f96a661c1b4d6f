"""The Wagtail document form, with the content checks of applicants' uploads.

Documents are served to the public under their file name, so the content must be what the name says
(a PDF named .pdf, no JavaScript in it, no macros in an office file). Wired in by
``WAGTAILDOCS_DOCUMENT_FORM_BASE``.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

from grants.uploads import looks_like_html, validate_upload


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):  # editing title or tags: the stored file stays
            return upload
        extension = _extension(upload.name)
        if extension == "csv":
            upload.seek(0)
            head = upload.read()
            upload.seek(0)
            if b"\0" in head or looks_like_html(head):
                raise ValidationError(_("Die Datei „%(name)s“ ist keine CSV-Datei.") % {"name": upload.name})
            return upload
        file_type = validate_upload(upload)
        if file_type.extension != extension:
            raise ValidationError(
                _("Die Datei „%(name)s“ ist eine %(type)s-Datei. Bitte geben Sie ihr die Endung „.%(extension)s“.")
                % {"name": upload.name, "type": file_type.label, "extension": file_type.extension}
            )
        return upload
