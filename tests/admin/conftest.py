"""Fixtures for the admin screens: one user per role and applications walked to a state by the services."""

from types import SimpleNamespace

import pytest
from djmoney.money import Money

from grants.services import applications, payouts, review, settlements
from grants.services.applications import CostLineData
from grants.states import State
from tests.factories import ProgrammeBudgetFactory, make_application, project_ended, role_user

# The path through the state machine, in the order the services take it.
PATH = [
    State.SUBMITTED, State.IN_REVIEW, State.RECOMMENDED, State.APPROVED, State.PAID,
    State.SETTLEMENT_SUBMITTED, State.REFUND_CLAIMED, State.CLOSED,
]


@pytest.fixture
def people(db):
    return SimpleNamespace(
        applicant=role_user("Antragsteller"),
        staff=role_user("Sachbearbeitung"),
        staff2=role_user("Sachbearbeitung"),
        head=role_user("Leitung"),
        finance=role_user("Finanzen"),
        committee=role_user("Ausschuss"),
    )


def walk(application, target: str, people, *, spent: str = "800.00"):
    """Move ``application`` along the happy path until it reaches ``target``."""
    pk = application.pk
    steps = {
        State.SUBMITTED: lambda: applications.application_submit(user=people.applicant, application_id=pk),
        State.IN_REVIEW: lambda: review.application_start_review(user=people.staff, application_id=pk),
        State.RECOMMENDED: lambda: review.application_recommend(user=people.staff, application_id=pk),
        State.APPROVED: lambda: review.application_approve(user=people.head, application_id=pk),
        State.PAID: lambda: payouts.payout_batch_execute(
            user=people.finance,
            batch_id=payouts.payout_batch_create(user=people.finance, application_ids=[pk]).pk,
        ),
        State.SETTLEMENT_SUBMITTED: lambda: (project_ended(pk), settlements.settlement_save(
            user=people.applicant, application_id=pk, report="Fest mit 150 Gästen", participants_reached=150,
            income=0, cost_lines=[CostLineData("Honorare", spent)], submit=True,
        )),
        State.REFUND_CLAIMED: lambda: settlements.settlement_accept(
            user=people.staff, application_id=pk, eligible_costs=Money(spent, "EUR")
        ),
        State.CLOSED: lambda: settlements.refund_record_received(user=people.finance, application_id=pk),
    }
    for state in PATH[: PATH.index(target) + 1]:
        steps[state]()
    application.refresh_from_db()
    assert application.state == target
    return application


@pytest.fixture
def application_in(people):
    """``application_in(state, amount=...)``: a fresh application of ``people.applicant`` in that state."""

    def make(target: str = State.SUBMITTED, *, amount: str = "1000.00", budget: str = "100000.00", **kwargs):
        application = make_application(amount=amount, member=people.applicant, **kwargs)
        ProgrammeBudgetFactory(programme=application.programme, amount=Money(budget, "EUR"))
        if target == State.DRAFT:
            return application
        return walk(application, target, people)

    return make


def login(client, user):
    client.force_login(user)
    return client
