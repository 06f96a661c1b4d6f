"""Monitoring in the Wagtail admin: municipality dashboard (+ PDF), yearly indicator table, statistics extract.

URL namespace ``monitoring`` (registered in ``integration_core.wagtail_hooks_indicators``):
``""`` dashboard, ``pdf/`` its PDF, ``kennzahlen/`` the yearly table page, ``kennzahlen/<year>.<fmt>`` the
files, ``statistikauszug/<year>.csv`` the pseudonymised extract.

Dashboard and table need ``integration_core.view_case_statistics`` (staff, head of unit, statistics);
the extract needs ``integration_core.export_case_statistics`` (statistics office only). Others get the
403 page. Only aggregated, protected figures are shown; no view here reads a single case.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..models import Municipality
from .dashboard import build_dashboard
from .periods import Period, recent_periods
from .presentation import sections, suppression_note

VIEW_STATISTICS = "integration_core.view_case_statistics"
EXPORT_EXTRACT = "integration_core.export_case_statistics"
TEMPLATES = "integration_core/indicators"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def forbidden(request, message=None) -> TemplateResponse:
    """A real 403 page inside the admin (Wagtail would turn a raised PermissionDenied into a redirect)."""
    return TemplateResponse(
        request, "staff/forbidden.html",
        {"message": message or _("Sie haben keine Berechtigung für diese Seite."),
         "header_title": _("Keine Berechtigung")},
        status=403,
    )


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class DashboardForm(forms.Form):
    kommune = forms.ModelChoiceField(label=gettext_lazy("Kommune"), queryset=Municipality.objects.none(),
                                     empty_label=None)
    zeitraum = forms.ChoiceField(label=gettext_lazy("Zeitraum"))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = Municipality.objects.order_by("name", "pk")
        periods = recent_periods(today)
        self.fields["zeitraum"].choices = [(p.key, p.label) for p in periods]
        # Default: the last half-year that is over (the twice-yearly mailing looks back).
        self.default_period = next((p for p in periods if p.end < today and p.key.endswith(("H1", "H2"))),
                                   periods[0])

    def selection(self) -> tuple[Municipality | None, Period]:
        municipality = self.fields["kommune"].queryset.first()
        period = self.default_period
        if self.is_bound and self.is_valid():
            municipality, period = self.cleaned_data["kommune"], Period.parse(self.cleaned_data["zeitraum"])
        return municipality, period


class MonitoringMixin(WagtailAdminTemplateMixin):
    permission_required = VIEW_STATISTICS
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.has_perm(self.permission_required)):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("monitoring:dashboard"), "label": _("Monitoring")}]


def _form(request) -> DashboardForm:
    today = timezone.localdate()
    return DashboardForm(request.GET if "kommune" in request.GET else None, today=today)


class DashboardView(MonitoringMixin, TemplateView):
    template_name = f"{TEMPLATES}/dashboard.html"
    page_title = gettext_lazy("Monitoring je Kommune")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = _form(self.request)
        municipality, period = form.selection()
        context.update(form=form, municipality=municipality, period=period, note=suppression_note(),
                       may_extract=self.request.user.has_perm(EXPORT_EXTRACT))
        if municipality is not None:
            dashboard = build_dashboard(municipality, period, today=timezone.localdate())
            context.update(dashboard=dashboard, sections=sections(dashboard),
                           pdf_url=f"{reverse('monitoring:pdf')}?kommune={municipality.pk}&zeitraum={period.key}")
        return context


class DashboardPdfView(MonitoringMixin, View):
    def get(self, request):
        from .pdf import dashboard_pdf

        form = _form(request)
        if form.is_bound and not form.is_valid():
            return forbidden(request, _("Bitte wählen Sie eine Kommune und einen Zeitraum aus der Liste."))
        municipality, period = form.selection()
        if municipality is None:
            return forbidden(request, _("Es sind keine Kreiskommunen angelegt."))
        dashboard = build_dashboard(municipality, period, today=timezone.localdate())
        return download(dashboard_pdf(dashboard), "application/pdf",
                        f"monitoring-{municipality.ags}-{period.key}.pdf")


class YearForm(forms.Form):
    jahr = forms.IntegerField(label=gettext_lazy("Berichtsjahr"), min_value=2000, max_value=2100)


class TableView(MonitoringMixin, TemplateView):
    template_name = f"{TEMPLATES}/table.html"
    page_title = gettext_lazy("Kennzahlentabelle für das Regierungspräsidium")

    def get_context_data(self, **kwargs):
        from .yearly_table import build_table

        context = super().get_context_data(**kwargs)
        form = YearForm(self.request.GET if "jahr" in self.request.GET else None,
                        initial={"jahr": timezone.localdate().year - 1})
        year = form.cleaned_data["jahr"] if form.is_bound and form.is_valid() else timezone.localdate().year - 1
        context.update(form=form, year=year, table=build_table(year, today=timezone.localdate()),
                       note=suppression_note(),
                       may_extract=self.request.user.has_perm(EXPORT_EXTRACT))
        return context


class TableDownloadView(MonitoringMixin, View):
    fmt = "xlsx"

    def get(self, request, year: int):
        from .table_files import table_csv, table_xlsx
        from .yearly_table import build_table

        table = build_table(year, today=timezone.localdate())
        if self.fmt == "csv":
            return download(table_csv(table), "text/csv; charset=utf-8", f"kennzahlentabelle-{year}.csv")
        return download(table_xlsx(table), XLSX_CONTENT_TYPE, f"kennzahlentabelle-{year}.xlsx")


class ExtractDownloadView(MonitoringMixin, View):
    permission_required = EXPORT_EXTRACT

    def get(self, request, year: int):
        from .extract import extract_csv

        return download(extract_csv(year=year, today=timezone.localdate()), "text/csv; charset=utf-8",
                        f"statistikauszug-{year}.csv")
