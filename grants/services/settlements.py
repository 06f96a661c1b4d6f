"""Settlement (Verwendungsnachweis), refund claims and their receipt."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from programmes import rules as programme_rules
from programmes.models import ProgrammeBudget

from .. import permissions as perms
from ..locks import lock_application
from ..models import Application, DocumentKind, Refund, Settlement, SettlementCostLine
from ..states import State
from .applications import CostLineData, _eur
from .interest import refund_interest
from .review import _queue_letter, _require
from .transitions import refuse_unless_allowed, run_transition


def _early_end_errors(application: Application, ended_on: date, today: date) -> list[str]:
    """A declared early end lies between the project's start and its planned end, and not in the future."""
    errors = []
    if application.planned_start and ended_on < application.planned_start:
        errors.append(_("Das Vorhaben kann nicht vor seinem Beginn am %(start)s beendet worden sein.") % {
            "start": _german_date(application.planned_start)})
    if ended_on > today:
        errors.append(_("Das Ende des Vorhabens kann nicht in der Zukunft liegen."))
    if application.planned_end and ended_on > application.planned_end:
        errors.append(_("Ein vorzeitiges Ende liegt spätestens am geplanten Ende (%(end)s).") % {
            "end": _german_date(application.planned_end)})
    return errors


def _german_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


@transaction.atomic
def settlement_save(
    *, user, application_id: int, report: str, participants_reached: int, income, cost_lines: list[CostLineData],
    submit: bool = False, ended_early_on: date | None = None,
) -> Settlement:
    """Save the settlement as the applicant edits it; with ``submit`` hand it in.

    It is handed in once the project has ended: from its planned end (a Berlin date) on, or earlier only with
    ``ended_early_on``, the day the applicant declares it ended early.
    """
    application = lock_application(application_id)
    if not perms.is_member(application, user):
        raise PermissionDenied(_("Sie gehören dieser Organisation nicht an."))
    if application.state != State.PAID:
        raise ValidationError(_("Ein Verwendungsnachweis ist in diesem Status nicht möglich."))
    today = timezone.localdate()
    if ended_early_on is not None:
        errors = _early_end_errors(application, ended_early_on, today)
        if errors:
            raise ValidationError({"ended_early_on": errors})
    report = report or ""
    settlement, _created = Settlement.objects.get_or_create(
        application=application,
        defaults={"report": report, "participants_reached": participants_reached or 0},
    )
    settlement.report = report
    settlement.participants_reached = participants_reached or 0
    settlement.income = _eur(income)
    settlement.ended_early_on = ended_early_on
    settlement.cost_lines.all().delete()
    SettlementCostLine.objects.bulk_create(
        SettlementCostLine(settlement=settlement, position=i, description=line.description, amount=_eur(line.amount))
        for i, line in enumerate(cost_lines)
    )
    settlement.actual_costs = sum((_eur(line.amount) for line in cost_lines), Money(0, "EUR"))
    if submit:
        missing = []
        if ended_early_on is None and application.planned_end and today < application.planned_end:
            missing.append(_(
                "Das Vorhaben endet laut Antrag am %(end)s. Den Verwendungsnachweis können Sie ab diesem Tag "
                "einreichen. Wurde das Vorhaben früher beendet, geben Sie das mit dem Tag des Endes an.") % {
                "end": _german_date(application.planned_end)})
        if not report.strip():
            missing.append(_("Beschreiben Sie im Sachbericht, was umgesetzt und erreicht wurde."))
        if not cost_lines:
            missing.append(_("Geben Sie die tatsächlichen Ausgaben mit mindestens einer Position an."))
        if missing:
            raise ValidationError(missing)
        settlement.submitted_at = timezone.now()
    # A draft may be saved with the report still empty; handing it in needs one (checked above).
    settlement.full_clean(exclude=None if submit else ["report"])
    settlement.save()
    if submit:
        run_transition(application, "submit_settlement", user=user, amount=settlement.actual_costs)
    return settlement


