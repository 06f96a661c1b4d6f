"""Stored letters (Bescheide): served byte for byte as they were issued."""

from grants.selectors import document_get

from .attachments import private_file_response
from .base import ScopedView


class DocumentDownloadView(ScopedView):
    def load(self, request, pk: int) -> None:
        self.document = document_get(request.user, pk)

    def get(self, request, pk):
        return private_file_response(
            self.document.file, filename=self.document.filename, content_type="application/pdf"
        )
