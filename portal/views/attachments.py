"""Attachments: upload (checked by content in grants.uploads), download through a permission check, delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from grants.models import AttachmentKind
from grants.selectors import application_get, attachment_get
from grants.services.applications import attachment_add, attachment_delete
from grants.states import EDITABLE, State
from grants.uploads import served_as
from portal.forms.applications import AttachmentUploadForm
from portal.upload_limits import upload_wait, wait_message

from .base import ApplicationScopedView, ScopedView, add_validation_error


def private_file_response(file, *, filename: str, content_type: str) -> FileResponse:
    """Stream a privately stored file as a download; never rendered inline by the browser."""
    # FileResponse writes the name into Content-Disposition (RFC 6266, non-ASCII as filename*).
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_back_url(application, kind: str) -> str:
    if kind == AttachmentKind.SETTLEMENT:
        return reverse("portal:settlement", args=[application.pk])
    if application.state in EDITABLE:
        return reverse("portal:application_edit", args=[application.pk]) + "#anlagen"
    return reverse("portal:application_detail", args=[application.pk])


class AttachmentUploadView(ApplicationScopedView):
    """One page for both kinds: application documents while editable, settlement receipts while paid."""

    template_name = "portal/attachment_upload.html"
    kind = AttachmentKind.APPLICATION

    def allowed(self) -> bool:
        if self.kind == AttachmentKind.SETTLEMENT:
            return self.application.state == State.PAID
        return self.application.state in EDITABLE

    def kinds(self) -> list[str]:
        """What the applicant may upload here: with the application, the co-financing evidence where required."""
        if self.kind == AttachmentKind.APPLICATION and self.application.programme.matching_funds_required:
            return [AttachmentKind.APPLICATION, AttachmentKind.COFINANCING]
        return [self.kind]

    def make_form(self, data=None, files=None):
        kinds = self.kinds()
        initial = None
        if len(kinds) > 1:
            wanted = self.request.GET.get("art")
            initial = {"kind": wanted if wanted in kinds else self.kind}
        return AttachmentUploadForm(data, files, kinds=kinds, initial=initial)

    def render_page(self, form, status=200):
        kinds = self.kinds()
        attachments = self.application.attachments.filter(kind__in=kinds)
        label = _("Anlage") if len(kinds) > 1 else AttachmentKind(self.kind).label
        return render(self.request, self.template_name, {
            "application": self.application, "form": form, "kind": self.kind,
            "kind_label": label, "attachments": attachments, "show_kind": len(kinds) > 1,
            "back_url": attachment_back_url(self.application, self.kind),
        }, status=status)

    def refusal(self):
        if self.allowed():
            return None
        messages.info(self.request, _("In diesem Status können keine Dateien hochgeladen werden."))
        return redirect("portal:application_detail", pk=self.application.pk)

    def get(self, request, pk):
        return self.refusal() or self.render_page(self.make_form())

    def post(self, request, pk):
        refusal = self.refusal()
        if refusal:
            return refusal
        form = self.make_form(request.POST, request.FILES)
        wait = upload_wait(request.user)
        if wait is not None:
            form.is_valid()  # the page shows the form as posted, with the reason on the file field
            add_validation_error(form, ValidationError({"file": wait_message(wait)}))
            response = self.render_page(form, status=429)
            response["Retry-After"] = str(max(1, int(wait.total_seconds()) + 1))
            return response
        if not form.is_valid():
            return self.render_page(form)
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data.get("kind") or self.kind
        try:
            attachment = attachment_add(
                user=request.user, application_id=self.application.pk, upload=upload, kind=kind
            )
        except ValidationError as exc:
            add_validation_error(form, ValidationError({"file": exc.messages}))
            return self.render_page(form)
        messages.success(request, _("Die Datei „%(name)s“ wurde hochgeladen.") % {"name": attachment.original_name})
        return redirect(attachment_back_url(self.application, self.kind))


class AttachmentDownloadView(ScopedView):
    def load(self, request, pk: int) -> None:
        self.attachment = attachment_get(request.user, pk)

    def get(self, request, pk):
        filename, content_type = served_as(self.attachment.original_name, self.attachment.content_type)
        return private_file_response(self.attachment.file, filename=filename, content_type=content_type)


class AttachmentDeleteView(ScopedView):
    """GET asks for confirmation, POST deletes; both 404 for users outside the organisation."""

    template_name = "portal/attachment_delete.html"

    def load(self, request, pk: int) -> None:
        self.attachment = attachment_get(request.user, pk)
        # Deleting is for the applicant's own organisation, not for staff readers.
        self.application = application_get(request.user, self.attachment.application_id, own_only=True)

    def get(self, request, pk):
        return render(request, self.template_name, {
            "attachment": self.attachment, "application": self.application,
            "back_url": attachment_back_url(self.application, self.attachment.kind),
        })

    def post(self, request, pk):
        back_url = attachment_back_url(self.application, self.attachment.kind)
        try:
            attachment_delete(user=request.user, attachment_id=self.attachment.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Die Datei „%(name)s“ wurde entfernt.") % {
                "name": self.attachment.original_name})
        return redirect(back_url)


class SettlementReceiptUploadView(AttachmentUploadView):
    kind = AttachmentKind.SETTLEMENT
