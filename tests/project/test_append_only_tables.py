"""The database itself refuses changes to append-only records (PostgreSQL triggers, integration_core.db_guards).

Each table is tried three ways around the Python guards: raw SQL UPDATE, raw SQL DELETE, and
``bulk_create(update_conflicts=True)`` (INSERT … ON CONFLICT DO UPDATE). Payout items are fixed only
once their batch is executed; an open batch's items still change.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from grants.models import ApplicationEvent, GrantIncrease, PayoutBatch, PayoutItem
from grants.services import payouts
from grants.states import State
from integration_core.cases.access import case_for_read
from integration_core.models import CaseReadLog, ReadPurpose
from programmes.models import AllocationRun
from tests.factories.cases import CaseFactory, ProviderFactory, case_worker
from tests.grants.journey import application_in, make_cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("require_postgres")]

REFUSED = "append-only"


def _sql(statement: str, *params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def assert_refused(statement: str, *params):
    with pytest.raises(IntegrityError, match=REFUSED):
        _sql(statement, *params)


def assert_row_fixed(instance, column: str, value, *, update_field: str | None = None):
    """UPDATE, DELETE and an upsert of ``instance``'s row all fail; the row is unchanged afterwards."""
    model = type(instance)
    table = model._meta.db_table
    before = model.objects.filter(pk=instance.pk).values().get()
    assert_refused(f"UPDATE {table} SET {column} = %s WHERE id = %s", value, instance.pk)  # noqa: S608
    assert_refused(f"DELETE FROM {table} WHERE id = %s", instance.pk)  # noqa: S608
    copy = model.objects.get(pk=instance.pk)
    setattr(copy, update_field or column, value)
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        model.objects.bulk_create([copy], update_conflicts=True, unique_fields=["id"],
                                  update_fields=[update_field or column])
    assert model.objects.filter(pk=instance.pk).values().get() == before


@pytest.fixture
def cast():
    return make_cast()


def test_application_events_refuse_update_delete_and_upsert(cast):
    application = application_in(State.SUBMITTED, cast)
    event = ApplicationEvent.objects.filter(application=application).latest("pk")
    assert_row_fixed(event, "note", "nachträglich geändert")
    # The trigger is on the table, not on one row: a statement over many rows fails as a whole.
    assert_refused("UPDATE grants_applicationevent SET action = 'x'")
    assert ApplicationEvent.objects.filter(application=application).count() >= 1


def test_case_read_log_refuses_update_delete_and_upsert():
    worker = case_worker(ProviderFactory())
    case = CaseFactory(case_worker=worker)
    case_for_read(user=worker, case_id=case.pk, purpose=ReadPurpose.CASE_VIEW)
    entry = CaseReadLog.objects.get()
    assert_row_fixed(entry, "purpose", ReadPurpose.PART_A_EDIT)
    assert_refused("DELETE FROM integration_core_casereadlog")
    assert CaseReadLog.objects.count() == 1


def _run(user, **kwargs) -> AllocationRun:
    return AllocationRun.objects.create(kind=AllocationRun.Kind.STAFFING_KEY, unit=AllocationRun.Unit.FTE,
                                        title="Stellenschlüssel 2026", total=Decimal("10.00"),
                                        input_hash="a" * 64, created_by=user, **kwargs)


def test_fixed_allocation_runs_and_their_increases_refuse_update_delete_and_upsert(cast):
    run = _run(cast.staff)
    assert_row_fixed(run, "total", Decimal("99.00"))
    # The results are columns of the run itself.
    assert_refused("UPDATE programmes_allocationrun SET outputs = '{}'::jsonb, remainder = 0 WHERE id = %s", run.pk)
    application = application_in(State.APPROVED, cast)
    increase = GrantIncrease.objects.create(application=application, allocation_run=run, amount=Decimal("50.00"),
                                            created_by=cast.staff)
    assert_row_fixed(increase, "amount", Decimal("5000.00"))


