"""Fixtures of the applicant portal tests: a member with an application, an outsider, state helpers."""

import pytest
from djmoney.money import Money

from grants.services import applications, payouts, review, settlements
from grants.services.applications import CostLineData
from grants.states import State
from tests.factories import MembershipFactory, ProgrammeBudgetFactory, make_application, project_ended, role_user


@pytest.fixture
def member(db):
    return role_user("Antragsteller")


@pytest.fixture
def application(member):
    return make_application(amount="1000.00", member=member)


@pytest.fixture
def outsider(db):
    """A member of another organisation."""
    user = role_user("Antragsteller")
    MembershipFactory(user=user)
    return user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


def advance(application, member, target: str, *, capture=None):
    """Walk ``application`` through the services to ``target`` (one of the states below)."""
    staff, head, finance = role_user("Sachbearbeitung"), role_user("Leitung"), role_user("Finanzen")
    ProgrammeBudgetFactory(programme=application.programme, amount=Money("100000.00", "EUR"))
    pk = application.pk
    applications.application_submit(user=member, application_id=pk)
    if target == State.SUBMITTED:
        return _fresh(application)
    review.application_start_review(user=staff, application_id=pk)
    if target == State.IN_REVIEW:
        return _fresh(application)
    if target == State.CHANGES_REQUESTED:
        review.application_request_changes(user=staff, application_id=pk, message="Bitte Kostenplan aufschlüsseln.")
        return _fresh(application)
    review.application_recommend(user=staff, application_id=pk)
    review.application_approve(user=head, application_id=pk)
    if target == State.APPROVED:
        return _fresh(application)
    batch = payouts.payout_batch_create(user=finance, application_ids=[pk])
    payouts.payout_batch_execute(user=finance, batch_id=batch.pk)
    if target == State.PAID:
        return _fresh(application)
    project_ended(pk)
    settlements.settlement_save(
        user=member, application_id=pk, report="Fest mit 80 Gästen", participants_reached=80, income=0,
        cost_lines=[CostLineData("Honorare", "600.00")], submit=True,
    )
    if target == State.SETTLEMENT_SUBMITTED:
        return _fresh(application)
    settlements.settlement_accept(user=staff, application_id=pk, eligible_costs=Money("600.00", "EUR"))
    return _fresh(application)  # refund_claimed: 400,00 € back


def _fresh(application):
    application.refresh_from_db()
    return application
