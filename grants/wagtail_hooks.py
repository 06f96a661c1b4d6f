"""Registers the grants screens in the Wagtail admin: Anträge and Zahlungsläufe."""

from wagtail import hooks

from .admin.viewsets import ApplicationViewSet, PayoutBatchViewSet


@hooks.register("register_admin_viewset")
def register_application_viewset():
    return ApplicationViewSet()


@hooks.register("register_admin_viewset")
def register_payout_viewset():
    return PayoutBatchViewSet()


@hooks.register("construct_homepage_panels")
def add_work_queue_panel(request, panels):
    from .admin.panels import WorkQueuePanel

    panels.insert(0, WorkQueuePanel())


@hooks.register("construct_homepage_panels")
def add_outbox_panel(request, panels):
    from .admin.outbox_panel import OutboxPanel

    panels.insert(0, OutboxPanel())


# The formula allocation and the committee meetings register their own admin views.
from . import wagtail_hooks_allocations, wagtail_hooks_committee  # noqa: E402, F401
