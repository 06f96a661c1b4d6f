"""Registers the formula allocation screens in the Wagtail admin (menu «Formelzuweisung», after Anträge).

URL namespace ``formelzuweisung`` under /admin/formelzuweisung/: index, programme_current (<programme>/),
programme (<programme>/<year>/), preview (<programme>/<year>/vorschau/, GET preview, POST fix), run
(lauf/<pk>/), pdf and xlsx (lauf/<pk>/pdf|xlsx/), issue (lauf/<pk>/bescheide/, POST).
Imported at the end of ``grants.wagtail_hooks``.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet

from programmes.runs import VIEW_RUN

from .admin.views import allocation_runs, allocations
from .admin.viewsets import PermissionMenuItem


class FormulaAllocationViewSet(ViewSet):
    name = "formelzuweisung"
    icon = "table"
    menu_label = _("Formelzuweisung")
    menu_order = 105  # between Anträge (100) and Zahlungsläufe (110)
    add_to_admin_menu = True

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            label=self.menu_label, url=reverse(self.get_url_name("index")), name=self.name,
            icon_name=self.icon, order=self.get_menu_item_order(order), permission=VIEW_RUN,
        )

    def get_urlpatterns(self):
        return [
            path("", allocations.AllocationIndexView.as_view(), name="index"),
            path("<int:pk>/", allocations.ProgrammeRedirectView.as_view(), name="programme_current"),
            path("<int:pk>/<int:year>/", allocations.ProgrammeYearView.as_view(), name="programme"),
            path("<int:pk>/<int:year>/vorschau/", allocations.PreviewView.as_view(), name="preview"),
            path("lauf/<int:pk>/", allocation_runs.RunDetailView.as_view(), name="run"),
            path("lauf/<int:pk>/pdf/", allocation_runs.RunDownloadView.as_view(fmt="pdf"), name="pdf"),
            path("lauf/<int:pk>/xlsx/", allocation_runs.RunDownloadView.as_view(fmt="xlsx"), name="xlsx"),
            path("lauf/<int:pk>/bescheide/", allocation_runs.IssueDecisionsView.as_view(), name="issue"),
        ]


@hooks.register("register_admin_viewset")
def register_formula_allocation_viewset():
    return FormulaAllocationViewSet()