@transaction.atomic
def settlement_request_changes(*, user, application_id: int, message: str) -> Application:
    message = _require(message, _("Bitte beschreiben Sie, was am Verwendungsnachweis fehlt."))
    application = lock_application(application_id)
    run_transition(application, "request_settlement_changes", user=user, note=message, args=(message,))
    return application


def _refund_due_on(application: Application) -> date:
    return timezone.localdate() + timedelta(days=application.programme.refund_due_days)


@transaction.atomic
def settlement_accept(
    *, user, application_id: int, eligible_costs: Money, note: str = "", internal_note: str = "", reason: str = "",
) -> Application:
    """Check the settlement: close it, or claim the unspent part back (fixed-amount rule).

    ``note`` goes to the applicant (history, e-mail), ``internal_note`` stays with staff, ``reason`` is printed as
    the "Begründung" of the refund notice.
    """
    application = lock_application(application_id)
    # Only a handed-in settlement can be accepted: claim_refund alone would also start from "paid".
    refuse_unless_allowed(application, "accept_settlement", user)
    eligible_costs = _eur(eligible_costs)
    if eligible_costs.amount < 0:
        raise ValidationError(_("Die anerkannten Ausgaben dürfen nicht negativ sein."))
    settlement = application.settlement
    refund = programme_rules.refund_for_settlement(
        application.terms, granted=application.granted, eligible_costs=eligible_costs,
        total_planned=application.total_costs,
    )
    action = "claim_refund" if refund.amount > 0 else "accept_settlement"
    run_transition(application, action, user=user, note=note, internal_note=internal_note,
                   amount=refund if refund.amount > 0 else eligible_costs)
    settlement.eligible_costs = eligible_costs
    settlement.checked_by = user
    settlement.checked_at = timezone.now()
    settlement.save(update_fields=["eligible_costs", "eligible_costs_currency", "checked_by", "checked_at"])
    if refund.amount > 0:
        Refund.objects.create(
            application=application, reason=Refund.Reason.UNSPENT, amount=refund, due_on=_refund_due_on(application),
            claimed_by=user, explanation=reason.strip(),
        )
        _queue_letter(application.pk, DocumentKind.REFUND_NOTICE)
    return application


@transaction.atomic
def refund_claim_full(*, user, application_id: int, reason: str) -> Application:
    """Reclaim the whole grant because its purpose was not achieved."""
    reason = _require(reason, _("Eine vollständige Rückforderung braucht eine Begründung."))
    application = lock_application(application_id)
    amount = application.granted
    run_transition(application, "claim_refund", user=user, note=reason, amount=amount)
    Refund.objects.create(
        application=application, reason=Refund.Reason.PURPOSE_FAILED, explanation=reason, amount=amount,
        due_on=_refund_due_on(application), claimed_by=user,
    )
    _queue_letter(application.pk, DocumentKind.REFUND_NOTICE)
    return application


@transaction.atomic
def refund_record_received(*, user, application_id: int, received_on: date | None = None) -> Application:
    application = lock_application(application_id)
    refuse_unless_allowed(application, "record_refund_received", user)  # before touching the refund row
    refund = application.refund
    received_on = received_on or timezone.localdate()
    refund.interest = refund_interest(refund, received_on) if refund.interest_from else None
    note = ""
    if refund.interest:
        note = _("Zinsen nach § 49a Abs. 3 VwVfG: %(interest)s") % {
            "interest": programme_rules.format_eur(refund.interest)}
    run_transition(application, "record_refund_received", user=user, amount=refund.amount, note=note)
    refund.received_on = received_on
    refund.received_by = user
    refund.save(update_fields=["received_on", "received_by", "interest", "interest_currency"])
    ProgrammeBudget.objects.filter(programme_id=application.programme_id, year=application.budget_year).update(
        refunded=F("refunded") + refund.amount.amount
    )
    return application

