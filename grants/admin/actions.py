"""The staff actions on an application: one entry per state-machine transition and kind of programme.

Each entry names the transition, the form it needs and the service it calls. Which
entries a user sees is decided by the state machine (state + permission), never here;
an entry only says for which programmes it is meant: a formula programme (e.g. the
Soforthilfe) confirms eligibility instead of recommending an amount, and its approval
is issued by the allocation run, not by a button.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from programmes.models import ProgrammeBudget
from programmes.rules import format_eur

from .. import permissions as perms
from .. import rules as grant_rules
from ..services import allocations, applications, interest, review, settlements
from ..states import State
from . import forms as action_forms

ALL, FORMULA, INDIVIDUAL = "all", "formula", "individual"


@dataclass(frozen=True)
class StaffAction:
    name: str  # the URL name; also the django-fsm transition unless ``transition`` names another
    slug: str  # the URL path segment
    label: str
    form_class: type[forms.Form]
    run: Callable  # (user, application, cleaned_data) -> Application
    success: str
    intro: str | Callable = ""  # or (application) -> str, e.g. the settlement rule of the programme's financing
    direct: bool = False  # no input: posted straight from the application page
    danger: bool = False
    initial: Callable = field(default=lambda application: {})
    transition: str = ""
    programmes: str = ALL  # ALL, FORMULA (programme.is_formula) or INDIVIDUAL
    # A fact the service refuses on besides the state machine, so no button is shown that can only fail.
    possible: Callable = field(default=lambda application: True)
    # For a step that is no transition (e.g. setting interest): (application, user) -> bool replaces the
    # state machine's offer.
    allowed: Callable | None = None
    # (application, cleaned_data or None) -> what the step would compute, shown before it is taken.
    preview: Callable | None = None
    # (application) -> the sentence staff confirm before the step commits money (the form asks for the tick).
    confirmation: Callable | None = None

    @property
    def transition_name(self) -> str:
        return self.transition or self.name

    def intro_for(self, application) -> str:
        return self.intro(application) if callable(self.intro) else self.intro

    def fits(self, programme) -> bool:
        return self.programmes == ALL or (self.programmes == FORMULA) == programme.is_formula


def _eur(value) -> Money:
    return Money(value, "EUR")


ACTIONS: dict[str, StaffAction] = {
    action.name: action
    for action in [
        StaffAction(
            "start_review", "pruefung-beginnen", _("Prüfung beginnen"), action_forms.ConfirmForm,
            lambda user, app, data: review.application_start_review(user=user, application_id=app.pk),
            _("Die Prüfung wurde begonnen."), direct=True,
        ),
        StaffAction(
            "request_changes", "nachbesserung-anfordern", _("Nachbesserung anfordern"), action_forms.MessageForm,
            lambda user, app, data: review.application_request_changes(
                user=user, application_id=app.pk, message=data["message"]),
            _("Die Nachbesserung wurde angefordert; die Antragstellerin wird benachrichtigt."),
            intro=_("Der Antrag geht zur Überarbeitung an die Antragstellerin zurück."),
        ),
        StaffAction(
            "recommend", "empfehlen", _("Zur Bewilligung empfehlen"), action_forms.RecommendForm,
            lambda user, app, data: review.application_recommend(
                user=user, application_id=app.pk, amount=_eur(data["amount"]), note=data["message"],
                internal_note=data["internal_note"], assessment=data["assessment"]),
            _("Der Antrag wurde zur Bewilligung empfohlen."),
            intro=_("Vier-Augen-Prinzip: Wer empfiehlt, kann denselben Antrag nicht bewilligen. Die fachliche "
                    "Stellungnahme steht in der Beschlussvorlage, wenn der Ausschuss entscheidet."),
            initial=lambda app: _recommend_initial(app),
            programmes=INDIVIDUAL,
        ),
        StaffAction(
            "confirm_eligibility", "foerderfaehigkeit-bestaetigen", _("Förderfähigkeit bestätigen"),
            action_forms.ConfirmEligibilityForm,
            lambda user, app, data: allocations.application_confirm_eligibility(
                user=user, application_id=app.pk, note=data["message"], internal_note=data["internal_note"]),
            _("Die Förderfähigkeit wurde bestätigt. Der Antrag nimmt am nächsten Verteilungslauf teil."),
            intro=_("Prüfen Sie die angegebenen Stellen und die Einwohnerzahl. Den Betrag bestimmt der "
                    "Verteilungslauf; bewilligt wird mit den Bescheiden des Laufs."),
            transition="recommend", programmes=FORMULA,
        ),
        StaffAction(
            "approve", "bewilligen", _("Bewilligen"), action_forms.ApproveForm,
            lambda user, app, data: review.application_approve(
                user=user, application_id=app.pk, note=data["message"], internal_note=data["internal_note"]),
            _("Der Antrag wurde bewilligt. Der Zuwendungsbescheid wird erstellt."),
            intro=_("Der empfohlene Betrag wird im Haushalt des laufenden Jahres gebunden und der "
                    "Zuwendungsbescheid erstellt."),
            # Commits money: a page that states amount and budget left and asks for confirmation, not one click.
            confirmation=lambda app: _approval_confirmation(app), programmes=INDIVIDUAL,
        ),
        StaffAction(
            "reject", "ablehnen", _("Ablehnen"), action_forms.RejectForm,
            lambda user, app, data: review.application_reject(
                user=user, application_id=app.pk, reasons=data["reasons"]),
            _("Der Antrag wurde abgelehnt. Der Ablehnungsbescheid wird erstellt."),
            danger=True,
            # On an open committee agenda the committee decides; take it off the agenda first.
            possible=lambda app: not _on_open_agenda(app),
        ),
        StaffAction(
            "decline", "verzicht-erfassen", _("Verzicht erfassen"), action_forms.DeclineForm,
            lambda user, app, data: applications.application_decline(
                user=user, application_id=app.pk, reason=data["reason"]),
            _("Der Verzicht wurde erfasst. Die gebundenen Mittel sind im Haushalt wieder frei."),
            intro=_("Erfassen Sie eine Verzichtserklärung der Zuwendungsempfängerin, die Sie z. B. per Brief "
                    "erhalten haben. Der Antrag wird beendet; die gebundenen Mittel werden wieder frei und können "
                    "in einer Formelzuweisung neu verteilt werden."),
            danger=True,
            # Once in a payout batch, finance must take it out first (the service says so too).
            possible=lambda app: not app.payouts.exists(),
        ),
        StaffAction(
            "request_settlement_changes", "nachweis-nachfordern", _("Verwendungsnachweis nachfordern"),
            action_forms.SettlementMessageForm,
            lambda user, app, data: settlements.settlement_request_changes(
                user=user, application_id=app.pk, message=data["message"]),
            _("Der Verwendungsnachweis wurde zur Ergänzung zurückgegeben."),
        ),
        StaffAction(
            "accept_settlement", "nachweis-pruefen", _("Verwendungsnachweis abschließend prüfen"),
            action_forms.AcceptSettlementForm,
            lambda user, app, data: settlements.settlement_accept(
                user=user, application_id=app.pk, eligible_costs=_eur(data["eligible_costs"]), note=data["message"],
                internal_note=data["internal_note"], reason=data["reason"]),
            _("Der Verwendungsnachweis wurde geprüft."),
            intro=lambda app: grant_rules.settlement_rule(app.programme),
            initial=lambda app: _settlement_initial(app),
            preview=lambda app, data: _settlement_preview(app, data),
        ),
        StaffAction(
            "claim_refund", "vollstaendig-zurueckfordern", _("Vollständig zurückfordern"), action_forms.FullRefundForm,
            lambda user, app, data: settlements.refund_claim_full(
                user=user, application_id=app.pk, reason=data["reason"]),
            _("Die vollständige Rückforderung wurde festgesetzt. Der Rückforderungsbescheid wird erstellt."),
            intro=_("Der gesamte ausgezahlte Betrag wird zurückgefordert."),
            danger=True,
        ),
        StaffAction(
            "record_refund_received", "zahlungseingang-buchen", _("Zahlungseingang der Rückforderung buchen"),
            action_forms.RefundReceivedForm,
            lambda user, app, data: settlements.refund_record_received(
                user=user, application_id=app.pk, received_on=data["received_on"]),
            _("Der Zahlungseingang wurde gebucht; der Antrag ist abgeschlossen."),
            initial=lambda app: {"received_on": timezone.localdate()},
        ),
        StaffAction(
            "set_interest", "verzinsung-festlegen", _("Verzinsung festlegen"), action_forms.InterestForm,
            lambda user, app, data: interest.refund_set_interest(
                user=user, application_id=app.pk, interest_from=None if data["waived"] else data["interest_from"],
                waived=data["waived"], waiver_reason=data["waiver_reason"]),
            _("Die Verzinsung der Rückforderung ist festgelegt."),
            intro=_("Eine Rückforderung ist nach § 49a Abs. 3 VwVfG mit 5 Prozentpunkten über dem Basiszinssatz zu "
                    "verzinsen. Die Zinsen werden beim Zahlungseingang bis zum Vortag berechnet."),
            initial=lambda app: _interest_initial(app),
            allowed=lambda app, user: app.state == State.REFUND_CLAIMED and perms.can_check_settlement(app, user),
        ),
    ]
}


# German names of every event the history can hold (transitions and money movements).
EVENT_LABELS = {
    "submit": _("Eingereicht"),
    "resubmit": _("Erneut eingereicht"),
    "withdraw": _("Zurückgezogen"),
    "start_review": _("Prüfung begonnen"),
    "request_changes": _("Nachbesserung angefordert"),
    "recommend": _("Zur Bewilligung empfohlen"),
    "approve": _("Bewilligt"),
    "reject": _("Abgelehnt"),
    "decline": _("Verzicht erklärt"),
    "increase": _("Zuwendung erhöht (Änderungsbescheid)"),
    "pay_increase": _("Erhöhung ausgezahlt"),
    "record_payout": _("Ausgezahlt"),
    "submit_settlement": _("Verwendungsnachweis eingereicht"),
    "request_settlement_changes": _("Verwendungsnachweis nachgefordert"),
    "accept_settlement": _("Verwendungsnachweis anerkannt"),
    "claim_refund": _("Rückforderung festgesetzt"),
    "record_refund_received": _("Rückzahlung eingegangen"),
    "approve_by_committee": _("Bewilligt (Beschluss des Ausschusses)"),
    "reject_by_committee": _("Abgelehnt (Beschluss des Ausschusses)"),
    "set_interest": _("Verzinsung festgelegt"),
}


def _recommend_initial(application) -> dict:
    initial = {"amount": application.requested_amount.amount}
    assessment = getattr(application, "assessment", None)
    if assessment is not None:  # recommended before (e.g. again after changes): start from the last assessment
        initial.update(eligibility_checked=assessment.eligibility_checked,
                       cofinancing_checked=assessment.cofinancing_checked, conditions=assessment.conditions,
                       justification=assessment.justification)
    return initial


def _interest_initial(application) -> dict:
    refund = getattr(application, "refund", None)
    if refund is None:
        return {}
    return {"interest_from": refund.interest_from, "waived": refund.interest_waived,
            "waiver_reason": refund.interest_waiver_reason}


def _approval_confirmation(application) -> str:
    """What approving commits: the amount the service will take and the budget of this year left after it."""
    amount = application.recommended_amount or application.requested_amount
    year = timezone.localdate().year  # the year application_approve commits to
    budget = ProgrammeBudget.objects.filter(programme=application.programme, year=year).first()
    if budget is None:
        return _("Sie bewilligen %(amount)s; für %(programme)s ist für %(year)s kein Budget eingetragen, die "
                 "Bewilligung wird daher abgelehnt.") % {
            "amount": format_eur(amount), "programme": application.programme, "year": year}
    return _("Sie bewilligen %(amount)s aus dem Budget %(budget)s; danach verbleiben %(remaining)s.") % {
        "amount": format_eur(amount), "budget": budget, "remaining": format_eur(budget.remaining - amount)}


def _on_open_agenda(application) -> bool:
    return application.state == State.RECOMMENDED and application.agenda_items.filter(outcome="").exists()


def _settlement_initial(application) -> dict:
    settlement = getattr(application, "settlement", None)
    return {"eligible_costs": settlement.actual_costs.amount} if settlement else {}


def _settlement_preview(application, data: dict | None):
    """The recomputation for the entered eligible costs, else for the actual costs of the settlement."""
    amount = (data or {}).get("eligible_costs", _settlement_initial(application).get("eligible_costs"))
    return grant_rules.settlement_preview(application, _eur(amount)) if amount is not None else None


# In a formula programme the "recommend" transition confirms eligibility, without an amount.
FORMULA_EVENT_LABELS = {**EVENT_LABELS, "recommend": _("Förderfähigkeit bestätigt")}


def event_labels(programme) -> dict:
    return FORMULA_EVENT_LABELS if programme.is_formula else EVENT_LABELS


def available_actions(application, user) -> list[StaffAction]:
    """The admin actions this user may take on this application now, in workflow order."""
    names = {t.name for t in application.get_available_user_state_transitions(user)}
    return [action for action in ACTIONS.values()
            if (action.allowed(application, user) if action.allowed else action.transition_name in names)
            and action.fits(application.programme) and action.possible(application)]
