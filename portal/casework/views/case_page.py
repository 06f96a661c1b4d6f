"""The case page: the plan with exactly the parts its counselling type requires, and the small
forms that keep it up (goal rows, their achievement, status at a reporting date, consent,
extension, handover, end). Forms posted from here re-render it with their errors.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import render
from django.utils import timezone

from integration_core.cases import access, duration, independence, parts
from integration_core.cases.access import EXTEND_CASE, case_for_read, is_lead
from integration_core.cases.consent import counselling_consent_refusal
from integration_core.cases.services_parts import suggested_status
from integration_core.models import Consent, ReadPurpose

from ..forms.plan import AchievementForm, EndForm, ExtensionForm, GoalForm, HandoverForm, ReportingStatusForm
from .base import CaseworkView, error_entries

TEMPLATE = "casework/case_detail.html"


def competences_of(case):
    try:
        return case.competences
    except ObjectDoesNotExist:
        return None


def closed_reason(case) -> str | None:
    """Why no new entries are possible (the service's own message), or None while the case is open."""
    try:
        duration.ensure_open(case)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def part_b_shown(request, case, goals, *, posted: bool) -> bool:
    """Part B shows where the type requires it; where it is only allowed (simple counselling) once
    goals exist or the case worker asks for it (also when a goal posted from there comes back with errors)."""
    if parts.Part.PART_B in parts.required_parts(case.counselling_type):
        return True
    asked = bool(goals) or "teil_b" in request.GET or posted
    return parts.allows(case.counselling_type, parts.Part.PART_B) and asked


def case_context(request, case, **forms) -> dict:
    user = request.user
    today = timezone.localdate()
    competences = competences_of(case)
    goals = list(case.goals.all())
    posted = forms.get("achievement_form")
    for goal in goals:
        if posted is not None and posted.goal_id == goal.pk:
            goal.form = posted
        else:
            goal.form = AchievementForm(goal_id=goal.pk, achieved=goal.achieved)
    # Prefetched onto the case, so the consent gate below reads them without another query.
    prefetch_related_objects([case], Prefetch("consents", queryset=Consent.objects.prefetch_related(
        "purposes__recipient_provider").select_related("collected_by")))
    consents = list(case.consents.all())
    for consent in consents:
        for purpose in consent.purposes.all():
            purpose.valid_today = purpose.is_valid_on(today)
        consent.open_purposes = [p for p in consent.purposes.all() if p.withdrawn_on is None]
    required = parts.required_parts(case.counselling_type)
    closed = closed_reason(case)
    consent_refusal = None if closed else counselling_consent_refusal(case, on=today)
    lead = is_lead(user, case.provider_id)
    german, work, flat = independence.facts(competences)
    return {
        "case": case,
        "required_parts": [part.label for part in required],
        "show_part_a": parts.Part.PART_A in required,
        "show_part_b": part_b_shown(request, case, goals, posted="goal_form" in forms),
        "part_b_required": parts.Part.PART_B in required,
        "part_b_optional": parts.Part.PART_B not in required and parts.allows(case.counselling_type,
                                                                               parts.Part.PART_B),
        "missing": [(part.label, messages) for part, messages in parts.missing_parts(case).items()],
        "competences": competences,
        "independence": {"reached": independence.independent_living(competences), "german": german,
                         "work": work, "flat": flat, "count": sum((german, work, flat))},
        "goals": goals,
        "statuses": list(case.reporting_statuses.select_related("recorded_by")),
        "consents": consents,
        "handovers": list(case.handovers.select_related("from_provider", "to_provider", "from_case_worker",
                                                        "to_case_worker")),
        "warning": duration.duration_warning(case),
        "permitted_end": duration.permitted_end(case),
        "base_end": duration.base_end(case),
        "closed": closed,
        # Part A and Part B take entries only while open and with a valid consent to counselling.
        "consent_refusal": consent_refusal,
        "plan_writable": not closed and not consent_refusal,
        # The status at reporting dates is recorded after the end too (services_parts.reporting_status_record).
        "can_record_status": not case.anonymised_at and (not closed or bool(case.ended_on)),
        "is_lead": lead,
        "can_extend": lead and user.has_perm(EXTEND_CASE) and not case.extended_at and not case.ended_on
        and not case.anonymised_at,
        "goal_form": forms.get("goal_form") or GoalForm(),
        "status_form": forms.get("status_form") or ReportingStatusForm(initial={
            "reporting_date": today, "status": suggested_status(case)}),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "end_form": forms.get("end_form") or EndForm(),
        "handover_form": forms.get("handover_form")
        or HandoverForm(targets=access.handover_targets(user=user), current=(case.provider_id, case.case_worker_id)),
        "errors": next((error_entries(form) for form in forms.values() if form.errors), []),
    }


def render_case(request, case_id: int, **forms):
    """Open the case for display (logged; 404 outside the user's scope) and render the page."""
    case = case_for_read(user=request.user, case_id=case_id, purpose=ReadPurpose.CASE_VIEW)
    return render(request, TEMPLATE, case_context(request, case, **forms))


class CaseDetailView(CaseworkView):
    def get(self, request, pk):
        return render_case(request, pk)
