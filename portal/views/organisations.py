"""The organisation profile: create, show, edit, add members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.forms.organisations import MemberAddForm, OrganisationForm
from portal.organisations.selectors import organisation_get
from portal.organisations.services import membership_add, organisation_create, organisation_update

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
        return render(request, self.template_name, {"organisation": self.organisation, "members": members})


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


class MemberAddView(OrganisationScopedView):
    template_name = "portal/member_add.html"

    def render_page(self, form):
        return render(self.request, self.template_name, {"form": form, "organisation": self.organisation})

    def get(self, request, pk):
        return self.render_page(MemberAddForm())

    def post(self, request, pk):
        form = MemberAddForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        try:
            membership = membership_add(
                user=request.user, organisation_id=self.organisation.pk, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.render_page(form)
        messages.success(request, _("%(person)s gehört jetzt zu „%(name)s“.") % {
            "person": membership.user.email, "name": self.organisation.name})
        return redirect("portal:organisation_detail", pk=self.organisation.pk)
