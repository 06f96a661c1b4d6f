"""The organisation profile: create, show, edit; members join by invitation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.forms.organisations import InvitationForm, OrganisationForm
from portal.organisations.invitations import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_refusal,
    invitation_revoke,
)
from portal.organisations.models import Invitation
from portal.organisations.selectors import organisation_get, organisations_of
from portal.organisations.services import organisation_create, organisation_update

from .base import ApplicantView, ScopedView, add_validation_error, safe_next


class OrganisationScopedView(ScopedView):
    """``self.organisation``: only for its members, else 404 on every method."""

    def load(self, request, pk: int) -> None:
        self.organisation = organisation_get(request.user, pk)


class OrganisationCreateView(ApplicantView):
    template_name = "portal/organisation_form.html"

    def render_page(self, form):
        return render(self.request, self.template_name, {
            "form": form, "organisation": None, "next": safe_next(self.request, ""),
        })

    def get(self, request):
        return self.render_page(OrganisationForm())

    def post(self, request):
        form = OrganisationForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        try:
            organisation = organisation_create(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.render_page(form)
        messages.success(request, _("Das Profil von „%(name)s“ ist angelegt.") % {"name": organisation.name})
        return redirect(safe_next(request, reverse("portal:dashboard")))


class OrganisationDetailView(OrganisationScopedView):
    template_name = "portal/organisation_detail.html"

    def get(self, request, pk):
        members = self.organisation.memberships.select_related("user").order_by("joined_at")
        invitations = self.organisation.invitations.open().select_related("invited_by").order_by("created_at", "pk")
        return render(request, self.template_name, {
            "organisation": self.organisation, "members": members, "invitations": invitations,
            "now": timezone.now()})


class OrganisationEditView(OrganisationScopedView):
    template_name = "portal/organisation_form.html"

    def render_page(self, form):
        return render(self.request, self.template_name, {"form": form, "organisation": self.organisation})

    def get(self, request, pk):
        return self.render_page(OrganisationForm(instance=self.organisation))

    def post(self, request, pk):
        form = OrganisationForm(request.POST, instance=self.organisation)
        if not form.is_valid():
            return self.render_page(form)
        try:
            organisation = organisation_update(user=request.user, organisation_id=self.organisation.pk,
                                               data=form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.render_page(form)
        messages.success(request, _("Das Profil wurde gespeichert."))
        if organisation.has_pending_bank_details:
            messages.info(request, _("Die neue Bankverbindung gilt für Auszahlungen erst, wenn die Verwaltung sie "
                                     "bestätigt hat. Alle Mitglieder erhalten dazu eine E-Mail."))
        return redirect("portal:organisation_detail", pk=self.organisation.pk)


class InvitationCreateView(OrganisationScopedView):
    """Invite a person by e-mail: the same answer whether or not anyone is registered under the address."""

    template_name = "portal/member_invite.html"

    def render_page(self, form):
        return render(self.request, self.template_name, {"form": form, "organisation": self.organisation})

    def get(self, request, pk):
        return self.render_page(InvitationForm())

    def post(self, request, pk):
        form = InvitationForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        try:
            invitation = invitation_create(
                user=request.user, organisation_id=self.organisation.pk, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.render_page(form)
        messages.success(request, _("Die Einladung an %(email)s ist verschickt. Die Person wird Mitglied, sobald sie "
                                    "die Einladung annimmt.") % {"email": invitation.email})
        return redirect("portal:organisation_detail", pk=self.organisation.pk)


class InvitationRevokeView(ScopedView):
    """Withdraw an open invitation of one's own organisation by POST (another's is not found)."""

    def load(self, request, pk: int) -> None:
        self.invitation = get_object_or_404(
            Invitation.objects.filter(organisation__in=organisations_of(request.user)), pk=pk)

    def get(self, request, pk):
        return redirect("portal:organisation_detail", pk=self.invitation.organisation_id)

    def post(self, request, pk):
        try:
            invitation_revoke(user=request.user, organisation_id=self.invitation.organisation_id, invitation_id=pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Die Einladung an %(email)s ist zurückgezogen.") % {
                "email": self.invitation.email})
        return redirect("portal:organisation_detail", pk=self.invitation.organisation_id)


class InvitationAcceptView(ApplicantView):
    """The link from the e-mail: shows what joining means (GET), joins on confirmation (POST)."""

    template_name = "portal/invitation_accept.html"

    def render_page(self, invitation, refusal: str | None):
        context = {"invitation": invitation if refusal is None else None, "refusal": refusal}
        return render(self.request, self.template_name, context, status=200 if refusal is None else 403)

    def get(self, request, token):
        invitation = invitation_for_token(token)
        return self.render_page(invitation, invitation_refusal(invitation, request.user))

    def post(self, request, token):
        try:
            membership = invitation_accept(user=request.user, token=token)
        except ValidationError as exc:
            return self.render_page(None, " ".join(exc.messages))
        messages.success(request, _("Sie gehören jetzt zu „%(name)s“.") % {"name": membership.organisation.name})
        return redirect("portal:organisation_detail", pk=membership.organisation_id)
