"""How states and history read for applicants: badges, next steps, step names."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants.state_labels import step_label_for
from grants.states import State
from programmes.rules import format_eur

# KERN badge variant per state: warning where the applicant has to act.
BADGE_VARIANT = {
    State.DRAFT: "info",
    State.SUBMITTED: "info",
    State.IN_REVIEW: "info",
    State.CHANGES_REQUESTED: "warning",
    State.RECOMMENDED: "info",
    State.APPROVED: "success",
    State.REJECTED: "danger",
    State.WITHDRAWN: "info",
    State.PAID: "warning",
    State.SETTLEMENT_SUBMITTED: "info",
    State.REFUND_CLAIMED: "warning",
    State.CLOSED: "success",
}

STEP_LABELS = {
    "submit": gettext_lazy("Antrag eingereicht"),
    "resubmit": gettext_lazy("Antrag erneut eingereicht"),
    "start_review": gettext_lazy("Prüfung begonnen"),
    "request_changes": gettext_lazy("Nachbesserung angefordert"),
    "recommend": gettext_lazy("Zur Bewilligung empfohlen"),
    "approve": gettext_lazy("Bewilligt"),
    "reject": gettext_lazy("Abgelehnt"),
    "withdraw": gettext_lazy("Antrag zurückgezogen"),
    "decline": gettext_lazy("Verzicht erklärt"),
    "increase": gettext_lazy("Zuwendung erhöht"),
    "pay_increase": gettext_lazy("Erhöhung ausgezahlt"),
    "record_payout": gettext_lazy("Zuwendung ausgezahlt"),
    "submit_settlement": gettext_lazy("Verwendungsnachweis eingereicht"),
    "request_settlement_changes": gettext_lazy("Nachbesserung des Verwendungsnachweises angefordert"),
    "accept_settlement": gettext_lazy("Verwendungsnachweis anerkannt"),
    "claim_refund": gettext_lazy("Rückforderung festgesetzt"),
    "record_refund_received": gettext_lazy("Rückzahlung eingegangen"),
}


def badge_variant(application) -> str:
    return BADGE_VARIANT.get(application.state, "info")


def step_label(event) -> str:
    own = step_label_for(event.application.programme, event.action)  # e.g. formula: eligibility confirmed
    if own is not None:
        return own
    if event.action in STEP_LABELS:
        return str(STEP_LABELS[event.action])
    return event.get_to_state_display() or event.action


def _date(day) -> str:
    return date_format(day, "d.m.Y") if day else ""


def next_step(application) -> str:
    """One sentence telling the applicant what happens next or what they have to do."""
    state = application.state
    if state == State.DRAFT:
        return _("Vervollständigen Sie den Antrag und reichen Sie ihn ein.")
    if state == State.RECOMMENDED and application.programme.is_formula:
        return _("Ihre Förderfähigkeit ist bestätigt. Der Landkreis verteilt den Fördertopf nach der "
                 "Einwohnerzahl; danach erhalten Sie Ihren Bescheid.")
    if state in (State.SUBMITTED, State.IN_REVIEW, State.RECOMMENDED):
        return _("Das Landratsamt prüft Ihren Antrag. Sie müssen nichts tun.")
    if state == State.CHANGES_REQUESTED:
        return _("Bitte bessern Sie den Antrag nach und reichen Sie ihn erneut ein.")
    if state == State.APPROVED:
        return _("Ihr Antrag ist bewilligt. Die Auszahlung wird vorbereitet.")
    if state == State.REJECTED:
        return _("Ihr Antrag wurde abgelehnt. Den Bescheid finden Sie in der Antragsansicht.")
    if state == State.WITHDRAWN:
        if application.decided_at is not None:  # given up after approval (Verzicht), not withdrawn before
            return _("Auf die Zuwendung wurde verzichtet.")
        return _("Sie haben den Antrag zurückgezogen.")
    if state == State.PAID:
        if application.settlement_due_on:
            return _("Reichen Sie den Verwendungsnachweis bis zum %(date)s ein.") % {
                "date": _date(application.settlement_due_on)}
        return _("Reichen Sie nach Ende des Vorhabens den Verwendungsnachweis ein.")
    if state == State.SETTLEMENT_SUBMITTED:
        return _("Das Landratsamt prüft Ihren Verwendungsnachweis.")
    if state == State.REFUND_CLAIMED:
        refund = getattr(application, "refund", None)
        if refund is not None:
            return _("Bitte überweisen Sie den Rückforderungsbetrag bis zum %(date)s.") % {
                "date": _date(refund.due_on)}
        return _("Bitte überweisen Sie den Rückforderungsbetrag.")
    return _("Das Verfahren ist abgeschlossen.")


def eur(money) -> str:
    """German money text via programmes.rules.format_eur; empty for no amount."""
    return format_eur(money) if money is not None else ""
