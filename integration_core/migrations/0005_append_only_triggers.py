"""PostgreSQL refuses UPDATE and DELETE of the case read log (see integration_core.db_guards).

On SQLite nothing is created: nobody holds change/delete permissions and only the selectors write it.
"""

from django.db import migrations

from integration_core.db_guards import append_only


class Migration(migrations.Migration):

    dependencies = [
        ("integration_core", "0004_case_access_assignment"),
    ]

    operations = [
        *append_only("integration_core_casereadlog"),
    ]
