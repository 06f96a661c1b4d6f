"""Applications brought into any state through the services, and the people acting on them.

Nothing here writes the protected ``state`` field: every step is the service a
user would trigger, so a state built here is a state the portal can reach.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from djmoney.money import Money

from grants.models import Application
from grants.services import applications, payouts, review, settlements
from grants.services.applications import CostLineData
from grants.states import State
from tests.factories import MembershipFactory, ProgrammeBudgetFactory, make_application, project_ended, role_user


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


@dataclass
class Cast:
    """One person per role of the matrix, plus the staff who move applications along."""

    member: object
    outsider: object  # applicant of another organisation
    staff: object  # Sachbearbeitung (not the recommender)
    head: object  # Leitung
    finance: object
    committee: object
    anonymous: object = field(default_factory=AnonymousUser)
    recommender: object = None
    approver: object = None
    cashier: object = None

    def role(self, name: str):
        return getattr(self, name)


ROLES = ["member", "outsider", "staff", "head", "finance", "committee", "anonymous"]


def make_cast() -> Cast:
    outsider = role_user("Antragsteller")
    MembershipFactory(user=outsider)  # member of another organisation
    return Cast(
        member=role_user("Antragsteller"), outsider=outsider, staff=role_user("Sachbearbeitung"),
        head=role_user("Leitung"), finance=role_user("Finanzen"), committee=role_user("Ausschuss"),
        recommender=role_user("Sachbearbeitung"), approver=role_user("Leitung"), cashier=role_user("Finanzen"),
    )


# -- the actions of the matrix: (user, application id, cast) -> service call -----------------
def pay(user, pk):
    batch = payouts.payout_batch_create(user=user, application_ids=[pk])
    return payouts.payout_batch_execute(user=user, batch_id=batch.pk)


def submit_settlement(user, pk, costs="800.00"):
    project_ended(pk)
    return settlements.settlement_save(
        user=user, application_id=pk, report="Fest mit 150 Gästen <gut> & „schön“", participants_reached=150,
        income=0, cost_lines=[CostLineData("Honorare", Decimal(costs))], submit=True,
    )


ACTIONS = {
    "submit": lambda u, pk: applications.application_submit(user=u, application_id=pk),
    "withdraw": lambda u, pk: applications.application_withdraw(user=u, application_id=pk, note="Verein aufgelöst"),
    "start_review": lambda u, pk: review.application_start_review(user=u, application_id=pk),
    "request_changes": lambda u, pk: review.application_request_changes(
        user=u, application_id=pk, message="Bitte den Kostenplan erläutern."),
    "recommend": lambda u, pk: review.application_recommend(user=u, application_id=pk, note="Förderfähig"),
    "approve": lambda u, pk: review.application_approve(user=u, application_id=pk, note="Bewilligt"),
    "reject": lambda u, pk: review.application_reject(user=u, application_id=pk, reasons="Nicht förderfähig."),
    "pay": pay,
    "submit_settlement": submit_settlement,
    "request_settlement_changes": lambda u, pk: settlements.settlement_request_changes(
        user=u, application_id=pk, message="Bitte Belege zu den Honoraren nachreichen."),
    "accept_settlement": lambda u, pk: settlements.settlement_accept(
        user=u, application_id=pk, eligible_costs=eur("1000.00")),
    "accept_with_refund": lambda u, pk: settlements.settlement_accept(
        user=u, application_id=pk, eligible_costs=eur("800.00")),
    "claim_refund_full": lambda u, pk: settlements.refund_claim_full(
        user=u, application_id=pk, reason="Zweck nicht erreicht: Veranstaltung fiel aus."),
    "record_refund_received": lambda u, pk: settlements.refund_record_received(user=u, application_id=pk),
    "decline": lambda u, pk: applications.application_decline(
        user=u, application_id=pk, reason="Stelle konnte nicht besetzt werden."),
}

# Which role moves the application along each step of a path.
_STEP_ACTOR = {
    "submit": "member", "withdraw": "member", "start_review": "recommender", "request_changes": "recommender",
    "recommend": "recommender", "approve": "approver", "reject": "recommender", "pay": "cashier",
    "submit_settlement": "member", "accept_with_refund": "recommender", "record_refund_received": "cashier",
}
_TO_REVIEW = ["submit", "start_review"]
_TO_PAID = [*_TO_REVIEW, "recommend", "approve", "pay"]
PATHS = {
    State.DRAFT: [],
    State.SUBMITTED: ["submit"],
    State.IN_REVIEW: _TO_REVIEW,
    State.CHANGES_REQUESTED: [*_TO_REVIEW, "request_changes"],
    State.RECOMMENDED: [*_TO_REVIEW, "recommend"],
    State.APPROVED: [*_TO_REVIEW, "recommend", "approve"],
    State.REJECTED: [*_TO_REVIEW, "reject"],
    State.WITHDRAWN: ["submit", "withdraw"],
    State.PAID: _TO_PAID,
    State.SETTLEMENT_SUBMITTED: [*_TO_PAID, "submit_settlement"],
    State.REFUND_CLAIMED: [*_TO_PAID, "submit_settlement", "accept_with_refund"],
    State.CLOSED: [*_TO_PAID, "submit_settlement", "accept_with_refund", "record_refund_received"],
}


def application_in(state: str, cast: Cast, *, amount: str = "1000.00", budget: str = "100000.00", **kwargs):
    """A fresh application of ``amount`` brought to ``state`` by the services."""
    app = make_application(amount=amount, member=cast.member, **kwargs)
    ProgrammeBudgetFactory(programme=app.programme, amount=eur(budget))
    for step in PATHS[state]:
        ACTIONS[step](cast.role(_STEP_ACTOR[step]), app.pk)
    app = Application.objects.get(pk=app.pk)
    assert app.state == state, f"Weg nach {state} endet in {app.state}"
    return app
