"""The staff screen for bank-detail changes waiting for confirmation (menu «Bankverbindungen»)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from grants.admin.viewsets import PermissionMenuItem

from . import admin_views
from .services import CONFIRM_PERMISSION


@hooks.register("register_admin_urls")
def register_bank_change_urls():
    return [
        path("bankverbindungen/", admin_views.PendingBankChangesView.as_view(), name="bankverbindungen_index"),
        path("bankverbindungen/<int:pk>/", admin_views.BankChangeDecideView.as_view(),
             name="bankverbindungen_decide"),
    ]


@hooks.register("register_admin_menu_item")
def register_bank_change_menu_item():
    return PermissionMenuItem(_("Bankverbindungen"), reverse("bankverbindungen_index"), name="bankverbindungen",
                              icon_name="key", order=115, permission=CONFIRM_PERMISSION)
