"""Applying: the application form (new and edit), the detail page, withdrawal and Verzicht.

A formula programme (e.g. the Soforthilfe) asks for the funded posts and a contact instead of a cost plan;
``portal.forms.formula`` holds that form, the rest of the flow is the same.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from djmoney.money import Money
from schwifty import IBAN

from grants.models import AttachmentKind
from grants.rules import cost_kind_sums
from grants.services.applications import (
    application_create,
    application_submit,
    application_update,
    application_withdraw,
    withdrawal_error,
)
from grants.states import EDITABLE, UNDECIDED, State
from portal.forms.applications import (
    ApplicationForm,
    WithdrawForm,
    application_initial,
    cost_plan_formset,
    lines_initial,
    with_added_row,
)
from portal.forms.cofinancing import (
    YEAR_PREFIX,
    default_municipality,
    is_cofinanced,
    year_formset,
    years_initial,
)
from portal.forms.formula import (
    FormulaApplicationForm,
    contact_initial,
    formula_initial,
    post_formset,
    posts_initial,
)
from portal.forms.kern import unbound_copy
from portal.organisations.selectors import organisations_of
from programmes import rules as programme_rules
from programmes.models import Programme

from .base import ApplicantView, ApplicationScopedView, add_validation_error
from .cofinancing import cofinancing_detail_context, cofinancing_form_context, split_problem
from .display import badge_variant, eur, next_step, step_label
from .formula import formula_context

ZERO = Decimal("0.00")


def _money(value) -> Money:
    return Money(Decimal(value or 0).quantize(Decimal("0.01")), "EUR")


def submission_problems(application) -> list[str]:
    """What keeps the application from being submitted, in the applicant's words."""
    problems = application.missing_items()
    split = split_problem(application)
    if split:
        problems.append(split)
    if not problems and application.state == State.DRAFT:
        error = programme_rules.window_error(application.programme, timezone.localdate())
        problems = [error] if error else []
    return problems


