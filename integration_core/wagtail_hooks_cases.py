"""Case-plan screens of the Wagtail admin: the read log (read-only) and the providers with their staff.

Providers (Träger) are master data kept by superusers (namespace ``traeger``). Memberships (who works as
case worker or lead where; ``traeger_mitarbeit``) decide which cases a person sees
(``integration_core.cases.access``), so the admin only lists them: the provider's lead assigns them, or an
administrator proposes and data protection approves (``fallzugang``, ``integration_core.admin_access``).

The read log of case plans (Protokoll der Fallzugriffe) is read-only.

Only for holders of ``integration_core.view_casereadlog`` (role «Datenschutz»). Nobody can add,
change or delete entries here: the policy below grants "view" and nothing else, and only the
index, its results and the inspect view are routed. The listing shows the case number, never
the client's name. URL namespace ``fallzugriffe``. Imported at the end of ``wagtail_hooks``.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_access
from .cases.assignments import may_decide, may_propose
from .models import CaseReadLog, Provider, ProviderMembership, ReadPurpose

VIEW_READ_LOG = "integration_core.view_casereadlog"


class ReadOnlyPolicy(ModelPermissionPolicy):
    """View with the model's view permission; add, change and delete for nobody (not even superusers)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")


register_permission_policy(CaseReadLog, ReadOnlyPolicy(CaseReadLog))
# Memberships decide who reads cases: written only by integration_core.cases.assignments (the provider's lead, or
# an administrator's proposal approved by data protection), never by the admin's generic forms.
register_permission_policy(ProviderMembership, ReadOnlyPolicy(ProviderMembership))


def _readers(request=None):
    return get_user_model().objects.filter(case_reads__isnull=False).distinct().order_by("last_name", "first_name")


class ReadLogFilterSet(WagtailFilterSet):
    case = django_filters.NumberFilter(label=_("Fallnummer"), field_name="case_id",
                                       help_text=_("Die Zahl aus „IP-000042“, also 42."))
    user = django_filters.ModelChoiceFilter(label=_("Person"), queryset=_readers, empty_label=_("Alle"))
    read_from = django_filters.DateFilter(label=_("von"), field_name="read_at", lookup_expr="date__gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    read_to = django_filters.DateFilter(label=_("bis"), field_name="read_at", lookup_expr="date__lte",
                                        widget=forms.DateInput(attrs={"type": "date"}))
    purpose = django_filters.ChoiceFilter(label=_("Zweck / Ansicht"), choices=ReadPurpose.choices,
                                          empty_label=_("Alle"))

    class Meta:
        model = CaseReadLog
        fields = ["case", "user", "read_from", "read_to", "purpose"]


def _case_number(entry) -> str:
    if entry.case_id is None:  # a grant or removal of access: whose, for which provider's cases
        return f"{entry.subject.email if entry.subject_id else '–'} @ {entry.provider or '–'} ({entry.detail})"
    return f"IP-{entry.case_id:06d}"


class CaseReadLogViewSet(ModelViewSet):
    model = CaseReadLog
    name = "fallzugriffe"
    icon = "history"
    menu_label = _("Fallzugriffe")
    menu_name = "fallzugriffe"
    menu_order = 900
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    filterset_class = ReadLogFilterSet
    list_display = [
        Column("read_at", label=_("Zeitpunkt"), accessor=lambda e: f"{timezone.localtime(e.read_at):%d.%m.%Y %H:%M:%S}",
               sort_key="read_at"),
        Column("user", label=_("Person"), accessor=lambda e: f"{e.user} <{e.user.email}>"),
        Column("case", label=_("Fall"), accessor=_case_number, sort_key="case_id"),
        # Stored as a code, shown in the reader's language.
        Column("purpose", label=_("Zweck / Ansicht"), accessor="get_purpose_display", sort_key="purpose"),
    ]
    list_export = ["read_at", "user", "case", "get_purpose_display"]
    export_headings = {"read_at": _("Zeitpunkt"), "user": _("Person"), "case": _("Fall"),
                       "get_purpose_display": _("Zweck / Ansicht")}
    inspect_view_fields = ["read_at", "user", "case", "purpose", "provider", "subject", "detail"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=CaseReadLog.objects.select_related("user", "subject", "provider"), **kwargs)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        # No add/edit/delete/history/usage routes: the generic views must not link to them.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for key in ("add_url_name", "edit_url_name", "delete_url_name", "history_url_name", "usage_url_name"):
            view_kwargs[key] = None
        return view_kwargs


class ProviderViewSet(ModelViewSet):
    model = Provider
    name = "traeger"
    icon = "group"
    menu_label = _("Träger")
    add_to_reference_index = False
    copy_view_enabled = False
    search_fields = ["name"]
    list_filter = ["kind", "is_active"]
    list_display = ["name", Column("kind", label=_("Art"), accessor="get_kind_display"), "municipality",
                    BooleanColumn("is_active", label=_("aktiv"))]
    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("municipality"), FieldPanel("is_active")]


class ProviderMembershipViewSet(ModelViewSet):
    """Read-only: who works where, with which function (changes: ``fallzugang`` or the provider's lead)."""

    model = ProviderMembership
    name = "traeger_mitarbeit"
    icon = "user"
    menu_label = _("Mitarbeit bei Trägern")
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_filter = ["provider", "role", "is_active"]
    list_display = ["user", "provider", Column("role", label=_("Funktion"), accessor="get_role_display"),
                    BooleanColumn("is_active", label=_("aktiv"))]
    inspect_view_fields = ["user", "provider", "role", "is_active", "created_at"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=ProviderMembership.objects.select_related("user", "provider"), **kwargs)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for key in ("add_url_name", "edit_url_name", "delete_url_name", "history_url_name", "usage_url_name"):
            view_kwargs[key] = None
        return view_kwargs


class CaseworkViewSetGroup(ModelViewSetGroup):
    menu_label = _("Integrationsmanagement")
    menu_icon = "group"
    menu_order = 230
    items = [ProviderViewSet, ProviderMembershipViewSet]


@hooks.register("register_admin_viewset")
def register_case_read_log_viewset():
    return CaseReadLogViewSet()


@hooks.register("register_admin_viewset")
def register_provider_viewsets():
    return CaseworkViewSetGroup()


@hooks.register("register_admin_urls")
def register_case_access_urls():
    return [path("fallzugang/", include((admin_access.urlpatterns, "fallzugang"), namespace="fallzugang"))]


class CaseAccessMenuItem(MenuItem):
    def is_shown(self, request):
        return may_propose(request.user) or may_decide(request.user)


@hooks.register("register_admin_menu_item")
def register_case_access_menu_item():
    return CaseAccessMenuItem(_("Fallzugang"), reverse("fallzugang:index"), name="fallzugang", icon_name="lock",
                              order=905)


@hooks.register("construct_homepage_panels")
def add_anonymisation_failures(request, panels):
    from .anonymisation_panel import add_anonymisation_failures_panel

    add_anonymisation_failures_panel(request, panels)
