"""Programmes and their yearly budgets in the Wagtail admin (Förderprogramme, Haushalt).

URL namespaces: ``foerderprogramme`` and ``haushalt`` (Wagtail's ModelViewSet names:
index, add, edit, delete, inspect, history, usage). Who sees what follows the model
permissions of ``portal.accounts.roles``.
"""

from allauth.account.decorators import reauthentication_required
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .admin_log import ProgrammeInspectView, ProgrammeLogPanel
from .admin_views import (
    BaseRateForm,
    BudgetFilterSet,
    BudgetForm,
    BudgetIndexView,
    GermanInspectView,
    MoneyColumn,
    ProgrammeForm,
)
from .models import BaseRate, Programme, ProgrammeBudget
from .rules import format_eur


def _window(programme) -> str:
    return f"{programme.opens_on:%d.%m.%Y} – {programme.closes_on:%d.%m.%Y}"


def _bounds(programme) -> str:
    return f"{format_eur(programme.min_amount)} – {format_eur(programme.max_amount)}"


def _open_label(programme) -> str:
    return str(_("offen") if programme.is_open(timezone.localdate()) else _("geschlossen"))


# Programme rules decide money: saving them asks for the password or a second-factor code again unless given
# in the last 5 minutes (the form itself opens without; the saved POST is replayed after confirming).
@method_decorator(reauthentication_required, name="post")
class ProgrammeEditView(generic.EditView):
    pass


class ProgrammeViewSet(ModelViewSet):
    model = Programme
    edit_view_class = ProgrammeEditView
    name = "foerderprogramme"
    icon = "clipboard-list"
    menu_label = _("Förderprogramme")
    menu_name = "foerderprogramme"
    menu_order = 200
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True  # Leitung, Finanzen, Ausschuss may look but not edit
    inspect_view_class = ProgrammeInspectView  # with the programme log
    search_fields = ["name", "code", "description"]
    inspect_view_fields = [
        "name", "code", "file_number_prefix", "description", "min_amount", "max_amount", "financing_type",
        "staff_approval_limit", "eligible_applicant_types", "activity_types", "funding_fields", "opens_on",
        "closes_on", "payout_mode", "settlement_form", "settlement_deadline_months", "refund_due_days",
        "min_post_fte", "personnel_costs_only", "cap_per_period", "cap_period_months",
        "head_approval_limit", "committee_decides_all", "committee_name", "max_funding_share",
        "matching_funds_required", "cap_per_municipality_year", "budget_part", "product_group", "product",
        "allocation_method", "population_reference_date", "allocation_min_share", "allocation_cap", "remainder_use",
    ]
    list_display = [
        "name",
        "code",
        Column("bounds", label=_("Betrag je Antrag"), accessor=_bounds),
        Column("window", label=_("Antragsfenster"), accessor=_window, sort_key="opens_on"),
        StatusTagColumn(
            "window_state", label=_("Status"), accessor=_open_label,
            primary=lambda p: p.is_open(timezone.localdate()),
        ),
    ]
    edit_handler = ObjectList([
        MultiFieldPanel(
            [FieldPanel("name"), FieldRowPanel([FieldPanel("code"), FieldPanel("file_number_prefix")]),
             FieldPanel("description")],
            heading=_("Stammdaten"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("min_amount"), FieldPanel("max_amount")]),
             FieldPanel("financing_type"), FieldPanel("staff_approval_limit")],
            heading=_("Förderbeträge und Bewilligung"),
        ),
        MultiFieldPanel(
            [FieldPanel("head_approval_limit"), FieldPanel("committee_decides_all"), FieldPanel("committee_name")],
            heading=_("Entscheidung"),
            help_text=_("Bis zur Grenze der Sachbearbeitung bewilligt die Sachbearbeitung, bis zur Grenze der "
                        "Amtsleitung die Amtsleitung, darüber beschließt der Ausschuss."),
        ),
        MultiFieldPanel(
            [FieldPanel("max_funding_share"), FieldPanel("matching_funds_required"),
             FieldPanel("cap_per_municipality_year")],
            heading=_("Kofinanzierung"),
        ),
        MultiFieldPanel(
            [FieldPanel("budget_part"), FieldRowPanel([FieldPanel("product_group"), FieldPanel("product")])],
            heading=_("Haushaltsstelle"),
            help_text=_("Erscheint im Kopf der Beschlussvorlage."),
        ),
        MultiFieldPanel(
            [FieldPanel("allocation_method"), FieldPanel("population_reference_date"),
             FieldRowPanel([FieldPanel("allocation_min_share"), FieldPanel("allocation_cap")]),
             FieldPanel("remainder_use")],
            heading=_("Formelzuweisung (optional, z. B. Soforthilfe)"),
        ),
        MultiFieldPanel(
            [FieldPanel("eligible_applicant_types"), FieldPanel("activity_types"), FieldPanel("funding_fields")],
            heading=_("Antragsberechtigte und Fördergegenstand"),
        ),
        MultiFieldPanel(
            [FieldPanel("min_post_fte"), FieldPanel("personnel_costs_only"),
             FieldRowPanel([FieldPanel("cap_per_period"), FieldPanel("cap_period_months")])],
            heading=_("Geförderte Stelle (optional, z. B. Koordinierende Stelle)"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")])],
            heading=_("Antragsfenster"),
        ),
        MultiFieldPanel(
            [FieldPanel("payout_mode"), FieldPanel("settlement_form"), FieldPanel("settlement_deadline_months"),
             FieldPanel("refund_due_days")],
            heading=_("Auszahlung, Verwendungsnachweis und Rückforderung"),
        ),
        MultiFieldPanel([FieldPanel("change_reason")], heading=_("Begründung der Änderung")),
        ProgrammeLogPanel(heading=_("Programmprotokoll")),
    ], base_form_class=ProgrammeForm)


