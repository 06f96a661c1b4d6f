"""PostgreSQL refuses UPDATE and DELETE of fixed allocation runs (their results live in the run's own
columns: outputs, steps, remainder); see integration_core.db_guards. On SQLite the model's guard stays.
"""

from django.db import migrations

from integration_core.db_guards import append_only


class Migration(migrations.Migration):

    dependencies = [
        ("programmes", "0006_committee_name"),
    ]

    operations = [
        *append_only("programmes_allocationrun"),
    ]
