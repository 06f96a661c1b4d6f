"""Registers the grants screens in the Wagtail admin: Anträge and Zahlungsläufe."""

from wagtail import hooks

from .admin.viewsets import ApplicationViewSet, PayoutBatchViewSet


@hooks.register("register_admin_viewset")
def register_application_viewset():
    return ApplicationViewSet()


@hooks.register("register_admin_viewset")
def register_payout_viewset():
    return PayoutBatchViewSet()
