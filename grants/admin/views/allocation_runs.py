"""A fixed formula run in the admin: its page, the allocation list as PDF/XLSX, and issuing its decisions.

Everything shown comes from what the run stored (never recomputed for display); ``run_verify`` recomputes
it once to say whether it is reproducible. Looking and downloading need ``programmes.view_allocationrun``;
«Bescheide erteilen» needs ``grants.approve_application`` (the service checks each application's limit).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages

from programmes.exports.formula_pdf import formula_pdf
from programmes.exports.formula_table import formula_filename, formula_table
from programmes.exports.formula_xlsx import formula_xlsx
from programmes.exports.xlsx import XLSX_CONTENT_TYPE
from programmes.models import AllocationRun, ProgrammeBudget
from programmes.runs import ADD_RUN, run_verify
from programmes.selectors import allocation_runs_for

from ... import allocations as reads
from ...models import Application, GrantIncrease
from ...services import allocations as services
from .allocations import LIST_DEFERRED, AllocationMixin

APPROVE = "grants.approve_application"


def decision_status(run: AllocationRun) -> tuple[int, int]:
    """(decided, pending) applicants of a run: one query either way."""
    if run.follows_id is None:
        states = dict(Application.objects.filter(allocation_run=run).values_list("state").annotate(n=Count("pk"))
                      .order_by())
        pending = states.pop(reads.CHECKED, 0)
        return sum(states.values()), pending
    due = sum(1 for output in run.outputs.values() if Decimal(output["amount"]))
    increased = GrantIncrease.objects.filter(allocation_run=run).count()
    return increased, max(due - increased, 0)


class RunMixin(AllocationMixin):
    def dispatch(self, request, *args, **kwargs):
        if self.has_permission(request.user):
            runs = allocation_runs_for(request.user, kind=AllocationRun.Kind.FORMULA_ALLOCATION)
            self.run = get_object_or_404(runs.select_related("programme", "follows"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def run_url(self):
        return reverse("formelzuweisung:run", args=(self.run.pk,))

    def get_breadcrumbs_items(self):
        programme_url = reverse("formelzuweisung:programme", args=(self.run.programme_id, self.run.year))
        return [*super().get_breadcrumbs_items(),
                {"url": programme_url, "label": f"{self.run.programme.name} {self.run.year}"}]


class RunDetailView(RunMixin, TemplateView):
    template_name = "grants/admin/allocations/run.html"
    page_title = gettext_lazy("Verteilungslauf")

    def get_page_subtitle(self):
        return self.run.title

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.run.title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run, user = self.run, self.request.user
        followed_by = AllocationRun.objects.filter(follows=run).defer(*LIST_DEFERRED).first()
        decided, pending = decision_status(run)
        unused = refill_url = None
        if followed_by is None and not pending and user.has_perm(ADD_RUN):
            # The latest run, decided: money freed since (a Verzicht, a refund) can be re-shared by a new run.
            budget = ProgrammeBudget.objects.filter(programme_id=run.programme_id, year=run.year).first()
            if budget is not None:
                unused = reads.unused(budget, run)
                preview = reverse("formelzuweisung:preview", args=(run.programme_id, run.year))
                refill_url = f"{preview}?{urlencode({'total': unused.available})}" if unused.available else None
        context.update(
            run=run, table=formula_table(run), verified=run_verify(run), followed_by=followed_by,
            decided=decided, pending=pending, may_issue=user.has_perm(APPROVE) and pending > 0,
            unused=unused, refill_url=refill_url,
        )
        return context


class RunDownloadView(RunMixin, View):
    """The allocation list as a file: ``fmt`` is "xlsx" or "pdf"."""

    fmt = "pdf"

    def get(self, request, *args, **kwargs):
        if self.fmt == "pdf":
            content, content_type = formula_pdf(self.run), "application/pdf"
        else:
            content, content_type = formula_xlsx(self.run), XLSX_CONTENT_TYPE
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{formula_filename(self.run, self.fmt)}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class IssueDecisionsView(RunMixin, View):
    """POST only: approvals and rejections (first run) or increases (follow-up), letters after commit."""

    permission_required = APPROVE

    def has_permission(self, user) -> bool:
        return super().has_permission(user) and user.has_perm(AllocationMixin.permission_required)

    def post(self, request, *args, **kwargs):
        try:
            issued = services.allocation_issue_decisions(user=request.user, run_id=self.run.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.run_url())
        if self.run.follows_id is None:
            text = _("Bescheide erteilt: %(approved)s Bewilligung(en), %(rejected)s Ablehnung(en). Die Bescheide "
                     "werden erstellt.") % {"approved": issued.approved, "rejected": issued.rejected}
        else:
            text = _("%(increased)s Zuwendung(en) erhöht. Die Änderungsbescheide werden erstellt.") % {
                "increased": issued.increased}
        if issued.skipped:
            text += " " + _("%(skipped)s bereits entschieden, unverändert.") % {"skipped": issued.skipped}
        messages.success(request, text)
        return redirect(self.run_url())
