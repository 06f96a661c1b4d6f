"""Admin viewsets of the grants app: applications (Anträge) and payout batches (Zahlungsläufe).

URL names (namespace ``antraege``): index, index_results, detail, attachment, document and
one per staff action (start_review, request_changes, recommend, approve, reject,
request_settlement_changes, accept_settlement, claim_refund, record_refund_received).
Namespace ``zahlungslaeufe``: index, add, detail, sepa, execute.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import Application
from .access import MANAGE_PAYOUTS, VIEW_APPLICATIONS
from .actions import ACTIONS
from .filters import ApplicationFilterSet
from .views import actions, detail, downloads, listing, payouts


class PermissionMenuItem(MenuItem):
    """A sidebar entry shown only to users holding ``permission``."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class ApplicationViewSet(ModelViewSet):
    """The listing is Wagtail's IndexView; the rest are our views (no add/edit/delete: services write)."""

    model = Application
    name = "antraege"
    icon = "doc-full"
    menu_label = _("Anträge")
    menu_order = 100
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = listing.ApplicationIndexView
    filterset_class = ApplicationFilterSet
    list_per_page = 50
    ordering = "-submitted_at"
    export_filename = "antraege"
    search_fields = ["title", "file_number", "organisation__name"]

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            label=self.menu_label, url=reverse(self.get_url_name("index")), name="antraege",
            icon_name=self.icon, order=self.get_menu_item_order(order), permission=VIEW_APPLICATIONS,
        )

    def get_permissions_to_register(self):
        # Include "view": it is what every admin role needs to see applications at all.
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType

        return Permission.objects.filter(content_type=ContentType.objects.get_for_model(Application))

    @property
    def url_finder_class(self):
        # Wagtail links (e.g. from logs) to an application go to its staff page.
        return type("ApplicationURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("detail")})

    def get_urlpatterns(self):
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", detail.ApplicationDetailView.as_view(), name="detail"),
            path("anlage/<int:pk>/", downloads.AttachmentDownloadView.as_view(), name="attachment"),
            path("bescheid/<int:pk>/", downloads.DocumentDownloadView.as_view(), name="document"),
        ]
        for name, action in ACTIONS.items():
            view = actions.ApplicationActionView.as_view(action_name=name)
            patterns.append(path(f"<int:pk>/{action.slug}/", view, name=name))
        return patterns


class PayoutBatchViewSet(ViewSet):
    name = "zahlungslaeufe"
    icon = "tasks"
    menu_label = _("Zahlungsläufe")
    menu_order = 110
    add_to_admin_menu = True

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            label=self.menu_label, url=reverse(self.get_url_name("index")), name="zahlungslaeufe",
            icon_name=self.icon, order=self.get_menu_item_order(order), permission=MANAGE_PAYOUTS,
        )

    def get_urlpatterns(self):
        return [
            path("", payouts.PayoutBatchIndexView.as_view(), name="index"),
            path("neu/", payouts.PayoutBatchCreateView.as_view(), name="add"),
            path("<int:pk>/", payouts.PayoutBatchDetailView.as_view(), name="detail"),
            path("<int:pk>/sepa/", payouts.PayoutBatchDownloadView.as_view(), name="sepa"),
            path("<int:pk>/ausfuehren/", payouts.PayoutBatchExecuteView.as_view(), name="execute"),
        ]
