"""Registers the monitoring in the Wagtail admin (menu «Monitoring» with its pages: dashboard per municipality,
yearly indicator table, indicator registry) and its downloads. URL namespace ``monitoring`` under /admin/monitoring/.

Imported at the end of ``integration_core.wagtail_hooks``. Shown to users holding
``integration_core.view_case_statistics`` (see ``indicators.views`` for the permissions).
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.base import ViewSet

from .indicators import views


class PermissionMenuItem(MenuItem):
    """A sidebar entry shown only to users holding ``permission``."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class MonitoringViewSet(ViewSet):
    name = "monitoring"
    icon = "view"
    menu_label = _("Monitoring")
    menu_order = 230  # after Kreiskommunen (220)
    add_to_admin_menu = True

    def get_menu_item(self, order=None):
        pages = [
            ("dashboard", _("Dashboard je Kommune"), "view"),
            ("table", _("Kennzahlentabelle"), "table"),
            ("registry", _("Kennzahlenregister"), "list-ul"),
        ]
        items = [PermissionMenuItem(label, reverse(self.get_url_name(name)), name=f"monitoring-{name}",
                                    icon_name=icon, order=index * 10, permission=views.VIEW_STATISTICS)
                 for index, (name, label, icon) in enumerate(pages)]
        # The submenu is shown as soon as one of its entries is (SubmenuMenuItem.is_shown).
        return SubmenuMenuItem(label=self.menu_label, menu=Menu(items=items), name=self.name, icon_name=self.icon,
                               order=self.get_menu_item_order(order))

    def get_urlpatterns(self):
        return [
            path("", views.DashboardView.as_view(), name="dashboard"),
            path("pdf/", views.DashboardPdfView.as_view(), name="pdf"),
            path("register/", views.RegistryView.as_view(), name="registry"),
            path("kennzahlen/", views.TableView.as_view(), name="table"),
            path("kennzahlen/<int:year>.xlsx", views.TableDownloadView.as_view(fmt="xlsx"), name="table_xlsx"),
            path("kennzahlen/<int:year>.csv", views.TableDownloadView.as_view(fmt="csv"), name="table_csv"),
            path("statistikauszug/<int:year>.csv", views.ExtractDownloadView.as_view(), name="extract"),
            path("statistiktabellen/<int:year>.xlsx", views.StatisticsTablesDownloadView.as_view(fmt="xlsx"),
                 name="statistics_tables_xlsx"),
            path("statistiktabellen/<int:year>.csv", views.StatisticsTablesDownloadView.as_view(fmt="csv"),
                 name="statistics_tables_csv"),
        ]


@hooks.register("register_admin_viewset")
def register_monitoring_viewset():
    return MonitoringViewSet()
