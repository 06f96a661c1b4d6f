"""The member municipalities (Kreiskommunen) in the Wagtail admin: mostly read, edited by staff.

Municipalities are master data: every staff role may look at them, Sachbearbeitung
may correct them (population and its reference date change yearly); adding and
deleting is for superusers, as the set of member municipalities rarely changes.
The permissions are given to the roles in ``portal.accounts.roles``.
URL namespace: ``kreiskommunen``. The population import (``admin_views``, namespace
``einwohnerzahlen_import``) hangs below it and is reached by a button on the listing.
"""

from datetime import date

from django.urls import include, path, reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import LogFormatter

from . import admin_views
from .importers import LOG_ACTION
from .models import Municipality
from .services import CHANGE_MUNICIPALITY


def _population(municipality) -> str:
    return number_format(municipality.population, force_grouping=True)


class MunicipalityIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm(CHANGE_MUNICIPALITY):
            buttons.append(HeaderButton(_("Einwohnerzahlen importieren"),
                                        url=reverse("einwohnerzahlen_import:upload"), icon_name="upload"))
        return buttons


class MunicipalityViewSet(ModelViewSet):
    model = Municipality
    index_view_class = MunicipalityIndexView
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


@hooks.register("register_admin_urls")
def register_population_import_urls():
    return [
        path("kreiskommunen/einwohnerzahlen-import/",
             include((admin_views.urlpatterns, "einwohnerzahlen_import"), namespace="einwohnerzahlen_import")),
    ]


@hooks.register("register_log_actions")
def register_population_import_log_action(actions):
    """The import's entry in each municipality's history (Verlauf)."""

    @actions.register_action(LOG_ACTION)
    class PopulationImported(LogFormatter):
        label = _("Einwohnerzahl importiert")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("Einwohnerzahl aus „%(source)s“ (Zeile %(line)s) importiert: %(old)s → %(new)s, "
                     "Stichtag %(date)s") % {
                "source": data.get("source") or "?", "line": data.get("line"),
                "old": number_format(data.get("old_population"), force_grouping=True),
                "new": number_format(data.get("new_population"), force_grouping=True),
                "date": date.fromisoformat(data["new_reference_date"]).strftime("%d.%m.%Y"),
            }


from . import wagtail_hooks_indicators  # noqa: E402, F401  (the monitoring registers its own admin views)
