"""Case access in the Wagtail admin: an administrator proposes, data protection approves (neither alone).

One page (URL namespace ``fallzugang``): the open proposals and the last decisions; a superuser sees the
proposal form, a user of the «Datenschutz» role the approve/refuse buttons. Everyone else gets 403. The
provider's own lead assigns access in the case work area instead (``portal.casework``). Memberships
themselves are not editable in the admin (``wagtail_hooks_cases``).
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .admin_views import _forbidden
from .cases.assignments import access_proposal_create, access_proposal_decide, may_decide, may_propose
from .models import AccessProposal, Provider, ProviderRole

TEMPLATE = "integration_core/admin/case_access.html"
RECENT = 50


class ProposalForm(forms.Form):
    provider = forms.ModelChoiceField(label=gettext_lazy("Träger"), queryset=Provider.objects.order_by("name"),
                                      empty_label=gettext_lazy("Bitte wählen"))
    email = forms.EmailField(label=gettext_lazy("E-Mail-Adresse der Person"), max_length=254)
    action = forms.ChoiceField(label=gettext_lazy("Vorschlag"), choices=AccessProposal.Action.choices,
                               widget=forms.RadioSelect)
    role = forms.ChoiceField(label=gettext_lazy("Funktion"), choices=ProviderRole.choices, required=False,
                             help_text=gettext_lazy("Nur beim Erteilen: Integrationsmanager:in sieht die eigenen "
                                                    "Fälle, die Fallleitung alle Fälle des Trägers."))
    reason = forms.CharField(label=gettext_lazy("Begründung"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("Der Datenschutz entscheidet anhand dieser Begründung."))


class CaseAccessView(WagtailAdminTemplateMixin, View):
    page_title = gettext_lazy("Fallzugang: Vorschläge")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not (may_propose(request.user) or may_decide(request.user)):
            return _forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            return _forbidden(request, " ".join(str(arg) for arg in exc.args) or None)

    def render_page(self, form=None, status=200):
        proposals = AccessProposal.objects.select_related("provider", "user", "proposed_by", "decided_by")
        context = self.get_context_data(
            form=form if form is not None else (ProposalForm() if may_propose(self.request.user) else None),
            open_proposals=list(proposals.filter(decided_at__isnull=True).order_by("proposed_at", "pk")),
            decided=list(proposals.filter(decided_at__isnull=False).order_by("-decided_at", "-pk")[:RECENT]),
            may_decide=may_decide(self.request.user))
        return TemplateResponse(self.request, TEMPLATE, context, status=status)

    def get(self, request):
        return self.render_page()

    def post(self, request):
        form = ProposalForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        data = form.cleaned_data
        try:
            access_proposal_create(user=request.user, provider_id=data["provider"].pk, email=data["email"],
                                   action=data["action"], role=data["role"], reason=data["reason"])
        except ValidationError as exc:
            for field, errors in (exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]):
                form.add_error(field if field in form.fields else None, errors)
            return self.render_page(form, status=400)
        messages.success(request, _("Der Vorschlag ist gespeichert; er wirkt erst, wenn der Datenschutz ihn "
                                    "genehmigt."))
        return redirect("fallzugang:index")


class DecideView(CaseAccessView):
    http_method_names = ["post"]

    def post(self, request, pk):
        approve = request.POST.get("decision") == "approve"
        try:
            access_proposal_decide(user=request.user, proposal_id=pk, approve=approve)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Genehmigt: Der Zugriff ist geändert und protokolliert.") if approve
                             else _("Abgelehnt: Am Zugriff ändert sich nichts."))
        return redirect("fallzugang:index")


urlpatterns = [
    path("", CaseAccessView.as_view(), name="index"),
    path("<int:pk>/entscheiden/", DecideView.as_view(), name="decide"),
]