class ApplicationFormMixin:
    """The form page shared by the new and the edit view; saves through the grants services."""

    template_name = "portal/application_form.html"
    programme: Programme
    organisations = None

    # -- the two kinds of form: a project with a cost plan, or (formula programme) the funded posts --------------
    def make_form(self, data=None, *, initial=None):
        form_class = FormulaApplicationForm if self.programme.is_formula else ApplicationForm
        return form_class(data, initial=initial, programme=self.programme, organisations=self.organisations)

    def make_rows(self, data=None, *, application=None):
        """The row formset: posted, or the stored rows of ``application`` (empty rows for a new one)."""
        if self.programme.is_formula:
            if data is not None:
                return post_formset(data)
            return post_formset(initial=posts_initial(list(application.posts.all())) if application else None)
        if data is not None:
            return cost_plan_formset(data, programme=self.programme)
        return cost_plan_formset(initial=lines_initial(application.cost_lines.all()) if application else None,
                                 programme=self.programme)

    def make_years(self, data=None, *, application=None):
        """Co-financed programmes: the requested amount per calendar year; None elsewhere."""
        if not is_cofinanced(self.programme):
            return None
        if data is not None:
            # A post without the rows (an older page) leaves the stored split as it is.
            return year_formset(data) if f"{YEAR_PREFIX}-TOTAL_FORMS" in data else None
        return year_formset(initial=years_initial(application))

    def initial_for(self, application) -> dict:
        if application is None:
            only = self.organisations[0] if len(self.organisations or []) == 1 else None
            if self.programme.is_formula:
                return contact_initial(only)
            if is_cofinanced(self.programme):
                return {"cofinancing_municipality": default_municipality(only)}
            return {}
        return formula_initial(application) if self.programme.is_formula else application_initial(application)

    def amounts(self, form, formset, application) -> dict | None:
        if self.programme.is_formula:
            return None  # the amount comes from the allocation run
        if form.is_bound and form.is_valid() and formset.is_valid():
            total = sum((line.amount for line in formset.cost_lines()), ZERO)
            own, third = form.cleaned_data.get("own_funds") or ZERO, form.cleaned_data.get("third_party_funds") or ZERO
        elif application is not None:
            total = application.total_costs.amount
            own, third = application.own_funds.amount, application.third_party_funds.amount
        else:
            total = own = third = ZERO
        requested = _money(total - own - third)
        has_lines = total > 0
        return {
            "total": eur(_money(total)), "own": eur(_money(own)), "third": eur(_money(third)),
            "requested": eur(requested),
            "warning": programme_rules.amount_error(self.programme, requested) if has_lines else None,
        }

    def render_form(self, form, formset, *, application=None, problems=(), sums_from=None, years=None):
        """``sums_from``: the posted (form, formset) to compute the sums from when the page shows copies."""
        submit_label = (_("Erneut einreichen") if application is not None
                        and application.state == State.CHANGES_REQUESTED else _("Einreichen"))
        context = {
            "programme": self.programme,
            "application": application,
            "form": form,
            "formset": formset,
            "amounts": self.amounts(*(sums_from or (form, formset)), application),
            "years": years if years is not None else self.make_years(application=application),
            "cofinancing": cofinancing_form_context(self.programme, application),
            "bounds": {"min": eur(self.programme.min_amount), "max": eur(self.programme.max_amount)},
            "problems": problems,
            "submit_label": submit_label,
            "attachments": list(application.attachments.filter(
                kind__in=[AttachmentKind.APPLICATION, AttachmentKind.COFINANCING]))
            if application is not None else [],
        }
        return render(self.request, self.template_name, context)

    def save(self, form, formset, application, years=None):
        user = self.request.user
        with transaction.atomic():
            if application is None:
                organisation = form.cleaned_data.get("organisation") or self.organisations[0]
                application = application_create(
                    user=user, organisation=organisation, programme=self.programme, title=form.cleaned_data["title"]
                )
            rows = ({"posts": formset.posts()} if self.programme.is_formula
                    else {"cost_lines": formset.cost_lines()})
            if years is not None:
                rows["year_amounts"] = years.year_amounts()
            return application_update(user=user, application_id=application.pk, data=form.service_data(), **rows)

    def handle_post(self, application=None):
        request = self.request
        action = request.POST.get("action", "save")
        form = self.make_form(request.POST)
        formset = self.make_rows(request.POST)
        years = self.make_years(request.POST)
        if action == "add_line":
            # Without JavaScript: the same page with one more empty row; nothing saved, no errors yet.
            return self.render_form(
                unbound_copy(form, programme=self.programme, organisations=self.organisations),
                with_added_row(formset), application=application, sums_from=(form, formset),
                years=year_formset(initial=[{n: f[n].data for n in f.fields} for f in years.forms])
                if years is not None else None,
            )
        valid = form.is_valid() and formset.is_valid()
        if valid and years is not None:
            # The split must add up to the requested amount of this very post (cost plan minus own funds).
            years.requested = (sum((line.amount for line in formset.cost_lines()), ZERO)
                               - (form.cleaned_data.get("own_funds") or ZERO)
                               - (form.cleaned_data.get("third_party_funds") or ZERO))
        if not (valid and (years is None or years.is_valid())):
            return self.render_form(form, formset, application=application, years=years)
        try:
            application = self.save(form, formset, application, years)
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.render_form(form, formset, application=application, years=years)
        edit_url = reverse("portal:application_edit", args=[application.pk])
        if action != "submit":
            messages.success(request, _("Der Entwurf wurde gespeichert."))
            return redirect(edit_url)
        try:
            if split_problem(application):
                raise ValidationError(split_problem(application))
            application = application_submit(user=request.user, application_id=application.pk)
        except ValidationError:
            messages.warning(request, _("Ihre Eingaben sind als Entwurf gespeichert. Eingereicht ist der Antrag "
                                        "noch nicht: Bitte ergänzen Sie die genannten Punkte."))
            return redirect(f"{edit_url}?einreichen=1#error-summary")
        messages.success(request, _("Ihr Antrag wurde eingereicht. Aktenzeichen: %(number)s") % {
            "number": application.file_number})
        return redirect("portal:application_detail", pk=application.pk)


