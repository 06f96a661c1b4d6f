"""Staff downloads of private files: applicants' attachments and the stored letters.

The files live in private storage with random names; they leave only through these
views, looked up via the user's admin queryset (foreign or unknown ids: 404).
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View

from ...uploads import served_as
from ..access import PermissionRequiredMixin, admin_attachments, admin_documents


def private_file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    # Never rendered inline, never guessed, never kept in shared caches.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class AttachmentDownloadView(PermissionRequiredMixin, View):
    def get(self, request, pk):
        attachment = get_object_or_404(admin_attachments(request.user), pk=pk)
        filename, content_type = served_as(attachment.original_name, attachment.content_type)
        return private_file_response(attachment.file, filename=filename, content_type=content_type)


class DocumentDownloadView(PermissionRequiredMixin, View):
    def get(self, request, pk):
        document = get_object_or_404(admin_documents(request.user), pk=pk)
        return private_file_response(document.file, filename=document.filename, content_type="application/pdf")
