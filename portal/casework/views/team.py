"""The provider's lead decides who reads the provider's cases: the team page (list, add, remove).

Only an active lead (Fallleitung) of the provider reaches these pages (404 for anyone else, superusers
included); the writes go through ``integration_core.cases.assignments``, which checks again and logs each
grant and removal in the case read log.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from integration_core.cases.access import is_lead
from integration_core.cases.assignments import provider_member_assign, provider_member_remove
from integration_core.models import Provider, ProviderMembership

from ..forms.team import TeamMemberForm
from .base import CaseworkView, add_service_error, error_entries


def _provider_led_by(user, pk) -> Provider:
    provider = Provider.objects.filter(pk=pk).first()
    if provider is None or not is_lead(user, provider.pk):
        raise Http404(_("Träger nicht gefunden."))
    return provider


class TeamView(CaseworkView):
    template_name = "casework/team.html"

    def render_page(self, provider, form, status=200):
        memberships = (ProviderMembership.objects.filter(provider=provider).select_related("user")
                       .order_by("-is_active", "user__last_name", "user__email"))
        return render(self.request, self.template_name, {
            "provider": provider, "form": form, "memberships": memberships,
            "errors": error_entries(form) if form.is_bound else []}, status=status)

    def get(self, request, pk):
        return self.render_page(_provider_led_by(request.user, pk), TeamMemberForm())

    def post(self, request, pk):
        provider = _provider_led_by(request.user, pk)
        form = TeamMemberForm(request.POST)
        if not form.is_valid():
            return self.render_page(provider, form, status=400)
        try:
            membership = provider_member_assign(user=request.user, provider_id=provider.pk,
                                                email=form.cleaned_data["email"], role=form.cleaned_data["role"])
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.render_page(provider, form, status=400)
        messages.success(request, _("%(person)s hat jetzt Zugriff als %(role)s.") % {
            "person": membership.user.email, "role": membership.get_role_display()})
        return redirect("casework:team", pk=provider.pk)


class TeamRemoveView(CaseworkView):
    http_method_names = ["post"]

    def post(self, request, pk):
        membership = ProviderMembership.objects.select_related("user").filter(pk=pk).first()
        if membership is None or not is_lead(request.user, membership.provider_id):
            raise Http404(_("Nicht gefunden."))
        try:
            provider_member_remove(user=request.user, membership_id=membership.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(person)s hat keinen Zugriff mehr auf die Fälle.") % {
                "person": membership.user.email})
        return redirect("casework:team", pk=membership.provider_id)
