"""The read log stores a purpose code instead of German text, so the log screens can translate it.

Entries written before keep their meaning: the five German texts the portal wrote become their
codes (any other text stays as it is and is shown unchanged).
"""

from django.db import migrations, models

OLD_TEXTS = {
    "Fallansicht": "case_view",
    "Rahmendaten bearbeiten": "frame_edit",
    "Teil A bearbeiten": "part_a_edit",
    "Einwilligung erfassen": "consent_record",
    "Widerruf erfassen": "consent_withdraw",
}


def texts_to_codes(apps, schema_editor):
    CaseReadLog = apps.get_model("integration_core", "CaseReadLog")
    for text, code in OLD_TEXTS.items():
        CaseReadLog.objects.filter(purpose=text).update(purpose=code)


def codes_to_texts(apps, schema_editor):
    CaseReadLog = apps.get_model("integration_core", "CaseReadLog")
    for text, code in OLD_TEXTS.items():
        CaseReadLog.objects.filter(purpose=code).update(purpose=text)


class Migration(migrations.Migration):

    dependencies = [
        ("integration_core", "0002_cases"),
    ]

    operations = [
        migrations.AlterField(
            model_name="casereadlog",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("case_view", "Fallansicht"),
                    ("frame_edit", "Rahmendaten bearbeiten"),
                    ("part_a_edit", "Teil A bearbeiten"),
                    ("consent_record", "Einwilligung erfassen"),
                    ("consent_withdraw", "Widerruf erfassen"),
                ],
                max_length=100,
                verbose_name="Zweck / Ansicht",
            ),
        ),
        migrations.RunPython(texts_to_codes, codes_to_texts),
    ]
