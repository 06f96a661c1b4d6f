"""Settlement, refund claim and receipt through the services: the money exact to the cent."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grants.models import Application, ApplicationEvent, Refund, Settlement
from grants.services import settlements
from grants.states import State
from programmes.models import ProgrammeBudget
from tests.factories import project_ended

from .journey import ACTIONS, application_in, eur, make_cast, submit_settlement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("eligible", "refund"), [("999.99", "0.01"), ("0.00", "1000.00"), ("123.45", "876.55")])
def test_eligible_costs_below_the_fixed_amount_are_reclaimed_to_the_cent(eligible, refund):
    cast = make_cast()
    app = application_in(State.SETTLEMENT_SUBMITTED, cast, amount="1000.00")
    settlements.settlement_accept(user=cast.staff, application_id=app.pk, eligible_costs=Decimal(eligible))
    claim = Refund.objects.get(application=app)
    assert (claim.amount, claim.reason) == (eur(refund), Refund.Reason.UNSPENT)
    assert claim.due_on == timezone.localdate() + timedelta(days=app.programme.refund_due_days)
    assert Application.objects.get(pk=app.pk).state == State.REFUND_CLAIMED
    assert Settlement.objects.get(application=app).eligible_costs == eur(eligible)


@pytest.mark.parametrize("eligible", ["1000.00", "1450.10"])
def test_eligible_costs_at_or_above_the_fixed_amount_close_without_refund(eligible):
    cast = make_cast()
    app = application_in(State.SETTLEMENT_SUBMITTED, cast, amount="1000.00")
    settlements.settlement_accept(user=cast.staff, application_id=app.pk, eligible_costs=eur(eligible))
    assert Application.objects.get(pk=app.pk).state == State.CLOSED
    assert not Refund.objects.exists()


def test_negative_eligible_costs_are_refused():
    cast = make_cast()
    app = application_in(State.SETTLEMENT_SUBMITTED, cast)
    with pytest.raises(ValidationError):
        settlements.settlement_accept(user=cast.staff, application_id=app.pk, eligible_costs=eur("-0.01"))
    assert Application.objects.get(pk=app.pk).state == State.SETTLEMENT_SUBMITTED


def test_a_settlement_not_yet_handed_in_cannot_be_accepted():
    """claim_refund also starts from 'paid'; accepting must still wait for the settlement."""
    cast = make_cast()
    app = application_in(State.PAID, cast)
    settlements.settlement_save(user=cast.member, application_id=app.pk, report="", participants_reached=None,
                                income=0, cost_lines=[], submit=False)  # a draft, report still empty
    with pytest.raises(ValidationError):
        settlements.settlement_accept(user=cast.staff, application_id=app.pk, eligible_costs=eur("100.00"))
    assert (Application.objects.get(pk=app.pk).state, Refund.objects.count()) == (State.PAID, 0)


def test_handing_in_needs_a_report_and_costs():
    cast = make_cast()
    app = application_in(State.PAID, cast)
    project_ended(app)
    with pytest.raises(ValidationError) as refused:
        settlements.settlement_save(user=cast.member, application_id=app.pk, report=" ", participants_reached=3,
                                    income=0, cost_lines=[], submit=True)
    assert len(refused.value.messages) == 2
    assert Application.objects.get(pk=app.pk).state == State.PAID


def test_settlement_changes_requested_and_handed_in_again():
    cast = make_cast()
    app = application_in(State.SETTLEMENT_SUBMITTED, cast)
    ACTIONS["request_settlement_changes"](cast.staff, app.pk)
    submit_settlement(cast.member, app.pk, costs="950.00")
    app.refresh_from_db()
    assert (app.state, app.settlement.actual_costs) == (State.SETTLEMENT_SUBMITTED, eur("950.00"))


def test_full_reclaim_with_a_reason_reclaims_the_whole_grant():
    cast = make_cast()
    app = application_in(State.PAID, cast, amount="2750.55")
    with pytest.raises(ValidationError):
        settlements.refund_claim_full(user=cast.staff, application_id=app.pk, reason="  ")
    settlements.refund_claim_full(user=cast.staff, application_id=app.pk, reason="Zweck nicht erreicht")
    claim = Refund.objects.get(application=app)
    assert (claim.amount, claim.reason, claim.explanation) == (
        eur("2750.55"), Refund.Reason.PURPOSE_FAILED, "Zweck nicht erreicht")


def test_budget_after_the_refund_is_received():
    cast = make_cast()
    app = application_in(State.REFUND_CLAIMED, cast, amount="1000.00", budget="5000.00")
    budget = ProgrammeBudget.objects.get(programme=app.programme)
    assert (budget.committed, budget.paid, budget.refunded, budget.remaining) == (
        eur("1000.00"), eur("1000.00"), eur("0.00"), eur("4000.00"))
    settlements.refund_record_received(user=cast.finance, application_id=app.pk)
    budget.refresh_from_db()
    assert (budget.refunded, budget.remaining) == (eur("200.00"), eur("4200.00"))
    refund = Refund.objects.get(application=app)
    assert (refund.received_on, refund.received_by) == (timezone.localdate(), cast.finance)
    assert Application.objects.get(pk=app.pk).state == State.CLOSED
    # A second booking is refused and counts nothing twice.
    with pytest.raises(ValidationError):
        settlements.refund_record_received(user=cast.finance, application_id=app.pk)
    budget.refresh_from_db()
    assert budget.refunded == eur("200.00")
    assert ApplicationEvent.objects.filter(application=app, action="record_refund_received").count() == 1