class ProgrammeBudgetViewSet(ModelViewSet):
    """The overview per programme and year is this viewset's listing (menu «Haushalt»)."""

    model = ProgrammeBudget
    name = "haushalt"
    icon = "table"
    menu_label = _("Haushalt")
    menu_name = "haushalt"
    menu_order = 210
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = GermanInspectView
    index_view_class = BudgetIndexView
    filterset_class = BudgetFilterSet
    list_per_page = None
    list_display = [
        "programme",
        Column("year", label=_("Haushaltsjahr"), sort_key="year"),
        MoneyColumn("amount", label=_("Haushaltsansatz"), sort_key="amount"),
        MoneyColumn("committed", label=_("Gebunden (bewilligt)"), sort_key="committed"),
        MoneyColumn("paid", label=_("Ausgezahlt"), sort_key="paid"),
        MoneyColumn("refunded", label=_("Zurückerstattet"), sort_key="refunded"),
        MoneyColumn("remaining_amount", label=_("Verbleibend"), sort_key="remaining_amount"),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("programme"),
            FieldPanel("year"),
            FieldPanel("amount"),
            MultiFieldPanel(
                [FieldPanel("committed", read_only=True), FieldPanel("paid", read_only=True),
                 FieldPanel("refunded", read_only=True)],
                heading=_("Stand (wird durch Bewilligungen, Auszahlungen und Rückzahlungen fortgeschrieben)"),
            ),
            FieldPanel("change_reason"),
        ],
        base_form_class=BudgetForm,
    )
    inspect_view_fields = ["programme", "year", "amount", "committed", "paid", "refunded", "remaining"]


def _rate(base_rate) -> str:
    return f"{number_format(base_rate.rate, decimal_pos=2, use_l10n=True)} %"


class BaseRateViewSet(ModelViewSet):
    """The base rates (§ 247 BGB) for interest on refunds; staff add each new rate (1 January, 1 July)."""

    model = BaseRate
    name = "basiszinssaetze"
    icon = "decimal"
    menu_label = _("Basiszinssätze")
    menu_name = "basiszinssaetze"
    menu_order = 215  # after Haushalt (210), in the programmes area
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    ordering = "-valid_from"
    list_per_page = 50
    list_display = [
        Column("valid_from", label=_("gilt ab"), accessor=lambda r: r.valid_from.strftime("%d.%m.%Y"),
               sort_key="valid_from"),
        Column("rate", label=_("Basiszinssatz"), accessor=_rate, sort_key="rate"),
        Column("interest_rate", label=_("Zinssatz § 49a VwVfG (+ 5 Prozentpunkte)"),
               accessor=lambda r: f"{number_format(r.rate + 5, decimal_pos=2, use_l10n=True)} %"),
    ]
    edit_handler = ObjectList([FieldPanel("valid_from"), FieldPanel("rate")], base_form_class=BaseRateForm)


@hooks.register("register_admin_viewset")
def register_programme_viewset():
    return ProgrammeViewSet()


@hooks.register("register_admin_viewset")
def register_budget_viewset():
    return ProgrammeBudgetViewSet()


@hooks.register("register_admin_viewset")
def register_base_rate_viewset():
    return BaseRateViewSet()

from . import wagtail_hooks_staffing  # noqa: E402, F401  (the staffing key registers its own admin views)
