"""PostgreSQL keeps a payout batch's stored SEPA file and its SHA-256 once written (see integration_core.db_guards):
every download must return the bytes the batch was created with. On SQLite the service's checksum check stays.
"""

from django.db import migrations

from integration_core.db_guards import frozen_columns_when


class Migration(migrations.Migration):

    dependencies = [
        ("grants", "0010_append_only_triggers"),
    ]

    operations = [
        *frozen_columns_when("grants_payoutbatch", name="sepa_file_written", columns=["sepa_file", "sepa_sha256"],
                             when="OLD.sepa_sha256 <> ''"),
    ]
