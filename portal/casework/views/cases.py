"""The case list, a new case and the frame data (Rahmendaten) of a case."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integration_core.cases.access import (
    case_for_read,
    case_workers_of,
    cases_for_user,
    log_cases_shown,
    providers_for_user,
)
from integration_core.cases.duration import days_left, duration_warning, permitted_end
from integration_core.cases.services import case_create, case_update
from integration_core.models import ProviderRole, ReadPurpose

from ..forms.cases import CaseCreateForm, CaseSearchForm, FrameForm
from ..listing import apply_filters
from .base import CaseworkView, add_service_error, error_entries, forbidden

PAGE_SIZE = 25


class CaseListView(CaseworkView):
    template_name = "casework/case_list.html"

    def get(self, request):
        form = CaseSearchForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        cases = apply_filters(cases_for_user(user=request.user), filters)
        page = Paginator(cases.order_by("-first_contact_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("seite"))
        for case in page.object_list:
            # Computed from the case's own fields: no query per row. The badge is short; the case page
            # shows the full warning.
            case.permitted_end = permitted_end(case)
            case.badge = None
            if duration_warning(case):
                left = days_left(case)
                case.badge = ("danger", _("Dauer überschritten")) if left < 0 else (
                    "warning", ngettext("endet in %(days)d Tag", "endet in %(days)d Tagen", left) % {"days": left})
        # The read log records which cases this page showed (one INSERT, whatever the page size).
        log_cases_shown(user=request.user, case_ids=[case.pk for case in page.object_list],
                        purpose=ReadPurpose.CASE_SEARCH if filters.get("q") else ReadPurpose.CASE_LIST)
        query = request.GET.copy()
        query.pop("seite", None)
        led = list(providers_for_user(user=request.user, role=ProviderRole.LEAD).order_by("name"))
        return render(request, self.template_name, {
            "form": form, "page": page, "query": query.urlencode(), "is_lead": bool(led), "led_providers": led,
            "filtered": any(filters.values()) if filters else False,
        })


class CaseCreateView(CaseworkView):
    template_name = "casework/case_create.html"

    def setup_form(self, request, data=None):
        providers = list(providers_for_user(user=request.user))
        lead_of = [p.pk for p in providers_for_user(user=request.user, role=ProviderRole.LEAD)]
        workers = {}
        for provider_id in lead_of:
            for worker in case_workers_of(provider_id=provider_id):
                if worker.pk != request.user.pk:
                    workers[worker.pk] = worker
        return CaseCreateForm(data, providers=providers, case_workers=list(workers.values())), providers

    def get(self, request):
        form, providers = self.setup_form(request)
        if not providers:
            return forbidden(request, _("Sie arbeiten für keinen Träger des Integrationsmanagements."))
        return self.page(request, form)

    def page(self, request, form):
        return render(request, self.template_name, {"form": form, "errors": error_entries(form)})

    def post(self, request):
        form, providers = self.setup_form(request, request.POST)
        if not providers:
            return forbidden(request, _("Sie arbeiten für keinen Träger des Integrationsmanagements."))
        if not form.is_valid():
            return self.page(request, form)
        try:
            case = case_create(user=request.user, provider_id=form.provider_id(), data=form.service_data(),
                               case_worker_id=form.case_worker_id())
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.page(request, form)
        messages.success(request, _("Der Fall %(number)s ist angelegt. Füllen Sie jetzt die Teile aus, die zur "
                                    "Art der Beratung gehören.") % {"number": case.number})
        return redirect("casework:case_detail", pk=case.pk)


class FrameEditView(CaseworkView):
    template_name = "casework/frame_form.html"

    def render_form(self, request, pk, form):
        case = case_for_read(user=request.user, case_id=pk, purpose=ReadPurpose.FRAME_EDIT)
        return render(request, self.template_name, {"case": case, "form": form, "errors": error_entries(form)})

    def get(self, request, pk):
        case = case_for_read(user=request.user, case_id=pk, purpose=ReadPurpose.FRAME_EDIT)
        return render(request, self.template_name, {"case": case, "form": FrameForm(instance=case)})

    def post(self, request, pk):
        form = FrameForm(request.POST)
        if not form.is_valid():
            return self.render_form(request, pk, form)
        try:
            case = case_update(user=request.user, case_id=pk, data=form.service_data())
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.render_form(request, pk, form)
        messages.success(request, _("Die Rahmendaten sind gespeichert. Art der Beratung: „%(type)s“ – der Plan "
                                    "zeigt die Teile, die dazu gehören.") % {
            "type": case.get_counselling_type_display()})
        return redirect(reverse("casework:case_detail", args=[case.pk]))
