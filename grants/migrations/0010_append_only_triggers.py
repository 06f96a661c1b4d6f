"""PostgreSQL refuses changes to the grant records that are written once (see integration_core.db_guards).

- Events (Verlauf) and grant increases (results of a fixed allocation run): never updated or deleted.
- Payout items: fixed once their batch is executed (no update, no delete, no new item in such a batch).
- Payout batches: once executed, what was paid when and by whom stays (number, status, execution date,
  executed at/by); an executed batch is never deleted.

On SQLite nothing is created; the models' Python guards stay.
"""

from django.db import migrations

from integration_core.db_guards import append_only, append_only_when, frozen_columns_when

EXECUTED_BATCH = "EXISTS (SELECT 1 FROM grants_payoutbatch b WHERE b.id = {row}.batch_id AND b.status = 'executed')"


class Migration(migrations.Migration):

    dependencies = [
        ("grants", "0009_settlement_ended_early_on"),
    ]

    operations = [
        *append_only("grants_applicationevent"),
        *append_only("grants_grantincrease"),
        *append_only_when(
            "grants_payoutitem", name="executed_batch", events=("INSERT", "UPDATE", "DELETE"),
            refuse_when=f"({EXECUTED_BATCH.format(row='OLD')}) OR ({EXECUTED_BATCH.format(row='NEW')})",
            message="append-only: payout items of an executed batch are fixed",
        ),
        *frozen_columns_when(
            "grants_payoutbatch", name="executed", when="OLD.status = 'executed'",
            columns=["number", "status", "execution_date", "executed_at", "executed_by_id"],
            message="append-only: an executed payout batch keeps what was paid, when and by whom",
        ),
    ]
