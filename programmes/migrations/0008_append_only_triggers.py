"""PostgreSQL refuses UPDATE and DELETE of fixed allocation runs (their results live in the run's own
columns: outputs, steps, remainder) and of the programme log; see integration_core.db_guards. On SQLite the
models' guards stay.
"""

from django.db import migrations

from integration_core.db_guards import append_only


class Migration(migrations.Migration):

    dependencies = [
        ("programmes", "0007_programme_log_and_money_terms_permission"),
    ]

    operations = [
        *append_only("programmes_allocationrun"),
        *append_only("programmes_programmelogentry"),
    ]
