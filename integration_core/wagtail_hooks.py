"""The member municipalities (Kreiskommunen) in the Wagtail admin: mostly read, edited by staff.

Municipalities are master data beside the programmes: whoever may see programmes
may look at them, whoever maintains programmes may correct them (population and
its reference date change yearly). Adding and deleting needs the model's own
permissions (superusers): the set of member municipalities rarely changes.
URL namespace: ``kreiskommunen``.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Municipality

# Programme permissions that stand in for the municipality ones (see module docstring).
VIEW_STANDIN = "programmes.view_programme"
CHANGE_STANDIN = "programmes.change_programme"


class MunicipalityPermissionPolicy(ModelPermissionPolicy):
    STANDINS = {"view": VIEW_STANDIN, "change": CHANGE_STANDIN}

    def user_has_permission(self, user, action):
        if super().user_has_permission(user, action):
            return True
        standin = self.STANDINS.get(action)
        return bool(standin) and user.is_active and user.has_perm(standin)

    def users_with_any_permission(self, actions):
        users = super().users_with_any_permission(actions)
        standins = [self.STANDINS[a] for a in actions if a in self.STANDINS]
        if not standins:
            return users
        query = Q()
        for code in standins:
            app_label, codename = code.split(".")
            query |= Q(groups__permissions__content_type__app_label=app_label,
                       groups__permissions__codename=codename)
            query |= Q(user_permissions__content_type__app_label=app_label, user_permissions__codename=codename)
        extra = get_user_model().objects.filter(query, is_active=True)
        return (users | extra).distinct()


register_permission_policy(Municipality, MunicipalityPermissionPolicy(Municipality))


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
