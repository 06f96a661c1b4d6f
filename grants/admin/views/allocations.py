"""Formula allocation (e.g. the Soforthilfe) in the admin: the programme year, the preview and fixing a run.

URL namespace ``formelzuweisung`` (``grants.wagtail_hooks_allocations``): index (formula programmes and their
years), programme (one programme year: rules, checked and unchecked applications, the runs), preview (GET:
the what-if of the next run; POST: fix it). A fixed run's page, downloads and decisions are in
``allocation_runs``. Looking needs ``programmes.view_allocationrun``; previewing and fixing
``programmes.add_allocationrun`` (the services check again). Everyone else: 403 page.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from programmes.choices import AllocationMethod
from programmes.exports.formula_table import formula_rule_items, formula_table
from programmes.models import AllocationRun, Programme, ProgrammeBudget
from programmes.runs import ADD_RUN, VIEW_RUN

from ... import allocations as reads
from ...services import allocations as services
from ..access import PermissionRequiredMixin

INDEX = "formelzuweisung:index"
TEMPLATES = "grants/admin/allocations"
# The runs list of a year shows no figures per applicant: the JSON columns stay in the database.
LIST_DEFERRED = ("rules", "inputs", "outputs", "steps")


class RunForm(forms.Form):
    """The amount of a follow-up run (GET, the preview) and what «Festsetzen» posts along with it."""

    total = forms.DecimalField(
        label=gettext_lazy("Neu zu verteilender Betrag (€)"), required=False, max_digits=14, decimal_places=2,
        min_value=Decimal("0.01"), localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=gettext_lazy("Vorbelegt sind alle frei gewordenen Mittel; Sie können weniger verteilen."),
    )
    title = forms.CharField(
        label=gettext_lazy("Titel des Laufs"), required=False, max_length=200,
        help_text=gettext_lazy("Leer: ein Titel aus Programm und Jahr, z. B. „Soforthilfe 2026 – Verteilung“."),
    )
    expected_hash = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: ``total`` onto the amount field, anything else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error("total" if field == "total" else None, errors)
    else:
        form.add_error(None, exc.messages)


def formula_programmes():
    return Programme.objects.filter(allocation_method=AllocationMethod.FORMULA).order_by("name")


def default_year(programme: Programme) -> int:
    """This year if it has a pot, else the newest year with one, else this year."""
    this_year = timezone.localdate().year
    years = list(programme.budgets.order_by("-year").values_list("year", flat=True))
    return this_year if this_year in years or not years else years[0]


class AllocationMixin(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    permission_required = VIEW_RUN
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse(INDEX), "label": _("Formelzuweisung")}]


class ProgrammeYearMixin(AllocationMixin):
    """Looks up the formula programme (404 for any other) and the year's pot (may be missing)."""

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission(request.user):
            self.programme = get_object_or_404(formula_programmes(), pk=kwargs["pk"])
            self.year = kwargs["year"]
            self.budget = ProgrammeBudget.objects.filter(programme=self.programme, year=self.year).first()
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.programme.name} {self.year}"

    def programme_url(self):
        return reverse("formelzuweisung:programme", args=(self.programme.pk, self.year))

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(),
                {"url": self.programme_url(), "label": f"{self.programme.name} {self.year}"}]

    def year_runs(self) -> list[AllocationRun]:
        """The runs of the year, oldest first: the chain (each follows the one before)."""
        return list(self.programme.allocation_runs.filter(year=self.year).select_related("created_by")
                    .defer(*LIST_DEFERRED).order_by("created_at", "pk"))


class AllocationIndexView(AllocationMixin, TemplateView):
    """Every formula programme with its budget years and how many runs each year has."""

    template_name = f"{TEMPLATES}/index.html"
    page_title = gettext_lazy("Formelzuweisung")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Formelzuweisung")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programmes = list(formula_programmes().prefetch_related("budgets"))
        counts = {
            (row["programme_id"], row["year"]): row["count"]
            for row in AllocationRun.objects.filter(kind=AllocationRun.Kind.FORMULA_ALLOCATION)
            .values("programme_id", "year").annotate(count=Count("pk")).order_by()
        }
        rows = []
        for programme in programmes:
            budgets = sorted(programme.budgets.all(), key=lambda budget: budget.year, reverse=True)
            rows.append((programme, [(budget, counts.get((programme.pk, budget.year), 0)) for budget in budgets]))
        context["rows"] = rows
        return context


class ProgrammeRedirectView(ProgrammeYearMixin, TemplateView):
    """``<pk>/``: the programme's current year (a link from the programme needs no year)."""

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission(request.user):
            return super().dispatch(request, *args, **kwargs)
        programme = get_object_or_404(formula_programmes(), pk=kwargs["pk"])
        return redirect("formelzuweisung:programme", programme.pk, default_year(programme))


