"""The applicant's start page: their applications and the programmes open for applications."""

from django.utils import timezone
from django.views.generic import TemplateView

from grants.selectors import applications_of_organisations
from grants.state_labels import with_state_labels
from portal.organisations.selectors import organisations_of
from programmes import rules as programme_rules
from programmes.models import Programme

from .base import ApplicantView
from .display import badge_variant, eur, next_step


def open_programmes_for(organisations) -> list[Programme]:
    """Programmes whose window is open today and for which at least one of the organisations may apply."""
    today = timezone.localdate()
    applicant_types = {organisation.applicant_type for organisation in organisations}
    return [
        programme
        for programme in Programme.objects.order_by("name")
        if programme_rules.window_error(programme, today) is None
        and any(programme_rules.applicant_type_error(programme, kind) is None for kind in applicant_types)
    ]


class DashboardView(ApplicantView, TemplateView):
    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisations = list(organisations_of(user))
        applications = list(
            with_state_labels(applications_of_organisations(user)).select_related("refund").order_by("-created_at")
        )
        for application in applications:
            application.badge = badge_variant(application)
            application.next_step = next_step(application)
            # A formula application applies for no amount: it shows one once the run has decided it.
            requested = None if application.programme.is_formula else application.requested_amount
            application.amount_display = eur(application.approved_amount or requested) or "–"
        context.update(
            applications=applications,
            organisations=organisations,
            # Staff log in here too; without an organisation of their own their work is in the admin.
            staff_only=not organisations and user.has_perm("wagtailadmin.access_admin"),
            programmes=open_programmes_for(organisations) if organisations else [],
        )
        return context
