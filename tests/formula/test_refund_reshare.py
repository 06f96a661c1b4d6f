"""Refunded money re-shared: recipients keep sharing follow-up runs after payout and settlement; a Verzicht not."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants.allocations import holders
from grants.models import Application, GrantIncrease
from grants.services.allocations import allocation_issue_decisions, allocation_plan
from grants.services.applications import CostLineData, application_decline
from grants.services.payouts import payout_batch_create, payout_batch_execute
from grants.services.settlements import (
    refund_claim_full,
    refund_record_received,
    settlement_accept,
    settlement_save,
)
from grants.states import State
from programmes.allocation import apportion
from tests.factories import project_ended

from .builder import Staff, applicant, budget_year, eur, fix_run, formula_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return Staff()




def _fresh(*applications):
    return [Application.objects.get(pk=a.pk) for a in applications]


def _pay(staff, *applications):
    batch = payout_batch_create(user=staff.finance, application_ids=[a.pk for a in applications])
    payout_batch_execute(user=staff.finance, batch_id=batch.pk)


def _settle(staff, application, spent: str):
    """The recipient hands in a settlement with ``spent`` as actual costs; staff accept it at that amount."""
    project_ended(application.pk)
    settlement_save(user=application.created_by, application_id=application.pk, report="Stelle besetzt",
                    participants_reached=10, income=Decimal("0"),
                    cost_lines=[CostLineData(description="Personalkosten", amount=Decimal(spent))], submit=True)
    settlement_accept(user=staff.checker, application_id=application.pk, eligible_costs=eur(spent))


@pytest.fixture
def settled(staff):
    """A, B and C hold paid grants (D gave its grant up, re-shared already); B has refunded 123.46 €."""
    programme = formula_programme(pot="100000.00")
    apps = [applicant(programme, staff, name=name, population=population)
            for name, population in (("A", 10000), ("B", 20000), ("C", 30000), ("D", 40000))]
    first = fix_run(programme, staff)
    allocation_issue_decisions(user=staff.head, run_id=first.pk)
    a, b, c, d = _fresh(*apps)
    application_decline(user=d.created_by, application_id=d.pk, reason="Stelle nicht besetzt")
    second = fix_run(programme, staff)  # D's 40,000 € among A, B, C
    allocation_issue_decisions(user=staff.head, run_id=second.pk)
    a, b, c = _fresh(a, b, c)
    assert [x.approved_amount.amount for x in (a, b, c)] == [Decimal("16666.67"), Decimal("33333.33"),
                                                             Decimal("50000.00")]
    _pay(staff, a, b, c)
    _settle(staff, b, "33209.87")  # 123.46 € less than granted: claimed back
    refund_record_received(user=staff.finance, application_id=b.pk)
    _settle(staff, c, "50000.00")  # all spent: closed
    a, b, c, d = _fresh(a, b, c, d)
    assert (a.state, b.state, c.state, d.state) == (State.PAID, State.CLOSED, State.CLOSED, State.WITHDRAWN)
    return programme, second, (a, b, c, d)


def test_a_refund_received_is_reshared_to_the_cent_among_all_who_still_hold_a_grant(staff, settled):
    programme, second, (a, b, c, d) = settled
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=budget_year())
    assert plan.follows == second
    assert plan.unused.available == Decimal("123.46")  # exactly the refund: the rest of the pot is committed
    outputs = plan.preview.outputs
    assert set(outputs) == {a.file_number, b.file_number, c.file_number}  # settled ones too; D gave up
    expected = apportion(Decimal("123.46"), {a.file_number: 10000, b.file_number: 20000, c.file_number: 30000})
    assert {key: Decimal(output["amount"]) for key, output in outputs.items()} == expected
    assert sum(expected.values()) == Decimal("123.46")
    third = fix_run(programme, staff)
    issued = allocation_issue_decisions(user=staff.head, run_id=third.pk)
    assert issued.increased == 3
    assert not GrantIncrease.objects.filter(application=d).exists()
    # Paid out on their own, also to the recipients whose settlement is closed.
    increases = GrantIncrease.objects.filter(allocation_run=third)
    batch = payout_batch_create(user=staff.finance, increase_ids=[i.pk for i in increases])
    assert sum(item.amount.amount for item in batch.items.all()) == Decimal("123.46")


def test_a_settlement_handed_in_or_a_refund_still_open_keeps_the_recipient_sharing(staff, settled):
    _programme, second, (a, _b, _c, _d) = settled
    project_ended(a.pk)
    settlement_save(user=a.created_by, application_id=a.pk, report="Stelle besetzt", participants_reached=5,
                    income=Decimal("0"), cost_lines=[CostLineData(description="Personal", amount=Decimal("100"))],
                    submit=True)
    assert Application.objects.get(pk=a.pk).state == State.SETTLEMENT_SUBMITTED
    assert a in holders(second)
    settlement_accept(user=staff.checker, application_id=a.pk, eligible_costs=eur("16000.00"))
    assert Application.objects.get(pk=a.pk).state == State.REFUND_CLAIMED
    assert a in holders(second)


def test_a_grant_reclaimed_in_full_no_longer_shares(staff, settled):
    programme, second, (a, b, c, _d) = settled
    refund_claim_full(user=staff.checker, application_id=a.pk, reason="Stelle nie besetzt")
    refund_record_received(user=staff.finance, application_id=a.pk)
    assert set(holders(second)) == {b, c}
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=budget_year())
    assert plan.unused.available == Decimal("16790.13")  # A's whole grant and B's 123.46 €
    assert set(plan.preview.outputs) == {b.file_number, c.file_number}


def test_only_a_verzicht_left_means_nobody_to_reshare_to(staff):
    programme = formula_programme(pot="1000.00")
    only = applicant(programme, staff, name="A", population=100)
    run = fix_run(programme, staff)
    allocation_issue_decisions(user=staff.head, run_id=run.pk)
    application_decline(user=only.created_by, application_id=only.pk, reason="Stelle nicht besetzt")
    with pytest.raises(ValidationError, match="Niemand hält"):
        allocation_plan(user=staff.clerk, programme_id=programme.pk, year=budget_year())
