"""The member municipalities (Kreiskommunen) in the Wagtail admin: mostly read, edited by staff.

Municipalities are master data: every staff role may look at them, Sachbearbeitung
may correct them (population and its reference date change yearly); adding and
deleting is for superusers, as the set of member municipalities rarely changes.
The permissions are given to the roles in ``portal.accounts.roles``.
URL namespace: ``kreiskommunen``.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Municipality


def _population(municipality) -> str:
    return number_format(municipality.population, force_grouping=True)


class MunicipalityViewSet(ModelViewSet):
    model = Municipality
    name = "kreiskommunen"
    icon = "site"
    menu_label = _("Kreiskommunen")
    menu_name = "kreiskommunen"
    menu_order = 220
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 100
    search_fields = ["name", "ags"]
    list_filter = ["is_urban"]
    list_display = [
        "name",
        Column("ags", label=_("AGS"), sort_key="ags"),
        Column("population", label=_("Einwohnerzahl"), accessor=_population, sort_key="population",
               classname="w-text-right"),
        Column("population_reference_date", label=_("Stichtag"),
               accessor=lambda m: f"{m.population_reference_date:%d.%m.%Y}", sort_key="population_reference_date"),
        BooleanColumn("is_urban", label=_("städtisch"), sort_key="is_urban"),
    ]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("ags"), FieldPanel("district")]),
        FieldRowPanel([FieldPanel("population"), FieldPanel("population_reference_date")]),
        FieldPanel("is_urban"),
    ]
    inspect_view_fields = ["name", "ags", "district", "population", "population_reference_date", "is_urban"]


@hooks.register("register_admin_viewset")
def register_municipality_viewset():
    return MunicipalityViewSet()