class ApplicationCreateView(ApplicationFormMixin, ApplicantView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.programme = get_object_or_404(Programme, code=kwargs["programme_code"])
            self.all_organisations = list(organisations_of(request.user))
            self.organisations = [
                organisation for organisation in self.all_organisations
                if programme_rules.applicant_type_error(self.programme, organisation.applicant_type) is None
            ]
        return super().dispatch(request, *args, **kwargs)

    def refusal(self):
        """Where to send the user instead of the form, if anywhere."""
        if not self.all_organisations:
            messages.info(self.request, _("Bitte legen Sie zuerst das Profil Ihrer Organisation an."))
            query = urlencode({"next": self.request.path})
            return redirect(f"{reverse('portal:organisation_create')}?{query}")
        error = programme_rules.window_error(self.programme, timezone.localdate())
        if error is None and not self.organisations:
            error = programme_rules.applicant_type_error(self.programme, self.all_organisations[0].applicant_type)
        if error:
            messages.error(self.request, error)
            return redirect("portal:dashboard")
        return None

    def form_organisations(self):
        if len(self.organisations) < 2:
            return self.organisations
        return organisations_of(self.request.user).filter(pk__in=[o.pk for o in self.organisations])

    def get(self, request, programme_code):
        refusal = self.refusal()
        if refusal:
            return refusal
        self.organisations = self.form_organisations()
        return self.render_form(self.make_form(initial=self.initial_for(None)), self.make_rows())

    def post(self, request, programme_code):
        refusal = self.refusal()
        if refusal:
            return refusal
        self.organisations = self.form_organisations()
        return self.handle_post()


class ApplicationEditView(ApplicationFormMixin, ApplicationScopedView):
    def not_editable(self):
        if self.application.state in EDITABLE:
            return None
        messages.info(self.request, _("Der Antrag kann im Status „%(state)s“ nicht mehr bearbeitet werden.") % {
            "state": self.application.get_state_display()})
        return redirect("portal:application_detail", pk=self.application.pk)

    def get(self, request, pk):
        self.programme = self.application.programme
        refusal = self.not_editable()
        if refusal:
            return refusal
        form = self.make_form(initial=self.initial_for(self.application))
        formset = self.make_rows(application=self.application)
        problems = submission_problems(self.application) if "einreichen" in request.GET else []
        return self.render_form(form, formset, application=self.application, problems=problems)

    def post(self, request, pk):
        self.programme = self.application.programme
        refusal = self.not_editable()
        if refusal:
            return refusal
        return self.handle_post(self.application)


class ApplicationDetailView(ApplicationScopedView):
    template_name = "portal/application_detail.html"

    def history(self, application) -> list[dict]:
        member_ids = set(application.organisation.memberships.values_list("user_id", flat=True))
        rows = []
        for event in application.events.select_related("actor"):
            # Staff stay anonymous to applicants: the district acts, not a named clerk.
            if event.actor_id is not None and event.actor_id in member_ids:
                actor = str(event.actor)
            else:
                actor = _("Landratsamt")
            rows.append({"at": event.created_at, "step": step_label(event), "note": event.note, "actor": actor})
        return rows

    def get(self, request, pk):
        application = self.application
        settlement = getattr(application, "settlement", None)
        refund = getattr(application, "refund", None)
        attachments = list(application.attachments.all())
        cost_lines = list(application.cost_lines.all())
        kind_sums = cost_kind_sums(application.programme, cost_lines)
        withdraw_blocked = withdrawal_error(application) if application.state in UNDECIDED else None
        context = {
            "application": application,
            "badge": badge_variant(application),
            "next_step": next_step(application),
            "cost_lines": [(line, eur(line.amount)) for line in cost_lines],
            "show_cost_kinds": bool(kind_sums),
            "cost_kind_sums": [(label, eur(amount)) for label, amount in kind_sums],
            "amounts": {
                "total": eur(application.total_costs), "own": eur(application.own_funds),
                "third": eur(application.third_party_funds), "requested": eur(application.requested_amount),
                "approved": eur(application.approved_amount),
            },
            "history": self.history(application),
            "documents": list(application.documents.all()),
            "attachments": [a for a in attachments if a.kind != AttachmentKind.SETTLEMENT],
            "receipts": [a for a in attachments if a.kind == AttachmentKind.SETTLEMENT],
            "settlement": settlement,
            "settlement_lines": [(line, eur(line.amount)) for line in settlement.cost_lines.all()]
            if settlement else [],
            "settlement_amounts": {"actual": eur(settlement.actual_costs), "income": eur(settlement.income)}
            if settlement else {},
            "can_edit": application.state in EDITABLE,
            # On a meeting's agenda the button would only lead to a refusal: say why instead.
            "withdraw_blocked": withdraw_blocked,
            "can_withdraw": application.state in UNDECIDED and not withdraw_blocked,
            "can_settle": application.state == State.PAID,
            "settlement_returned": application.state == State.PAID and settlement is not None
            and settlement.submitted_at is not None,
            "refund": refund if application.state == State.REFUND_CLAIMED else None,
            "transfer": self.transfer_details(application, refund),
            "can_decline": application.state == State.APPROVED and not application.payouts.exists(),
        }
        if application.programme.is_formula:
            context.update(formula_context(application))
        context.update(cofinancing_detail_context(application))
        return render(request, self.template_name, context)

    @staticmethod
    def transfer_details(application, refund) -> dict | None:
        if refund is None or application.state != State.REFUND_CLAIMED:
            return None
        return {
            "amount": eur(refund.amount),
            "due_on": refund.due_on,
            "recipient": settings.DISTRICT_NAME,
            "iban": IBAN(settings.DISTRICT_IBAN).formatted,
            "bic": settings.DISTRICT_BIC,
            "reference": application.file_number,
        }


class ApplicationWithdrawView(ApplicationScopedView):
    template_name = "portal/application_withdraw.html"

    def refusal(self):
        if self.application.state not in UNDECIDED:
            messages.info(self.request, _("Nach der Entscheidung kann der Antrag nicht mehr zurückgezogen werden."))
        elif withdrawal_error(self.application):
            pass  # on a meeting's agenda: the committee decides first; the detail page says so
        else:
            return None
        return redirect("portal:application_detail", pk=self.application.pk)

    def get(self, request, pk):
        return self.refusal() or render(request, self.template_name,
                                         {"application": self.application, "form": WithdrawForm()})

    def post(self, request, pk):
        refusal = self.refusal()
        if refusal:
            return refusal
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"application": self.application, "form": form})
        try:
            application_withdraw(user=request.user, application_id=self.application.pk, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Sie haben den Antrag zurückgezogen."))
        return redirect("portal:application_detail", pk=self.application.pk)
