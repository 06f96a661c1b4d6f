"""The e-mail address becomes the one identifier: stored in lower case, unique regardless of case; the user
name goes. Existing rows keep their id, password and groups. Two accounts whose addresses differ only by case
stop the migration with a list of them: which of them is the person's account is a decision for a person
(merge or change one address in the user administration, then migrate again), not for a migration."""

import django.contrib.auth.validators
import django.db.models.functions.text
import portal.accounts.models
from django.db import migrations, models


def _lower_case_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    by_address = {}
    for pk, email in User.objects.order_by("pk").values_list("pk", "email"):
        by_address.setdefault((email or "").strip().lower(), []).append((pk, email))
    clashes = {address: rows for address, rows in by_address.items() if len(rows) > 1}
    if clashes:
        listing = "; ".join(
            f"{address}: " + ", ".join(f"id {pk} ({email})" for pk, email in rows) for address, rows in clashes.items()
        )
        raise RuntimeError(
            "Konten, deren E-Mail-Adressen sich nur in Groß-/Kleinschreibung unterscheiden, bitte zuerst "
            f"zusammenführen oder umbenennen: {listing}"
        )
    for address, [(pk, email)] in by_address.items():
        if address != email:
            User.objects.filter(pk=pk).update(email=address)


def _user_name_from_address(apps, schema_editor):
    # Only when going back: the old schema wants a unique user name; the address was it.
    User = apps.get_model("accounts", "User")
    User.objects.update(username=models.F("email"))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_lower_case_addresses, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username",
            field=models.CharField(
                blank=True, default="", max_length=150,
                validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name="username",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, _user_name_from_address),
        migrations.RemoveField(
            model_name="user",
            name="username",
        ),
        migrations.AlterField(
            model_name="user",
            name="email",
            field=models.EmailField(
                error_messages={"unique": "Mit dieser E-Mail-Adresse gibt es bereits ein Konto."},
                max_length=254, unique=True, verbose_name="E-Mail-Adresse",
            ),
        ),
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", portal.accounts.models.EmailUserManager()),
            ],
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"), name="accounts_user_email_ci_unique",
                violation_error_message="Mit dieser E-Mail-Adresse gibt es bereits ein Konto.",
            ),
        ),
    ]
