"""The migration to e-mail-only accounts keeps every existing user; case twins stop it with a list."""

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("accounts", "0001_initial")
AFTER = ("accounts", "0002_email_is_the_only_identifier")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


def _old_user(apps, address: str, password: str = "alt-Passwort-1"):  # noqa: S107 - a test password
    return apps.get_model("accounts", "User").objects.create(
        username=address, email=address, password=make_password(password), first_name="Erika",
    )


def test_existing_users_keep_their_rows_passwords_and_groups():
    old = _migrate(BEFORE)
    try:
        group = old.get_model("auth", "Group").objects.create(name="Altgruppe")
        mixed = _old_user(old, "Erika.Muster@Verein.DE")
        plain = _old_user(old, "kasse@kreis.de", password="kasse-Passwort-2")
        mixed.groups.add(group)
    finally:
        new = _migrate(AFTER)
    User = new.get_model("accounts", "User")
    moved = User.objects.get(pk=mixed.pk)
    assert moved.email == "erika.muster@verein.de"
    assert check_password("alt-Passwort-1", moved.password)
    assert list(moved.groups.values_list("name", flat=True)) == ["Altgruppe"]
    kept = User.objects.get(pk=plain.pk)
    assert (kept.email, check_password("kasse-Passwort-2", kept.password)) == ("kasse@kreis.de", True)

    from django.contrib.auth import authenticate

    assert authenticate(username="ERIKA.muster@verein.de", password="alt-Passwort-1").pk == mixed.pk


def test_addresses_differing_only_by_case_stop_the_migration_and_name_both_accounts():
    old = _migrate(BEFORE)
    first = _old_user(old, "foo@x.de")
    second = _old_user(old, "Foo@X.de")
    try:
        with pytest.raises(RuntimeError) as stopped:
            _migrate(AFTER)
        assert f"id {first.pk} (foo@x.de)" in str(stopped.value)
        assert f"id {second.pk} (Foo@X.de)" in str(stopped.value)
        # Nothing changed: both accounts are still there, as they were.
        User = old.get_model("accounts", "User")
        assert sorted(User.objects.values_list("email", flat=True)) == ["Foo@X.de", "foo@x.de"]
    finally:
        old.get_model("accounts", "User").objects.filter(pk=second.pk).delete()
        _migrate(AFTER)
