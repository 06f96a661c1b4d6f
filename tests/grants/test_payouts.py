"""Payout once: a batch pays each application one time, however often it is executed."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from grants.models import Application, ApplicationEvent, PayoutBatch, PayoutItem
from grants.services import payouts
from grants.states import State
from programmes.models import ProgrammeBudget

from .journey import application_in, eur, make_cast

pytestmark = pytest.mark.django_db


def _paid_events(app):
    return ApplicationEvent.objects.filter(application=app, action="record_payout").count()


def test_executing_a_batch_twice_pays_nothing_twice():
    cast = make_cast()
    first = application_in(State.APPROVED, cast, amount="1000.00")
    second = application_in(State.APPROVED, cast, amount="2500.00")
    batch = payouts.payout_batch_create(user=cast.finance, application_ids=[second.pk, first.pk])
    for _run in range(2):
        payouts.payout_batch_execute(user=cast.finance, batch_id=batch.pk)
    for app in (first, second):
        app.refresh_from_db()
        assert (app.state, _paid_events(app)) == (State.PAID, 1)
    budget = ProgrammeBudget.objects.get(programme=first.programme)
    assert (budget.committed, budget.paid) == (eur("3500.00"), eur("3500.00"))
    batch.refresh_from_db()
    assert (batch.status, batch.executed_by) == (PayoutBatch.Status.EXECUTED, cast.finance)


def test_a_batch_holds_one_item_per_application_with_file_number_and_short_remittance():
    cast = make_cast()
    app = application_in(State.APPROVED, cast, title="Sommerfest der Nachbarschaft " * 6)
    batch = payouts.payout_batch_create(user=cast.finance, application_ids=[app.pk],
                                        execution_date=date(2026, 7, 1))
    item = batch.items.get()
    assert (item.amount, item.end_to_end_id) == (eur("1000.00"), app.file_number)
    assert len(item.remittance_info) <= 140
    assert item.remittance_info.startswith(app.file_number)
    assert batch.number == f"ZL-{timezone.localdate().year}-{batch.pk:05d}"
    assert batch.execution_date == date(2026, 7, 1)


def test_payout_sets_the_settlement_due_date_from_the_project_end():
    cast = make_cast()
    app = application_in(State.PAID, cast, planned_start=date(2099, 6, 1), planned_end=date(2099, 8, 31))
    assert app.settlement_due_on == date(2099, 11, 30)  # 3 months after the end, clamped to the month


def test_two_batches_cannot_contain_the_same_application():
    cast = make_cast()
    app = application_in(State.APPROVED, cast)
    payouts.payout_batch_create(user=cast.finance, application_ids=[app.pk])
    with pytest.raises(ValidationError, match="bereits in einem anderen Zahlungslauf"):
        payouts.payout_batch_create(user=cast.finance, application_ids=[app.pk])
    assert (PayoutBatch.objects.count(), PayoutItem.objects.count()) == (1, 1)


def test_the_database_refuses_a_second_payout_item_for_an_application():
    cast = make_cast()
    app = application_in(State.APPROVED, cast)
    batch = payouts.payout_batch_create(user=cast.finance, application_ids=[app.pk])
    other = PayoutBatch.objects.create(number="ZL-TEST", execution_date=date(2026, 1, 2), created_by=cast.finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        PayoutItem.objects.create(batch=other, application=app, amount=eur("1.00"), end_to_end_id="x",
                                  remittance_info="x")
    assert batch.items.count() == 1


def test_only_approved_applications_go_into_a_batch():
    cast = make_cast()
    recommended = application_in(State.RECOMMENDED, cast)
    approved = application_in(State.APPROVED, cast)
    with pytest.raises(ValidationError, match=recommended.file_number):
        payouts.payout_batch_create(user=cast.finance, application_ids=[approved.pk, recommended.pk])
    with pytest.raises(ValidationError):
        payouts.payout_batch_create(user=cast.finance, application_ids=[])
    assert not PayoutBatch.objects.exists()


@pytest.mark.parametrize("role", ["staff", "head", "committee", "member", "anonymous"])
def test_only_finance_executes_a_batch(role):
    cast = make_cast()
    app = application_in(State.APPROVED, cast)
    batch = payouts.payout_batch_create(user=cast.finance, application_ids=[app.pk])
    with pytest.raises(PermissionDenied):
        payouts.payout_batch_execute(user=cast.role(role), batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, Application.objects.get(pk=app.pk).state) == (PayoutBatch.Status.OPEN, State.APPROVED)
    assert ProgrammeBudget.objects.get(programme=app.programme).paid == eur("0.00")
