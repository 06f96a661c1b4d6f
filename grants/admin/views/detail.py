"""An application's page for staff: everything entered, files, history, and the allowed actions."""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from programmes.allocation_rules import REASON_LABELS, Reason
from programmes.choices import ApplicantType, DecidingBody
from programmes.rules import deciding_body
from programmes.runs import VIEW_RUN

from ... import allocations as formula_reads
from ...models import AgendaItem, ApplicationEvent, Assessment, PayoutItem, Refund, Settlement
from ...rules import cost_kind_sums
from ...services.interest import refund_interest
from ...states import State
from ..access import MANAGE_PAYOUTS, PermissionRequiredMixin, admin_applications
from ..actions import available_actions, event_labels
from ..exports import age_in_days


def _related_or_none(instance, name: str):
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def formula_context(application) -> dict:
    """What staff check and see in a formula programme: posts, the population basis, the run, the increases."""
    programme = application.programme
    if not programme.is_formula:
        return {"is_formula": False}
    posts = list(application.posts.all())
    largest = max((post.fte for post in posts), default=None)
    municipalities = formula_reads.applicant_municipalities(application)
    run = application.allocation_run
    output = run.outputs.get(application.file_number) if run else None
    if output:
        output = {**output, "amount": Decimal(output["amount"]), "percent": Decimal(output["percent"]),
                  "reason_label": _(REASON_LABELS[Reason(output["reason"])])}
    increases = [
        {"increase": increase, "document": _related_or_none(increase, "document"),
         "payout": _related_or_none(increase, "payout")}
        for increase in application.increases.select_related("allocation_run", "document", "payout__batch")
    ]
    return {
        "is_formula": True,
        "posts": posts,
        "largest_post": largest,
        "meets_min_fte": largest is not None and (programme.min_post_fte is None or largest >= programme.min_post_fte),
        "municipalities": municipalities,
        "is_verbund": application.organisation.applicant_type == ApplicantType.MUNICIPAL_ASSOCIATION,
        "population": sum(m.population or 0 for m in municipalities),
        "reference_date_errors": formula_reads.reference_date_errors(programme, [application]),
        "run": run,
        "run_output": output,
        "increases": increases,
    }


def committee_context(application, user) -> dict:
    """Who decides, the staff assessment, and for committee items the meeting they wait on or were decided in."""
    if application.programme.is_formula:
        return {"deciding_body": None}
    body = deciding_body(application.terms, application.recommended_amount or application.requested_amount)
    items = list(AgendaItem.objects.filter(application=application).select_related("meeting").order_by("pk"))
    waits = application.state == State.RECOMMENDED and body == DecidingBody.COMMITTEE
    return {
        "deciding_body": body,
        "deciding_body_label": DecidingBody(body).label,
        "assessment": Assessment.objects.filter(application=application).select_related("assessed_by").first(),
        "waits_for_committee": waits,
        "open_agenda_item": next((item for item in items if not item.outcome), None),
        "agenda_items": items,
        "can_view_meetings": user.has_perm("grants.view_meeting"),
    }


def interest_to_date(refund):
    """Interest on an open refund up to today (for information; the booked figure is computed at receipt)."""
    if refund is None or refund.received_on or refund.interest_from is None or refund.interest_waived:
        return None
    try:
        return refund_interest(refund, timezone.localdate())
    except ValidationError:
        return None  # no base rate for the start date yet: the page says the table needs it


class ApplicationAdminMixin(PermissionRequiredMixin):
    """Looks the application up through the user's admin queryset: unknown ids are 404."""

    index_url_name = "antraege:index"
    detail_url_name = "antraege:detail"

    def get_application(self):
        queryset = admin_applications(self.request.user).select_related(
            "organisation__seat_municipality", "recommended_by", "decided_by", "programme", "allocation_run"
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        # Permission first (403), then the lookup (404): outsiders learn nothing about ids.
        if self.has_permission(request.user):
            self.application = self.get_application()
        return super().dispatch(request, *args, **kwargs)

    def get_detail_url(self):
        return reverse(self.detail_url_name, args=(self.application.pk,))

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Anträge")},
            {"url": self.get_detail_url(), "label": str(self.application)},
        ]


class ApplicationDetailView(ApplicationAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "grants/admin/application_detail.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return _("Antrag %(title)s") % {"title": self.application}

    def get_breadcrumbs_items(self):
        *items, _current = super().get_breadcrumbs_items()
        return [*items, {"url": "", "label": str(self.application)}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        settlement = (
            Settlement.objects.filter(application=application)
            .prefetch_related("cost_lines").select_related("checked_by").first()
        )
        cost_lines = list(application.cost_lines.all())
        events = list(
            ApplicationEvent.objects.filter(application=application)
            .select_related("actor").order_by("created_at", "pk")
        )
        labels = event_labels(application.programme)
        for event in events:
            event.label = labels.get(event.action, event.action)
        refund = Refund.objects.filter(application=application).select_related("received_by", "claimed_by").first()
        context.update(
            application=application,
            organisation=application.organisation,
            age=age_in_days(application),
            cost_lines=cost_lines,
            cost_kind_sums=cost_kind_sums(application.programme, cost_lines),
            funding_total=application.own_funds + application.third_party_funds,
            attachments=list(application.attachments.all()),
            documents=list(application.documents.all()),
            events=events,
            settlement=settlement,
            settlement_lines=list(settlement.cost_lines.all()) if settlement else [],
            refund=refund,
            interest_to_date=interest_to_date(refund),
            **committee_context(application, self.request.user),
            payout=PayoutItem.objects.filter(application=application, increase__isnull=True)
            .select_related("batch").first(),
            actions=available_actions(application, self.request.user),
            can_manage_payouts=self.request.user.has_perm(MANAGE_PAYOUTS),
            can_view_runs=self.request.user.has_perm(VIEW_RUN),
            **formula_context(application),
            declarations=[
                (application._meta.get_field(name).verbose_name, getattr(application, name))
                for name in ("declaration_truthful", "declaration_not_started", "declaration_privacy",
                             "declaration_conditions")
            ],
        )
        return context

