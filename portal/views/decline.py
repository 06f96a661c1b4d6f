"""Verzicht: the applicant gives up an approved grant before it is paid (grants.services.application_decline)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from grants.services.applications import application_decline
from grants.states import State
from portal.forms.applications import DeclineForm

from .base import ApplicationScopedView


class ApplicationDeclineView(ApplicationScopedView):
    """A confirmation page with the reason, like the withdrawal; members only (others get 404 from the lookup)."""

    template_name = "portal/application_decline.html"

    def refusal(self):
        if self.application.state == State.APPROVED and not self.application.payouts.exists():
            return None
        messages.info(self.request, _("Ein Verzicht ist nur für eine bewilligte, noch nicht ausgezahlte Zuwendung "
                                      "möglich."))
        return redirect("portal:application_detail", pk=self.application.pk)

    def page(self, form):
        return render(self.request, self.template_name, {"application": self.application, "form": form})

    def get(self, request, pk):
        return self.refusal() or self.page(DeclineForm())

    def post(self, request, pk):
        refusal = self.refusal()
        if refusal:
            return refusal
        form = DeclineForm(request.POST)
        if not form.is_valid():
            return self.page(form)
        try:
            application_decline(user=request.user, application_id=self.application.pk,
                                reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.page(form)
        messages.success(request, _("Sie haben auf die Zuwendung verzichtet. Das Landratsamt ist informiert."))
        return redirect("portal:application_detail", pk=self.application.pk)
