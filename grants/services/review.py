"""Staff decisions: review, change requests, recommendation, approval, rejection."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from programmes import rules as programme_rules
from programmes.choices import DecidingBody

from .. import rules as grant_rules
from ..locks import lock_application, lock_budget
from ..models import Application, Assessment, DocumentKind
from .applications import _eur
from .approval import approval_errors, lock_for_approval
from .transitions import refuse_unless_allowed, run_transition


def _require(text: str, message: str) -> str:
    if not (text or "").strip():
        raise ValidationError(message)
    return text.strip()


def refuse_if_on_agenda(application: Application) -> None:
    """The committee decides what waits on its agenda: a staff approval or rejection would pre-empt it."""
    if application.agenda_items.filter(outcome="").exists():
        raise ValidationError(_("Der Antrag steht auf der Tagesordnung einer Ausschusssitzung; nehmen Sie ihn "
                                "zuerst von der Tagesordnung."))


@transaction.atomic
def application_start_review(*, user, application_id: int) -> Application:
    application = lock_application(application_id)
    run_transition(application, "start_review", user=user)
    return application


@transaction.atomic
def application_request_changes(*, user, application_id: int, message: str) -> Application:
    message = _require(message, _("Bitte beschreiben Sie, was nachgebessert werden soll."))
    application = lock_application(application_id)
    run_transition(application, "request_changes", user=user, note=message, args=(message,))
    return application


@dataclass(frozen=True)
class AssessmentData:
    """The staff assessment that goes with a recommendation onto the approval list."""

    eligibility_checked: bool
    justification: str
    cofinancing_checked: bool = False
    conditions: str = ""


def _assessment_errors(application: Application, data: AssessmentData | None, needs_committee: bool) -> list[str]:
    programme = application.programme
    if data is None:
        return [_("Für eine Beschlussvorlage braucht die Empfehlung eine fachliche Stellungnahme.")] \
            if needs_committee else []
    errors = []
    if not data.eligibility_checked:
        errors.append(_("Bestätigen Sie, dass die Förderfähigkeit geprüft ist."))
    if programme.matching_funds_required and not data.cofinancing_checked:
        errors.append(_("Bestätigen Sie, dass die Kofinanzierung der Kommune geprüft ist."))
    if not data.justification.strip():
        errors.append(_("Begründen Sie die Empfehlung kurz; die Begründung steht in der Beschlussvorlage."))
    return errors


@transaction.atomic
def application_recommend(*, user, application_id: int, amount: Money | None = None, note: str = "",
                          assessment: AssessmentData | None = None, internal_note: str = "") -> Application:
    application = lock_application(application_id)
    refuse_unless_allowed(application, "recommend", user)  # role and state before any amount talk
    if application.programme.is_formula:
        raise ValidationError(_("In einer Formelzuweisung wird kein Betrag empfohlen: Bestätigen Sie die "
                                "Förderfähigkeit; den Betrag ergibt der Verteilungslauf."))
    amount = _eur(amount) if amount is not None else application.requested_amount
    error = programme_rules.amount_error(application.programme, amount)
    if error:
        raise ValidationError(error)
    if amount > application.requested_amount:
        raise ValidationError(_("Es kann nicht mehr empfohlen werden, als beantragt ist."))
    needs_committee = programme_rules.deciding_body(application.programme, amount) == DecidingBody.COMMITTEE
    errors = _assessment_errors(application, assessment, needs_committee)
    cofinancing = grant_rules.cofinancing_error(application, amount)
    errors += [cofinancing] if cofinancing else []
    errors += grant_rules.year_cap_errors(application, amount)
    if errors:
        raise ValidationError(errors)
    if assessment is not None:
        Assessment.objects.update_or_create(application=application, defaults={
            "eligibility_checked": assessment.eligibility_checked,
            "cofinancing_checked": assessment.cofinancing_checked,
            "conditions": assessment.conditions.strip(), "justification": assessment.justification.strip(),
            "assessed_by": user})
    run_transition(application, "recommend", user=user, note=note, internal_note=internal_note, amount=amount,
                   args=(user, amount))
    return application


@transaction.atomic
def application_approve(*, user, application_id: int, note: str = "", internal_note: str = "") -> Application:
    """Approve the recommended amount and commit it against this year's budget.

    The same checks as a committee's resolution (grants.services.approval): bounds, co-financing, the caps per
    period and per municipality and year, the budget — each read under its lock (application → organisation /
    municipality → budget), so two approvals at the same moment cannot together exceed a cap or the budget; the
    database constraint backs the budget up.
    """
    application = lock_application(application_id)
    refuse_unless_allowed(application, "approve", user)
    refuse_if_on_agenda(application)
    if application.programme.is_formula:
        raise ValidationError(_("In einer Formelzuweisung bewilligt der festgesetzte Verteilungslauf, nicht der "
                                "einzelne Antrag."))
    amount = application.recommended_amount or application.requested_amount
    lock_for_approval([application])
    year = timezone.localdate().year
    budget = lock_budget(application.programme_id, year)
    errors = approval_errors(application, amount, budget=budget, year=year)
    if errors:
        raise ValidationError(errors)
    type(budget).objects.filter(pk=budget.pk).update(committed=F("committed") + amount.amount)
    run_transition(application, "approve", user=user, note=note, internal_note=internal_note, amount=amount,
                   args=(user, amount, year))
    _queue_letter(application.pk, DocumentKind.APPROVAL)
    return application


@transaction.atomic
def application_reject(*, user, application_id: int, reasons: str) -> Application:
    reasons = _require(reasons, _("Eine Ablehnung braucht eine Begründung."))
    application = lock_application(application_id)
    refuse_if_on_agenda(application)
    run_transition(application, "reject", user=user, note=reasons, args=(user, reasons))
    _queue_letter(application.pk, DocumentKind.REJECTION)
    return application


def _queue_letter(application_id: int, kind: str) -> None:
    from .. import outbox, tasks

    target = Application.objects.filter(pk=application_id).values_list("file_number", flat=True).first() or ""
    outbox.enqueue(tasks.generate_document, key=f"letter:{application_id}:{kind}", target=target,
                   application_id=application_id, kind=kind)

