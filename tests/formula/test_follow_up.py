"""Unused money re-shared by a new run that follows the last one; the grants raised, paid on their own."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants.models import Application, ApplicationEvent, GrantIncrease, PayoutItem
from grants.services.allocations import allocation_issue_decisions, allocation_plan
from grants.services.applications import application_decline
from grants.services.payouts import payout_batch_create, payout_batch_execute
from grants.states import State
from programmes.choices import RemainderUse
from programmes.models import AllocationRun, ProgrammeBudget
from programmes.runs import run_verify

from .builder import Staff, applicant, budget_year, eur, fix_run, formula_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return Staff()




def _decided(programme, staff, populations, **programme_kwargs):
    apps = [applicant(programme, staff, name=f"Gemeinde {i}", population=p) for i, p in enumerate(populations)]
    run = fix_run(programme, staff)
    allocation_issue_decisions(user=staff.head, run_id=run.pk)
    return run, [Application.objects.get(pk=a.pk) for a in apps]


def test_without_freed_money_there_is_nothing_to_reshare(staff):
    programme = formula_programme(pot="90000.00")
    _decided(programme, staff, [10000, 20000, 30000])
    with pytest.raises(ValidationError) as error:
        allocation_plan(user=staff.clerk, programme_id=programme.pk, year=budget_year())
    assert "keine frei gewordenen Mittel" in str(error.value)


def test_a_declined_grant_is_reshared_among_those_who_still_hold_one(staff, django_capture_on_commit_callbacks):
    programme = formula_programme(pot="90000.00")
    first, (a, b, c) = _decided(programme, staff, [10000, 20000, 30000])
    assert [x.approved_amount.amount for x in (a, b, c)] == [Decimal("15000.00"), Decimal("30000.00"),
                                                             Decimal("45000.00")]
    application_decline(user=b.created_by, application_id=b.pk, reason="Stelle nicht besetzt")
    assert ProgrammeBudget.objects.get().committed.amount == Decimal("60000.00")
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=budget_year())
    assert plan.is_follow_up
    assert plan.follows == first
    assert plan.unused.available == Decimal("30000.00")
    assert set(plan.preview.outputs) == {a.file_number, c.file_number}  # b gave its grant up
    second = fix_run(programme, staff)
    assert second.follows == first
    assert run_verify(AllocationRun.objects.get(pk=second.pk))
    with django_capture_on_commit_callbacks() as callbacks:
        issued = allocation_issue_decisions(user=staff.head, run_id=second.pk)
    assert issued.increased == 2
    assert callbacks
    a, c = Application.objects.get(pk=a.pk), Application.objects.get(pk=c.pk)
    assert (a.approved_amount.amount, c.approved_amount.amount) == (Decimal("22500.00"), Decimal("67500.00"))
    assert ProgrammeBudget.objects.get().committed.amount == Decimal("90000.00")
    assert ApplicationEvent.objects.filter(action="increase").count() == 2
    assert allocation_issue_decisions(user=staff.head, run_id=second.pk).increased == 0  # once only
    assert GrantIncrease.objects.count() == 2


def test_a_follow_up_shares_at_most_the_freed_money(staff):
    programme = formula_programme(pot="90000.00")
    _run, (a, _b, _c) = _decided(programme, staff, [10000, 20000, 30000])
    application_decline(user=staff.clerk, application_id=a.pk, reason="Verzicht per Brief")
    with pytest.raises(ValidationError) as error:
        allocation_plan(user=staff.clerk, programme_id=programme.pk, year=budget_year(), total=Decimal("15000.01"))
    assert "höchstens 15.000,00" in str(error.value)
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=budget_year(), total=Decimal("10000.00"))
    assert plan.preview.total == Decimal("10000.00")


def test_money_kept_for_the_district_offer_is_not_reshared(staff):
    programme = formula_programme(pot="90000.00", remainder_use=RemainderUse.KEEP)
    apps = [applicant(programme, staff, name="A", population=10000),
            applicant(programme, staff, name="B", population=20000, ftes=("0.25",)),
            applicant(programme, staff, name="C", population=30000)]
    first = fix_run(programme, staff)
    assert first.remainder == Decimal("30000.00")
    allocation_issue_decisions(user=staff.head, run_id=first.pk)
    a = Application.objects.get(pk=apps[0].pk)
    application_decline(user=a.created_by, application_id=a.pk, reason="Stelle nicht besetzt")
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=budget_year())
    assert plan.unused.kept_for_district == Decimal("30000.00")
    assert plan.unused.available == Decimal("15000.00")
    assert list(plan.preview.outputs) == [apps[2].file_number]


def test_the_cap_counts_what_an_applicant_already_holds(staff):
    programme = formula_programme(pot="90000.00", allocation_cap=eur("50000.00"))
    _run, (a, b, c) = _decided(programme, staff, [10000, 20000, 30000])
    application_decline(user=a.created_by, application_id=a.pk, reason="Stelle nicht besetzt")
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=budget_year())
    out = plan.preview.outputs
    # 15,000 freed, by weight 2:3 → 6,000 / 9,000; C holds 45,000 of 50,000, so C gets 5,000 and B the rest.
    assert (out[c.file_number]["amount"], out[c.file_number]["reason"]) == ("5000.00", "capped")
    assert out[b.file_number]["amount"] == "10000.00"


def test_increases_are_paid_with_the_grant_or_on_their_own(staff):
    programme = formula_programme(pot="90000.00")
    _run, (a, b, c) = _decided(programme, staff, [10000, 20000, 30000])
    batch = payout_batch_create(user=staff.finance, application_ids=[a.pk])
    payout_batch_execute(user=staff.finance, batch_id=batch.pk)
    application_decline(user=b.created_by, application_id=b.pk, reason="Stelle nicht besetzt")
    second = fix_run(programme, staff)
    allocation_issue_decisions(user=staff.head, run_id=second.pk)
    paid_first = GrantIncrease.objects.get(application=a)
    unpaid_yet = GrantIncrease.objects.get(application=c)
    assert (paid_first.paid_with_grant, unpaid_yet.paid_with_grant) == (False, True)
    with pytest.raises(ValidationError):  # C's increase goes out with C's grant
        payout_batch_create(user=staff.finance, increase_ids=[unpaid_yet.pk])
    batch = payout_batch_create(user=staff.finance, application_ids=[c.pk], increase_ids=[paid_first.pk])
    items = {(item.application_id, item.increase_id): item.amount.amount for item in batch.items.all()}
    assert items == {(c.pk, None): Decimal("67500.00"), (a.pk, paid_first.pk): Decimal("7500.00")}
    payout_batch_execute(user=staff.finance, batch_id=batch.pk)
    assert Application.objects.get(pk=a.pk).state == State.PAID
    assert ApplicationEvent.objects.filter(application=a, action="pay_increase").count() == 1
    assert ProgrammeBudget.objects.get().paid.amount == Decimal("90000.00")
    with pytest.raises(ValidationError):  # paid once only
        payout_batch_create(user=staff.finance, increase_ids=[paid_first.pk])
    assert PayoutItem.objects.filter(increase=paid_first).count() == 1


def test_decline_is_refused_once_the_grant_is_in_a_batch(staff):
    programme = formula_programme(pot="90000.00")
    _run, (a, _b, _c) = _decided(programme, staff, [10000, 20000, 30000])
    payout_batch_create(user=staff.finance, application_ids=[a.pk])
    with pytest.raises(ValidationError) as error:
        application_decline(user=a.created_by, application_id=a.pk, reason="zu spät")
    assert "Zahlungslauf" in str(error.value)
    assert Application.objects.get(pk=a.pk).state == State.APPROVED
    assert ProgrammeBudget.objects.get().committed.amount == Decimal("90000.00")
