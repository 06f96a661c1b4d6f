"""Staff import the official population table in the Wagtail admin: upload, preview, "Übernehmen".

The upload is checked as a dry run and shown line by line (old → new population, status,
errors). The file waits in private storage under a random token kept in the user's session, so
"Übernehmen" applies exactly the file that was previewed, in one all-or-nothing transaction.
Everything here needs ``integration_core.change_municipality``; everyone else gets 403.
URL namespace: ``einwohnerzahlen_import``.
"""

import secrets
from datetime import date, timedelta

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from .importers import MAX_BYTES, ImportFileError, detect_format, read_upload
from .services import CHANGE_MUNICIPALITY, population_import

SESSION_KEY = "integration_core.population_import"
UPLOAD_DIR = "population-imports"
KEEP_UPLOADS = timedelta(days=1)
TEMPLATE = "integration_core/admin/population_import.html"


class PopulationImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Datei mit den Einwohnerzahlen"),
        help_text=gettext_lazy("CSV (UTF-8, getrennt durch ; oder ,) oder XLSX, höchstens 5 MB. Spalten: AGS, "
                               "Name, Einwohner und (optional) Stichtag; die erste Zeile enthält die Überschriften."),
        error_messages={"required": gettext_lazy("Bitte wählen Sie eine Datei aus.")},
    )
    reference_date = forms.DateField(
        label=gettext_lazy("Stichtag (optional)"), required=False, widget=AdminDateInput,
        help_text=gettext_lazy("Gilt für Zeilen ohne eigenen Stichtag; nötig, wenn die Datei keine Spalte "
                               "„Stichtag“ hat."),
        error_messages={"invalid": gettext_lazy("Bitte geben Sie ein Datum wie 31.12.2025 an.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("Die Datei ist größer als 5 MB."))
        try:
            self.file_bytes = read_upload(upload)
            detect_format(self.file_bytes)
        except ImportFileError as exc:
            raise ValidationError(exc.messages) from None
        return upload


def _forbidden(request, message=None) -> TemplateResponse:
    """A real 403 page inside the admin (Wagtail would turn a raised PermissionDenied into a redirect)."""
    return TemplateResponse(
        request, "staff/forbidden.html",
        {"message": message or _("Sie haben keine Berechtigung für diese Seite."),
         "header_title": _("Keine Berechtigung")},
        status=403,
    )


class ImportMixin(WagtailAdminTemplateMixin):
    page_title = gettext_lazy("Einwohnerzahlen importieren")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE_MUNICIPALITY):
            return _forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            return _forbidden(request, str(exc) or None)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("kreiskommunen:index"), "label": _("Kreiskommunen")},
                {"url": "", "label": _("Einwohnerzahlen importieren")}]

    def preview(self, form, report, filename, pending=None):
        context = self.get_context_data(form=form, report=report, filename=filename, pending=pending)
        return TemplateResponse(self.request, TEMPLATE, context)


def _storage():
    return storages["private"]


def _discard(request) -> None:
    """Forget the waiting upload of this session and delete its file."""
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        _storage().delete(pending["path"])


def _delete_stale_uploads() -> None:
    """Uploads previewed but never applied are removed after a day."""
    storage = _storage()
    try:
        _dirs, files = storage.listdir(UPLOAD_DIR)
        for name in files:
            if timezone.now() - storage.get_modified_time(f"{UPLOAD_DIR}/{name}") > KEEP_UPLOADS:
                storage.delete(f"{UPLOAD_DIR}/{name}")
    except (OSError, NotImplementedError):
        pass  # nothing uploaded yet, or a storage that cannot list; the files are private either way


class PopulationImportView(ImportMixin, FormView):
    """Upload and preview (dry run)."""

    template_name = TEMPLATE
    form_class = PopulationImportForm

    def form_valid(self, form):
        upload, reference_date = form.cleaned_data["file"], form.cleaned_data["reference_date"]
        report = population_import(
            user=self.request.user, file=ContentFile(form.file_bytes, name=upload.name),
            reference_date=reference_date, dry_run=True,
        )
        _discard(self.request)
        _delete_stale_uploads()
        pending = None
        if report.ok:  # only a clean file can be applied, so only a clean file is kept
            token = secrets.token_urlsafe(32)
            saved = _storage().save(f"{UPLOAD_DIR}/{token}", ContentFile(form.file_bytes))
            pending = {"token": token, "path": saved, "filename": upload.name,
                       "reference_date": reference_date.isoformat() if reference_date else None}
            self.request.session[SESSION_KEY] = pending
        else:
            messages.error(self.request, _("Die Datei enthält Fehler. Es kann nichts übernommen werden."))
        return self.preview(self.get_form_class()(), report, upload.name, pending)

    def form_invalid(self, form):
        messages.error(self.request, _("Die Datei wurde nicht geprüft. Bitte prüfen Sie die Angaben."))
        return super().form_invalid(form)


class PopulationApplyView(ImportMixin, View):
    """"Übernehmen": import the previewed file, all or nothing."""

    http_method_names = ["post"]

    def post(self, request):
        pending = request.session.get(SESSION_KEY)
        token = request.POST.get("token", "")
        if not pending or not constant_time_compare(token, pending["token"]) or not _storage().exists(pending["path"]):
            messages.error(request, _("Die Vorschau ist nicht mehr gültig. Bitte laden Sie die Datei erneut hoch."))
            return redirect("einwohnerzahlen_import:upload")
        with _storage().open(pending["path"], "rb") as handle:
            data = handle.read()
        reference_date = date.fromisoformat(pending["reference_date"]) if pending["reference_date"] else None
        report = population_import(user=request.user, file=ContentFile(data, name=pending["filename"]),
                                   reference_date=reference_date)
        _discard(request)
        if not report.ok:  # the stored data changed since the preview; nothing was imported
            messages.error(request, _("Die Datei enthält Fehler. Es wurde nichts importiert."))
            return self.preview(PopulationImportForm(), report, pending["filename"])
        messages.success(request, _(
            "Einwohnerzahlen übernommen: %(updated)d Kreiskommunen aktualisiert, %(unchanged)d unverändert, "
            "%(warnings)d Hinweise."
        ) % {"updated": report.updated, "unchanged": report.unchanged, "warnings": report.warning_count})
        return redirect("kreiskommunen:index")


urlpatterns = [
    path("", PopulationImportView.as_view(), name="upload"),
    path("uebernehmen/", PopulationApplyView.as_view(), name="apply"),
]
