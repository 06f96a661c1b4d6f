"""Monitoring in the Wagtail admin: municipality dashboard (+ PDF), yearly indicator table, statistics extract.

URL namespace ``monitoring`` (registered in ``integration_core.wagtail_hooks_indicators``):
``""`` dashboard (with an optional breakdown of one indicator), ``pdf/`` its PDF, ``register/`` the
indicator registry, ``kennzahlen/`` the yearly table page, ``kennzahlen/<year>.<fmt>`` the files,
``statistikauszug/<year>.csv`` the pseudonymised extract, ``statistiktabellen/<year>.<fmt>`` the protected
tables derived from it. A year outside 2000–2100 is a 404, as the commands refuse it.

Dashboard, registry and table need ``integration_core.view_case_statistics`` (staff, head of unit,
statistics); the extract and its tables need ``EXPORT_EXTRACT`` (statistics office only). Others get the
403 page. Only aggregated, protected figures are shown; no view here reads a single case.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..cases.access import has_role_perm
from ..models import Municipality
from . import registry
from .compute import BreakdownNotAllowed
from .dashboard import OFFERED_BREAKDOWNS, breakdown_indicators, build_breakdown, build_dashboard
from .periods import Period, recent_periods
from .presentation import breakdown_section, registry_rows, sections, suppression_note

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
    kommune = forms.TypedChoiceField(label=gettext_lazy("Kommune"), coerce=int)
    zeitraum = forms.ChoiceField(label=gettext_lazy("Zeitraum"))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once: the choices, the check of the choice and the dashboard's district all use this list.
        self.municipalities = list(Municipality.objects.order_by("name", "pk"))
        self.fields["kommune"].choices = [(m.pk, m.name) for m in self.municipalities]
        periods = recent_periods(today)
        self.fields["zeitraum"].choices = [(p.key, p.label) for p in periods]
        # Default: the last half-year that is over (the twice-yearly mailing looks back).
        self.default_period = next((p for p in periods if p.end < today and p.key.endswith(("H1", "H2"))),
                                   periods[0])
        # The unbound form shows what the page shows.
        self.fields["zeitraum"].initial = self.default_period.key

    def selection(self) -> tuple[Municipality | None, Period]:
        if self.is_bound and self.is_valid():
            chosen = self.cleaned_data["kommune"]
            municipality = next(m for m in self.municipalities if m.pk == chosen)
            return municipality, Period.parse(self.cleaned_data["zeitraum"])
        return (self.municipalities[0] if self.municipalities else None), self.default_period

    def district(self, municipality: Municipality) -> list[Municipality]:
        """The municipalities of ``municipality``'s district, in the dashboard's order."""
        return [m for m in self.municipalities if m.district_id == municipality.district_id]


class BreakdownForm(forms.Form):
    """Optional: one indicator by gender, age band or origin group, as far as the registry allows."""

    kennzahl = forms.ChoiceField(label=gettext_lazy("Kennzahl aufschlüsseln"), required=False)
    nach = forms.ChoiceField(label=gettext_lazy("nach"), required=False, choices=[
        ("", "—"), *((breakdown.value, registry.BREAKDOWN_LABELS[breakdown]) for breakdown in OFFERED_BREAKDOWNS)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kennzahl"].choices = [("", "—"), *((i.code, i.title) for i in breakdown_indicators())]

    def clean(self):
        cleaned = super().clean()
        code, by = cleaned.get("kennzahl"), cleaned.get("nach")
        if bool(code) != bool(by):
            raise forms.ValidationError(_("Bitte wählen Sie eine Kennzahl und eine Aufschlüsselung."))
        if code and by and registry.Breakdown(by) not in registry.get(code).breakdowns:
            self.add_error("nach", _("Die Kennzahl „%(title)s“ darf nicht nach %(by)s aufgeschlüsselt werden.") % {
                "title": registry.get(code).title, "by": registry.BREAKDOWN_LABELS[registry.Breakdown(by)]})
        return cleaned

    def selection(self) -> tuple[registry.Indicator, registry.Breakdown] | None:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("kennzahl"):
            return registry.get(self.cleaned_data["kennzahl"]), registry.Breakdown(self.cleaned_data["nach"])
        return None


def valid_year(year: int) -> int:
    """The reporting years the commands accept; anything else has no page."""
    if not 2000 <= year <= 2100:
        raise Http404(_("Kein Berichtsjahr zwischen 2000 und 2100."))
    return year


def _has_perm(user, perm: str) -> bool:
    return bool(user.is_authenticated and user.has_perm(perm))


class MonitoringMixin(WagtailAdminTemplateMixin):
    permission_required = VIEW_STATISTICS
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        # The row-level extract is case data: held through a role, never by superuser status alone.
        check = has_role_perm if self.permission_required == EXPORT_EXTRACT else _has_perm
        if not check(request.user, self.permission_required):
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
        breakdown_form = BreakdownForm(self.request.GET if "kennzahl" in self.request.GET else None)
        context.update(form=form, breakdown_form=breakdown_form, municipality=municipality, period=period,
                       note=suppression_note(), may_extract=has_role_perm(self.request.user, EXPORT_EXTRACT))
        if municipality is not None:
            today = timezone.localdate()
            dashboard = build_dashboard(municipality, period, today=today, municipalities=form.district(municipality))
            shown = sections(dashboard)
            chosen = breakdown_form.selection()
            if chosen is not None:
                try:
                    shown.append(breakdown_section(dashboard, build_breakdown(dashboard, *chosen, today=today)))
                except BreakdownNotAllowed as refusal:  # the form checks it already; the registry has the last word
                    breakdown_form.add_error("nach", str(refusal))
            context.update(dashboard=dashboard, sections=shown,
                           pdf_url=f"{reverse('monitoring:pdf')}?kommune={municipality.pk}&zeitraum={period.key}")
        return context


class RegistryView(MonitoringMixin, TemplateView):
    """The indicator registry as a page: what each figure counts, over what, for whom, and how it may be split."""

    template_name = f"{TEMPLATES}/registry.html"
    page_title = gettext_lazy("Kennzahlenregister")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "rows": registry_rows(), "note": suppression_note()}


class DashboardPdfView(MonitoringMixin, View):
    def get(self, request):
        from .pdf import dashboard_pdf

        form = _form(request)
        if form.is_bound and not form.is_valid():
            return forbidden(request, _("Bitte wählen Sie eine Kommune und einen Zeitraum aus der Liste."))
        municipality, period = form.selection()
        if municipality is None:
            return forbidden(request, _("Es sind keine Kreiskommunen angelegt."))
        dashboard = build_dashboard(municipality, period, today=timezone.localdate(),
                                    municipalities=form.district(municipality))
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
                       may_extract=has_role_perm(self.request.user, EXPORT_EXTRACT))
        return context


class TableDownloadView(MonitoringMixin, View):
    fmt = "xlsx"

    def get(self, request, year: int):
        from .table_files import table_csv, table_xlsx
        from .yearly_table import build_table

        table = build_table(valid_year(year), today=timezone.localdate())
        if self.fmt == "csv":
            return download(table_csv(table), "text/csv; charset=utf-8", f"kennzahlentabelle-{year}.csv")
        return download(table_xlsx(table), XLSX_CONTENT_TYPE, f"kennzahlentabelle-{year}.xlsx")


class ExtractDownloadView(MonitoringMixin, View):
    permission_required = EXPORT_EXTRACT

    def get(self, request, year: int):
        from .extract import extract_download

        content = extract_download(user=request.user, year=valid_year(year), today=timezone.localdate())
        return download(content, "text/csv; charset=utf-8", f"statistikauszug-{year}.csv")


class StatisticsTablesDownloadView(MonitoringMixin, View):
    """The protected tables derived from the extract — same permission as the extract itself."""

    permission_required = EXPORT_EXTRACT
    fmt = "xlsx"

    def get(self, request, year: int):
        from .extract_tables import build_tables, tables_csv, tables_xlsx

        tables = build_tables(year=valid_year(year), today=timezone.localdate())
        if self.fmt == "csv":
            return download(tables_csv(tables, year=year), "text/csv; charset=utf-8", f"statistiktabellen-{year}.csv")
        return download(tables_xlsx(tables, year=year), XLSX_CONTENT_TYPE, f"statistiktabellen-{year}.xlsx")
