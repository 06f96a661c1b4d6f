"""Recording a consent (notice, language, date, purposes) and withdrawing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from integration_core.cases import access
from integration_core.cases.access import case_for_read
from integration_core.cases.consent import consent_record, consent_withdraw
from integration_core.models import ReadPurpose

from ..forms.consent import ConsentForm, WithdrawForm
from .base import CaseworkView, add_service_error, error_entries


def _back(pk: int) -> str:
    return reverse("casework:case_detail", args=[pk]) + "#einwilligung"


class ConsentCreateView(CaseworkView):
    template_name = "casework/consent_form.html"

    def form(self, request, case_provider_id=None, data=None):
        # Handover consent names another provider: the case's own provider needs none.
        providers = [p for p in access.handover_providers(user=request.user) if p.pk != case_provider_id]
        return ConsentForm(data, providers=providers)

    def get(self, request, pk):
        case = case_for_read(user=request.user, case_id=pk, purpose=ReadPurpose.CONSENT_RECORD)
        return render(request, self.template_name, {"case": case, "form": self.form(request, case.provider_id)})

    def post(self, request, pk):
        form = self.form(request, data=request.POST)
        if form.is_valid():
            try:
                consent_record(user=request.user, case_id=pk, purposes=form.purpose_rows(),
                               **{name: form.cleaned_data[name] for name in ("notice_version", "language",
                                                                            "given_on")})
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Die Einwilligung ist erfasst."))
                return redirect(_back(pk))
        case = case_for_read(user=request.user, case_id=pk, purpose=ReadPurpose.CONSENT_RECORD)
        return render(request, self.template_name, {"case": case, "form": form, "errors": error_entries(form)})


class ConsentWithdrawView(CaseworkView):
    template_name = "casework/consent_withdraw.html"

    def load(self, request, pk, consent_id):
        case = case_for_read(user=request.user, case_id=pk, purpose=ReadPurpose.CONSENT_WITHDRAW)
        consent = next((c for c in case.consents.prefetch_related("purposes") if c.pk == consent_id), None)
        if consent is None:
            raise Http404(_("Einwilligung nicht gefunden."))
        return case, consent

    def page(self, request, case, consent, form):
        return render(request, self.template_name, {"case": case, "consent": consent, "form": form,
                                                    "errors": error_entries(form)})

    def get(self, request, pk, consent_id):
        case, consent = self.load(request, pk, consent_id)
        open_purposes = [p for p in consent.purposes.all() if p.withdrawn_on is None]
        return self.page(request, case, consent, WithdrawForm(purposes=open_purposes))

    def post(self, request, pk, consent_id):
        case, consent = self.load(request, pk, consent_id)
        open_purposes = [p for p in consent.purposes.all() if p.withdrawn_on is None]
        form = WithdrawForm(request.POST, purposes=open_purposes)
        if form.is_valid():
            try:
                consent_withdraw(user=request.user, consent_id=consent.pk, withdrawn_on=form.cleaned_data[
                    "withdrawn_on"], purpose_ids=form.chosen_ids())
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Der Widerruf ist erfasst. Ab dem %(date)s entfällt die Verwendung für "
                                            "die widerrufenen Zwecke.") % {
                    "date": form.cleaned_data["withdrawn_on"].strftime("%d.%m.%Y")})
                return redirect(_back(pk))
        return self.page(request, case, consent, form)
