"""The one-step writes posted from the case page: add a goal, tick a goal, the status at a reporting
date, the extension, the end of counselling, the handover.

Each calls its service; on success back to the case page at the right section, otherwise the
case page again with the form's errors (German messages from the form or the service).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from integration_core.cases import access
from integration_core.cases.services import case_end, case_extend, case_handover
from integration_core.cases.services_parts import goal_add, goal_set_achieved, reporting_status_record

from ..forms.plan import AchievementForm, EndForm, ExtensionForm, GoalForm, HandoverForm, ReportingStatusForm
from .base import CaseworkView, add_service_error
from .case_page import render_case


def _to(pk: int, anchor: str):
    return redirect(reverse("casework:case_detail", args=[pk]) + f"#{anchor}")


class CaseActionView(CaseworkView):
    """POST only. ``form_key`` names the form in the case page's context (re-rendered with errors)."""

    http_method_names = ["post"]
    form_key = ""
    field_map: dict[str, str] = {}

    def make_form(self, request, pk, **kwargs):
        raise NotImplementedError

    def perform(self, request, pk, form, **kwargs):
        """Call the service; return the redirect."""
        raise NotImplementedError

    def post(self, request, pk, **kwargs):
        form = self.make_form(request, pk, **kwargs)
        if form.is_valid():
            try:
                return self.perform(request, pk, form, **kwargs)
            except ValidationError as exc:
                add_service_error(form, exc, self.field_map)
        return render_case(request, pk, **{self.form_key: form})


class GoalAddView(CaseActionView):
    form_key = "goal_form"
    field_map = {"steps": "step_1"}

    def make_form(self, request, pk):
        return GoalForm(request.POST)

    def perform(self, request, pk, form):
        goal = goal_add(user=request.user, case_id=pk, **form.service_kwargs())
        messages.success(request, _("Das Ziel ist hinzugefügt."))
        return _to(pk, f"ziel-{goal.pk}")


class GoalAchievedView(CaseActionView):
    form_key = "achievement_form"

    def make_form(self, request, pk, goal_id):
        return AchievementForm(request.POST, goal_id=goal_id)

    def perform(self, request, pk, form, goal_id):
        goal = goal_set_achieved(user=request.user, goal_id=goal_id, achieved=form.cleaned_data["achieved"])
        messages.success(request, _("Stand des Ziels gespeichert: %(state)s.") % {
            "state": goal.get_achieved_display()})
        return _to(goal.case_id, f"ziel-{goal.pk}")


class ReportingStatusView(CaseActionView):
    form_key = "status_form"

    def make_form(self, request, pk):
        return ReportingStatusForm(request.POST)

    def perform(self, request, pk, form):
        row = reporting_status_record(user=request.user, case_id=pk, **form.cleaned_data)
        messages.success(request, _("Der Stand zum Stichtag %(date)s ist gespeichert.") % {
            "date": row.reporting_date.strftime("%d.%m.%Y")})
        return _to(pk, "stand")


class ExtensionView(CaseActionView):
    form_key = "extension_form"

    def make_form(self, request, pk):
        return ExtensionForm(request.POST)

    def perform(self, request, pk, form):
        case = case_extend(user=request.user, case_id=pk, until=form.cleaned_data["until"],
                           reason=form.cleaned_data["reason"])
        messages.success(request, _("Die Beratung ist bis zum %(date)s verlängert.") % {
            "date": case.extended_until.strftime("%d.%m.%Y")})
        return _to(pk, "dauer")


class EndView(CaseActionView):
    form_key = "end_form"

    def make_form(self, request, pk):
        return EndForm(request.POST)

    def perform(self, request, pk, form):
        case_end(user=request.user, case_id=pk, ended_on=form.cleaned_data["ended_on"],
                 end_reason=form.cleaned_data["end_reason"])
        messages.success(request, _("Die Beratung ist beendet."))
        return _to(pk, "dauer")


class HandoverView(CaseActionView):
    form_key = "handover_form"
    field_map = {"to_provider": "target", "to_case_worker": "target"}

    def make_form(self, request, pk):
        # The choices come from the selector; the service checks the choice again (and the consent).
        return HandoverForm(request.POST, targets=access.handover_targets(user=request.user))

    def perform(self, request, pk, form):
        provider_id, user_id = form.target_ids()
        handover = case_handover(user=request.user, case_id=pk, to_case_worker_id=user_id,
                                 to_provider_id=provider_id, note=form.cleaned_data["note"])
        messages.success(request, _("Der Fall ist an %(person)s (%(provider)s) übergeben.") % {
            "person": handover.to_case_worker.get_full_name() or handover.to_case_worker.email,
            "provider": handover.to_provider.name})
        # After a handover the case may be outside the user's scope: back to the list.
        return redirect("casework:case_list")