class ProgrammeYearView(ProgrammeYearMixin, TemplateView):
    """The rules, who takes part, who is not checked yet, the runs so far and what can be done next."""

    template_name = f"{TEMPLATES}/programme.html"
    page_title = gettext_lazy("Formelzuweisung")

    def get_breadcrumbs_items(self):
        *items, _current = super().get_breadcrumbs_items()
        return [*items, {"url": "", "label": f"{self.programme.name} {self.year}"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        runs = self.year_runs()
        # The latest run in full: its outputs and rules say who holds a grant and what was kept back.
        latest = AllocationRun.objects.get(pk=runs[-1].pk) if runs else None
        if latest is None:
            applications = list(reads.candidates(self.programme))
            reference_errors = reads.reference_date_errors(self.programme, applications)
        else:
            applications = list(reads.holders(latest))
            reference_errors = []
        rules = reads.formula_rules(self.programme, follow_up=latest is not None)
        unused = reads.unused(self.budget, latest) if latest is not None and self.budget is not None else None
        # Years as text: a year is no number to group ("2026", never "2.026").
        years = [str(y) for y in sorted({*self.programme.budgets.values_list("year", flat=True), self.year},
                                        reverse=True)]
        context.update(
            programme=self.programme, year=str(self.year), years=years, budget=self.budget, runs=runs, latest=latest,
            rule_items=formula_rule_items(rules, self.budget.amount.amount if self.budget and not latest else None),
            participants=[(application, reads.input_row(application)) for application in applications],
            unchecked=list(reads.unchecked(self.programme).select_related("organisation")),
            reference_errors=reference_errors, unused=unused,
            may_run=self.request.user.has_perm(ADD_RUN),
            preview_url=reverse("formelzuweisung:preview", args=(self.programme.pk, self.year)),
        )
        return context


class PreviewView(ProgrammeYearMixin, TemplateView):
    """GET: the preview of the next run (a follow-up with ``?total=``). POST «Festsetzen»: fix exactly that run.

    The POST carries the hash of the preview shown; if applications, populations or money changed since,
    nothing is fixed and the new preview is shown with a message. Every refusal of the services appears in
    the error summary, an amount refusal at the amount field.
    """

    template_name = f"{TEMPLATES}/preview.html"
    permission_required = ADD_RUN
    page_title = gettext_lazy("Vorschau des Verteilungslaufs")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Vorschau")}]

    def get(self, request, *args, **kwargs):
        # Always bound (all fields optional), so the service's refusals can go onto it.
        form = RunForm(request.GET if "total" in request.GET else {})
        if not form.is_valid():
            return self.show(form, plan=None)
        return self.show(form, plan=self.plan(form, form.cleaned_data["total"]))

    def post(self, request, *args, **kwargs):
        form = RunForm(request.POST)
        if not form.is_valid():
            return self.show(form, plan=None)
        data = form.cleaned_data
        try:
            run = services.allocation_fix(user=request.user, programme_id=self.programme.pk, year=self.year,
                                          expected_hash=data["expected_hash"], title=data["title"],
                                          total=data["total"])
        except ValidationError as exc:
            if getattr(exc, "code", None) != "stale_preview":
                add_errors(form, exc)
                return self.show(form, plan=None)
            messages.error(request, " ".join(exc.messages))
            return self.show(form, plan=self.plan(form, data["total"]))
        messages.success(request, _("Der Verteilungslauf „%(title)s“ ist festgesetzt; er kann nicht mehr geändert "
                                    "werden.") % {"title": run.title})
        return redirect("formelzuweisung:run", run.pk)

    def plan(self, form: RunForm, total: Decimal | None):
        """The plan, or None with the service's German messages on the form."""
        try:
            return services.allocation_plan(user=self.request.user, programme_id=self.programme.pk, year=self.year,
                                            total=total)
        except ValidationError as exc:
            add_errors(form, exc)
            return None

    def show(self, form: RunForm, *, plan):
        if plan is not None and plan.is_follow_up and not form.data.get("total"):
            # Prefill with all the money that became free; staff may enter less.
            form = RunForm(initial={"total": plan.unused.available, "title": form.data.get("title", "")})
        latest = plan.follows if plan is not None else reads.latest_run(self.programme, self.year)
        return self.render_to_response(self.get_context_data(
            form=form, plan=plan, is_follow_up=latest is not None, follows=latest,
            table=formula_table(plan.preview) if plan else None,
            unchecked=plan.unchecked if plan else [],
        ))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(programme=self.programme, year=str(self.year), budget=self.budget,
                       programme_url=self.programme_url())
        return context
