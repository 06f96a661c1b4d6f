"""The weighted staffing key in the Wagtail admin: calculator with preview, saved runs, downloads.

URL namespace ``stellenschluessel`` (registered in ``wagtail_hooks_staffing``): index (saved runs),
calculator (form, «Vorschau», the preview as XLSX or PDF, «Als Lauf speichern»), detail, xlsx, pdf. The calculator needs
``programmes.add_allocationrun``; the list, detail and downloads need ``programmes.view_allocationrun``.
Everyone else with admin access gets a 403 page (Wagtail redirects those without admin access to its login).
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from . import runs, selectors
from .exports.pdf import run_pdf
from .exports.table import run_table
from .exports.xlsx import XLSX_CONTENT_TYPE, run_filename, run_xlsx
from .models import AllocationRun

TEMPLATES = "programmes/staffing"
KIND = AllocationRun.Kind.STAFFING_KEY
DOWNLOADS = ("xlsx", "pdf")
UNIT_CHOICES = [
    (AllocationRun.Unit.FTE, gettext_lazy("Stellen in Vollzeitäquivalenten (VZÄ)")),
    (AllocationRun.Unit.EUR, gettext_lazy("Betrag in Euro")),
]


class StaffingKeyForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Titel"), max_length=200,
        help_text=gettext_lazy("Unter diesem Titel wird der Lauf gespeichert, z. B. „Stellenschlüssel 2026“."),
    )
    total = forms.DecimalField(
        label=gettext_lazy("Zu verteilende Gesamtmenge"), max_digits=14, decimal_places=2,
        min_value=Decimal("0.01"), localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=gettext_lazy("Stellen (VZÄ) oder Euro, höchstens zwei Nachkommastellen, z. B. 12,5 oder "
                               "282.709,99."),
    )
    unit = forms.ChoiceField(label=gettext_lazy("Einheit"), choices=UNIT_CHOICES, widget=forms.RadioSelect,
                             initial=AllocationRun.Unit.FTE)
    urban_factor = forms.DecimalField(
        label=gettext_lazy("Faktor für städtische Kommunen"), max_digits=4, decimal_places=2,
        min_value=Decimal("0.01"), max_value=runs.MAX_URBAN_FACTOR, initial=Decimal("1.20"), localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=gettext_lazy("Die Einwohnerzahl städtischer Kommunen zählt so viel mal, z. B. 1,20."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Kommunen"), queryset=selectors.staffing_key_municipalities(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Bitte wählen Sie mindestens eine Kommune aus.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].initial = _("Stellenschlüssel %(year)s") % {"year": timezone.localdate().year}
        self.fields["municipalities"].initial = [m.pk for m in self.fields["municipalities"].queryset]

    def checked_ids(self) -> set[str]:
        return {str(value) for value in (self["municipalities"].value() or [])}


def forbidden(request, message=None) -> TemplateResponse:
    """A real 403 page inside the admin (Wagtail would turn a raised PermissionDenied into a redirect)."""
    return TemplateResponse(
        request, "staff/forbidden.html",
        {"message": message or _("Sie haben keine Berechtigung für diese Seite."),
         "header_title": _("Keine Berechtigung")},
        status=403,
    )


def download(run: AllocationRun, fmt: str) -> HttpResponse:
    """The allocation list of a run (saved, or an unsaved preview) as an XLSX or PDF attachment."""
    if fmt == "pdf":
        content, content_type = run_pdf(run), "application/pdf"
    else:
        content, content_type = run_xlsx(run), XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{run_filename(run, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def unsaved_run(preview: runs.Preview, *, title: str, user) -> AllocationRun:
    """The preview as a run that is never saved, so the exporters of saved runs serve it unchanged."""
    return AllocationRun(
        kind=preview.kind, title=title, unit=preview.unit, total=preview.total, rules=preview.rules,
        inputs=preview.inputs, outputs=preview.outputs, steps=preview.steps, remainder=preview.remainder,
        input_hash=preview.input_hash, created_by=user, created_at=timezone.now(),
    )


class StaffingMixin(WagtailAdminTemplateMixin):
    permission_required = runs.VIEW_RUN
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, str(exc) or None)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("stellenschluessel:index"), "label": _("Stellenschlüssel")}]


class RunIndexView(StaffingMixin, TemplateView):
    template_name = f"{TEMPLATES}/index.html"
    page_title = gettext_lazy("Stellenschlüssel")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Stellenschlüssel")}]

    @property
    def header_buttons(self):
        if not self.request.user.has_perm(runs.ADD_RUN):
            return []
        return [HeaderButton(_("Neue Berechnung"), url=reverse("stellenschluessel:calculator"), icon_name="plus")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.allocation_run_list(self.request.user, kind=KIND), 50).get_page(
            self.request.GET.get("p"))
        context.update(page_obj=page, runs=page.object_list, may_add=self.request.user.has_perm(runs.ADD_RUN))
        return context


class CalculatorView(StaffingMixin, TemplateView):
    """GET: the form. POST «Vorschau»: the table below the form. POST «Als Lauf speichern»: the fixed run.
    POST «… als XLSX/PDF herunterladen»: the preview as a file, stored nowhere.

    Saving and downloading carry the hash of the preview that was shown; if the figures changed in between
    (an edited form, a corrected population), nothing is stored or sent and the new preview is shown instead.
    """

    template_name = f"{TEMPLATES}/calculator.html"
    permission_required = runs.ADD_RUN
    page_title = gettext_lazy("Stellenschlüssel berechnen")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Neue Berechnung")}]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=StaffingKeyForm()))

    def post(self, request, *args, **kwargs):
        form = StaffingKeyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Die Berechnung ist nicht möglich. Bitte prüfen Sie die Angaben."))
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        figures = {"total": data["total"], "unit": data["unit"], "urban_factor": data["urban_factor"]}
        try:
            preview = runs.staffing_key_preview(**figures, municipalities=data["municipalities"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form))
        shown_hash = request.POST.get("preview_hash", "")
        action = request.POST.get("action")
        if action in DOWNLOADS:
            if shown_hash == preview.input_hash:
                return download(unsaved_run(preview, title=data["title"], user=request.user), action)
            if shown_hash:  # without one, the form was sent before any preview: show it first
                messages.warning(request, _("Die Angaben oder Einwohnerzahlen haben sich seit der Vorschau geändert. "
                                            "Bitte prüfen Sie die neue Vorschau und laden Sie sie dann herunter."))
        if action == "save" and shown_hash:
            try:
                run = runs.staffing_key_save(
                    user=request.user, title=data["title"], **figures,
                    municipality_ids=[m.pk for m in data["municipalities"]], expected_hash=shown_hash,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Der Lauf „%(title)s“ ist gespeichert; er kann nicht mehr geändert "
                                            "werden.") % {"title": run.title})
                return redirect("stellenschluessel:detail", run.pk)
        return self.render_to_response(self.get_context_data(form=form, preview=preview, table=run_table(preview)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        checked = form.checked_ids() if form.is_bound else {str(pk) for pk in form.fields["municipalities"].initial}
        context["municipality_rows"] = [(m, str(m.pk) in checked) for m in form.fields["municipalities"].queryset]
        return context


class RunMixin(StaffingMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm(self.permission_required):
            self.run = selectors.allocation_run_get(request.user, pk=kwargs["pk"], kind=KIND)
        return super().dispatch(request, *args, **kwargs)


class RunDetailView(RunMixin, TemplateView):
    template_name = f"{TEMPLATES}/detail.html"
    page_title = gettext_lazy("Stellenschlüssel")

    def get_page_subtitle(self):
        return self.run.title

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.run.title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(run=self.run, table=run_table(self.run))
        return context


class RunDownloadView(RunMixin, View):
    """The allocation list as a file: ``fmt`` is "xlsx" or "pdf"."""

    fmt = "xlsx"

    def get(self, request, *args, **kwargs):
        return download(self.run, self.fmt)
