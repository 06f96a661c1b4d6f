"""The staff listing of applications: filters, sortable columns, CSV/XLSX export.

Every column reads from the application and its select_related rows only, so
the page runs the same number of queries for 10 or 10,000 applications.
"""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button

from programmes.admin_views import MoneyColumn
from programmes.choices import AllocationMethod
from programmes.models import Programme
from programmes.runs import VIEW_RUN

from ...state_labels import state_label, with_state_labels
from ...states import State
from ..access import admin_applications
from ..exports import age_in_days, application_columns, csv_response, xlsx_response
from ..filters import ApplicationFilterSet


class LocalDateColumn(Column):
    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        context["value"] = timezone.localtime(value).strftime("%d.%m.%Y") if value else "–"
        return context


class AgeColumn(Column):
    """Days since submission: shows at a glance what waits too long."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        days = age_in_days(instance)
        context["value"] = "–" if days is None else str(days)
        return context


class StateColumn(StatusTagColumn):
    """The state's label (``grants.state_labels``) as a badge; open work is highlighted."""

    OPEN_WORK = {State.SUBMITTED, State.IN_REVIEW, State.RECOMMENDED, State.SETTLEMENT_SUBMITTED}

    def __init__(self):
        super().__init__(
            "state", accessor=state_label, label=_("Status"), sort_key="state",
            primary=lambda application: application.state in self.OPEN_WORK,
        )


def application_list_columns(detail_url_name: str):
    return [
        TitleColumn(
            "title", label=_("Titel des Vorhabens"), sort_key="title",
            get_url=lambda a: reverse(detail_url_name, args=(a.pk,)),
        ),
        Column("organisation.name", label=_("Antragstellerin"), sort_key="organisation__name"),
        Column("file_number", label=_("Aktenzeichen"), sort_key="file_number"),
        LocalDateColumn("submitted_at", label=_("Eingereicht am"), sort_key="submitted_at"),
        AgeColumn("age", label=_("Alter (Tage)")),
        MoneyColumn("requested_amount", label=_("Beantragt"), sort_key="requested_amount"),
        MoneyColumn("approved_amount", label=_("Bewilligt"), sort_key="approved_amount"),
        StateColumn(),
    ]


class ApplicationIndexView(generic.IndexView):
    """``?export=csv`` / ``?export=xlsx`` download the filtered listing (Wagtail's export switch)."""

    page_title = _("Anträge")
    results_template_name = "grants/admin/application_index_results.html"
    filterset_class = ApplicationFilterSet
    default_ordering = "-submitted_at"
    paginate_by = 50
    detail_url_name = "antraege:detail"
    export_filename = "antraege"
    # Non-empty so Wagtail shows its XLSX/CSV buttons; the columns come from exports.py.
    list_export = ["file_number"]

    def get_base_queryset(self):
        return with_state_labels(admin_applications(self.request.user))

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        field = ordering.lstrip("-")
        expression = F(field).desc(nulls_last=True) if ordering.startswith("-") else F(field).asc(nulls_last=True)
        # pk as tie-breaker keeps pages stable.
        return queryset.order_by(expression, "-pk")

    @cached_property
    def columns(self):
        return application_list_columns(self.detail_url_name)

    @cached_property
    def header_more_buttons(self):
        """A way from the applications to each formula programme's allocation screen (one query)."""
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm(VIEW_RUN):
            for programme in Programme.objects.filter(allocation_method=AllocationMethod.FORMULA).order_by("name"):
                buttons.append(Button(_("Formelzuweisung %(name)s") % {"name": programme.name}, icon_name="table",
                                      url=reverse("formelzuweisung:programme_current", args=(programme.pk,))))
        return buttons

    # The admin never edits, copies or deletes applications: all changes go through the actions.
    def get_add_url(self):
        return None

    def get_edit_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None

    def get_inspect_url(self, instance):
        return reverse(self.detail_url_name, args=(instance.pk,))

    def get_list_more_buttons(self, instance):
        return []

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"

    def as_spreadsheet(self, queryset, spreadsheet_format):
        columns = application_columns()
        if spreadsheet_format == self.FORMAT_CSV:
            return csv_response(columns, queryset.iterator(chunk_size=500), self.get_filename())
        return xlsx_response(columns, queryset.iterator(chunk_size=500), self.get_filename(), _("Anträge"))