def test_payout_items_are_fixed_once_their_batch_is_executed(cast):
    paid, waiting = application_in(State.APPROVED, cast), application_in(State.APPROVED, cast)
    executed = payouts.payout_batch_create(user=cast.finance, application_ids=[paid.pk])
    payouts.payout_batch_execute(user=cast.finance, batch_id=executed.pk)
    open_batch = payouts.payout_batch_create(user=cast.finance, application_ids=[waiting.pk])
    item, open_item = executed.items.get(), open_batch.items.get()

    assert_row_fixed(item, "remittance_info", "umgeleitet")
    assert_refused("UPDATE grants_payoutitem SET amount = amount * 10 WHERE id = %s", item.pk)
    # Moving an item of an open batch into the executed one, or adding one there, is refused too.
    assert_refused("UPDATE grants_payoutitem SET batch_id = %s WHERE id = %s", executed.pk, open_item.pk)
    assert_refused(
        "INSERT INTO grants_payoutitem (batch_id, application_id, amount, amount_currency, end_to_end_id, "
        "remittance_info) VALUES (%s, %s, 1, 'EUR', 'X', 'X')", executed.pk, waiting.pk)

    # An open batch's items still change (until the batch is executed).
    assert _sql("UPDATE grants_payoutitem SET remittance_info = 'korrigiert' WHERE id = %s", open_item.pk) == 1
    assert PayoutItem.objects.get(pk=open_item.pk).remittance_info == "korrigiert"
    payouts.payout_batch_execute(user=cast.finance, batch_id=open_batch.pk)
    assert_refused("UPDATE grants_payoutitem SET remittance_info = 'zu spät' WHERE id = %s", open_item.pk)


def test_an_executed_batch_keeps_what_was_paid_when_and_by_whom(cast):
    application = application_in(State.APPROVED, cast)
    day = timezone.localdate() - timedelta(days=10)  # executable today, whenever the suite runs
    batch = payouts.payout_batch_create(user=cast.finance, application_ids=[application.pk], execution_date=day)
    # Open: the batch can still be changed (e.g. its execution date).
    assert _sql("UPDATE grants_payoutbatch SET execution_date = %s WHERE id = %s", day + timedelta(days=1),
                batch.pk) == 1
    payouts.payout_batch_execute(user=cast.finance, batch_id=batch.pk)
    for column, value in [("status", PayoutBatch.Status.OPEN), ("execution_date", date(2027, 1, 1)),
                          ("number", "ZL-FAKE"), ("executed_by_id", cast.staff.pk), ("executed_at", None)]:
        assert_refused(f"UPDATE grants_payoutbatch SET {column} = %s WHERE id = %s", value, batch.pk)  # noqa: S608
    assert_refused("DELETE FROM grants_payoutbatch WHERE id = %s", batch.pk)
    # A save that writes the same values (as Django's save() does) is no change and passes.
    PayoutBatch.objects.get(pk=batch.pk).save()
    assert PayoutBatch.objects.get(pk=batch.pk).status == PayoutBatch.Status.EXECUTED


def test_the_stored_sepa_file_and_its_checksum_never_change(cast):
    application = application_in(State.APPROVED, cast)
    batch = payouts.payout_batch_create(user=cast.finance, application_ids=[application.pk])
    assert len(batch.sepa_sha256) == 64
    assert_refused("UPDATE grants_payoutbatch SET sepa_sha256 = %s WHERE id = %s", "0" * 64, batch.pk)
    assert_refused("UPDATE grants_payoutbatch SET sepa_file = 'sepa/umgeleitet.xml' WHERE id = %s", batch.pk)
    assert_refused("DELETE FROM grants_payoutbatch WHERE id = %s", batch.pk)
    # The open batch's other columns still change.
    assert _sql("UPDATE grants_payoutbatch SET execution_date = execution_date WHERE id = %s", batch.pk) == 1


def test_the_programme_log_refuses_update_delete_and_upsert(cast):
    from programmes.programme_log import ProgrammeLogEntry

    application = application_in(State.SUBMITTED, cast)
    entry = ProgrammeLogEntry.objects.create(programme=application.programme, field="max_amount",
                                             field_label="Höchstbetrag", old_value="3000", new_value="5000",
                                             reason="Beschluss des Kreistags", actor=cast.head)
    # The model refuses bulk upserts itself; beneath it the database refuses raw SQL.
    assert_refused("UPDATE programmes_programmelogentry SET new_value = '50000' WHERE id = %s", entry.pk)
    assert_refused("DELETE FROM programmes_programmelogentry WHERE id = %s", entry.pk)
    assert_refused(
        "INSERT INTO programmes_programmelogentry (id, programme_id, field, field_label, old_value, new_value, "
        "reason, actor_id, at) SELECT id, programme_id, field, field_label, old_value, '50000', reason, actor_id, "
        "at FROM programmes_programmelogentry WHERE id = %s ON CONFLICT (id) DO UPDATE SET new_value = "
        "EXCLUDED.new_value", entry.pk)
    assert ProgrammeLogEntry.objects.get(pk=entry.pk).new_value == "5000"
