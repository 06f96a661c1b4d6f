"""Indexes for the monitoring's aggregate queries (municipality dashboard, yearly table, extract).

Covering indexes: each holds every column its query reads, so the database answers from the index alone
instead of visiting the wide case rows (names, contact, free text) — the dashboard's running cases by
municipality and type, Part A by case, the statistics consent by case and purpose, the period's goals by
date, the children's care by Part A.

Database only: the models (owned by the case-plan code) do not declare these indexes, so the migration
state stays as it is and ``makemigrations`` has nothing to add or remove. Same indexes on SQLite and
PostgreSQL (Django writes the SQL for each).
"""

from django.db import migrations, models

INDEXES = [
    ("case", models.Index(
        fields=["municipality", "counselling_type", "first_contact_on", "ended_on", "extended_until", "anonymised_at"],
        name="case_running_cover_idx")),
    ("competences", models.Index(fields=["case", "german_level", "labour_status", "housing"],
                                 name="competences_figures_idx")),
    ("consent", models.Index(fields=["case", "given_on"], name="consent_case_given_idx")),
    ("consentpurpose", models.Index(fields=["purpose", "consent", "withdrawn_on"], name="purpose_valid_idx")),
    ("goal", models.Index(fields=["agreed_on", "case", "area", "achieved", "achieved_changed_on"],
                          name="goal_agreed_cover_idx")),
    ("goal", models.Index(fields=["achieved_changed_on", "case", "area", "achieved", "agreed_on"],
                          name="goal_achieved_cover_idx")),
    ("child", models.Index(fields=["competences", "care"], name="child_care_idx")),
    ("germancourse", models.Index(fields=["competences", "certificate"], name="course_certificate_idx")),
]


class Migration(migrations.Migration):
    # Also after 0003_casework_fixes, so the app keeps one line of migrations.
    dependencies = [
        ("integration_core", "0002_cases"),
        ("integration_core", "0003_casework_fixes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AddIndex(model_name=model, index=index) for model, index in INDEXES],
        ),
    ]
