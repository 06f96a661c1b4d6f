"""The settlement (Verwendungsnachweis) after the grant has been paid."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from djmoney.money import Money

from grants.models import AttachmentKind
from grants.services.settlements import settlement_save
from grants.states import State
from portal.forms.applications import lines_initial, with_added_row
from portal.forms.kern import unbound_copy
from portal.forms.settlements import SettlementForm, settlement_cost_formset, settlement_initial

from .base import ApplicationScopedView
from .display import eur


class SettlementView(ApplicationScopedView):
    template_name = "portal/settlement_form.html"

    def refusal(self):
        if self.application.state == State.PAID:
            return None
        messages.info(self.request, _("Ein Verwendungsnachweis kann im Status „%(state)s“ nicht bearbeitet werden.")
                      % {"state": self.application.get_state_display()})
        return redirect("portal:application_detail", pk=self.application.pk)

    def render_page(self, form, formset, problems=(), posted_formset=None):
        application = self.application
        actual = Decimal("0.00")
        posted_formset = posted_formset or formset
        if posted_formset.is_bound and posted_formset.is_valid():
            actual = sum((line.amount for line in posted_formset.cost_lines()), actual)
        elif getattr(application, "settlement", None) is not None:
            actual = application.settlement.actual_costs.amount
        return render(self.request, self.template_name, {
            "application": application,
            "form": form,
            "formset": formset,
            "problems": problems,
            "granted": eur(application.granted),
            "actual": eur(Money(actual, "EUR")),
            "planned_lines": [(line, eur(line.amount)) for line in application.cost_lines.all()],
            "receipts": list(application.attachments.filter(kind=AttachmentKind.SETTLEMENT)),
        })

    def get(self, request, pk):
        refusal = self.refusal()
        if refusal:
            return refusal
        settlement = getattr(self.application, "settlement", None)
        if settlement is not None:
            initial = lines_initial(settlement.cost_lines.all())
        else:
            # Start from the cost plan's positions; the actual amounts are the applicant's to enter.
            initial = lines_initial(self.application.cost_lines.all(), with_amounts=False)
        form = SettlementForm(initial=settlement_initial(settlement))
        return self.render_page(form, settlement_cost_formset(initial=initial))

    def post(self, request, pk):
        refusal = self.refusal()
        if refusal:
            return refusal
        action = request.POST.get("action", "save")
        form = SettlementForm(request.POST)
        formset = settlement_cost_formset(request.POST)
        if action == "add_line":
            return self.render_page(unbound_copy(form), with_added_row(formset), posted_formset=formset)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_page(form, formset)
        data = form.cleaned_data
        try:
            settlement_save(
                user=request.user, application_id=self.application.pk, report=data["report"],
                participants_reached=data["participants_reached"], income=data.get("income") or Decimal("0.00"),
                cost_lines=formset.cost_lines(), submit=action == "submit", ended_early_on=data["ended_early_on"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                return self.render_page(form, formset)
            return self.render_page(form, formset, problems=exc.messages)
        if action == "submit":
            messages.success(request, _("Ihr Verwendungsnachweis wurde eingereicht."))
            return redirect("portal:application_detail", pk=self.application.pk)
        messages.success(request, _("Der Verwendungsnachweis wurde als Entwurf gespeichert."))
        return redirect("portal:settlement", pk=self.application.pk)
