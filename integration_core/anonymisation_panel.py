"""The admin home page lists cases the daily anonymisation could not anonymise (data protection, admins)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .models import AnonymisationFailure

VIEW_READ_LOG = "integration_core.view_casereadlog"  # the data-protection role's right
SHOWN = 50


def may_see_failures(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(VIEW_READ_LOG))


class AnonymisationFailuresPanel(Component):
    """Case number, error, since when, how often: enough to act on, no client data (one query)."""

    name = "anonymisation_failures"
    template_name = "integration_core/admin/home_anonymisation_failures.html"
    order = 40
    heading = _("Anonymisierung fehlgeschlagen")

    def get_context_data(self, parent_context):
        failures = list(AnonymisationFailure.objects.order_by("first_failed_at", "pk")[: SHOWN + 1])
        return {"failures": failures[:SHOWN], "more": len(failures) > SHOWN, "heading": self.heading}


def add_anonymisation_failures_panel(request, panels):
    if may_see_failures(request.user) and AnonymisationFailure.objects.exists():
        panels.insert(0, AnonymisationFailuresPanel())
