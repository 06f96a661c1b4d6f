"""Registers the weighted staffing key in the Wagtail admin (menu «Stellenschlüssel», next to Förderprogramme).

URL namespace ``stellenschluessel`` under /admin/stellenschluessel/: index (saved runs), calculator (neu/),
detail (<pk>/), xlsx (<pk>/xlsx/), pdf (<pk>/pdf/). Imported at the end of ``programmes.wagtail_hooks``.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import staffing_views as views
from .runs import VIEW_RUN


class PermissionMenuItem(MenuItem):
    """A sidebar entry shown only to users holding ``permission``."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class StaffingKeyViewSet(ViewSet):
    name = "stellenschluessel"
    icon = "table"
    menu_label = _("Stellenschlüssel")
    menu_order = 205  # between Förderprogramme (200) and Haushalt (210)
    add_to_admin_menu = True

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            label=self.menu_label, url=reverse(self.get_url_name("index")), name=self.name,
            icon_name=self.icon, order=self.get_menu_item_order(order), permission=VIEW_RUN,
        )

    def get_urlpatterns(self):
        return [
            path("", views.RunIndexView.as_view(), name="index"),
            path("neu/", views.CalculatorView.as_view(), name="calculator"),
            path("<int:pk>/", views.RunDetailView.as_view(), name="detail"),
            path("<int:pk>/xlsx/", views.RunDownloadView.as_view(fmt="xlsx"), name="xlsx"),
            path("<int:pk>/pdf/", views.RunDownloadView.as_view(fmt="pdf"), name="pdf"),
        ]


@hooks.register("register_admin_viewset")
def register_staffing_key_viewset():
    return StaffingKeyViewSet()
