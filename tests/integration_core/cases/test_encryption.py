"""Special-category fields (health, disability, residence status) are encrypted at rest."""

import pytest
from django.db import connection

from integration_core.cases.services_parts import competences_save
from integration_core.models import Competences, ResidenceStatus, YesNo
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db

SECRET = {"health_notes": "Diabetes Typ 2, Insulin morgens", "disability": YesNo.YES,
          "disability_marks": "G, B", "residence_status": ResidenceStatus.TOLERATION}


def raw(pk, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM integration_core_competences WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_raw_database_value_is_not_the_plain_text(worker):
    case = CaseFactory(case_worker=worker, with_consent=True)
    competences = competences_save(user=worker, case_id=case.pk, data={**SECRET, "first_language": "Tigrinya"})
    for field, plain in SECRET.items():
        stored = raw(competences.pk, field)
        assert stored, field
        assert plain not in stored, field
        assert stored.startswith("gAAAA")  # a Fernet token
    assert raw(competences.pk, "first_language") == "Tigrinya"  # ordinary fields stay plain
    fresh = Competences.objects.get(pk=competences.pk)
    assert {field: getattr(fresh, field) for field in SECRET} == SECRET
    assert fresh.get_residence_status_display() == "Duldung"


def test_empty_special_fields_are_null(worker):
    case = CaseFactory(case_worker=worker, with_consent=True)
    competences = competences_save(user=worker, case_id=case.pk, data={"health_notes": "", "disability": ""})
    assert raw(competences.pk, "health_notes") is None
    assert raw(competences.pk, "disability") is None


def forget_keys():
    """The package caches the derived keys on each field; drop them so a changed SALT_KEY applies."""
    for field in Competences._meta.concrete_fields:
        for name in ("keys", "f"):
            field.__dict__.pop(name, None)


def test_salt_rotation_keeps_old_data_readable(worker, settings):
    case = CaseFactory(case_worker=worker, with_consent=True)
    competences = competences_save(user=worker, case_id=case.pk, data={"health_notes": "Asthma"})
    old_token = raw(competences.pk, "health_notes")
    settings.SALT_KEY = ["new-salt-2026", *settings.SALT_KEY]
    forget_keys()
    try:
        assert Competences.objects.get(pk=competences.pk).health_notes == "Asthma"  # old salt still decrypts
        from django.core.management import call_command

        call_command("rotate_case_encryption", verbosity=0)
        new_token = raw(competences.pk, "health_notes")
        assert new_token != old_token
        assert Competences.objects.get(pk=competences.pk).health_notes == "Asthma"
    finally:
        settings.SALT_KEY = settings.SALT_KEY[1:]
        forget_keys()


def test_rotation_command_reports_in_words_of_the_reader(worker):
    """Help and output go through gettext (German source, the field labels instead of column names)."""
    from io import StringIO

    from django.core.management import call_command, load_command_class

    case = CaseFactory(case_worker=worker, with_consent=True)
    competences_save(user=worker, case_id=case.pk, data={"health_notes": "Asthma"})
    out = StringIO()
    call_command("rotate_case_encryption", stdout=out)
    assert out.getvalue().startswith("1 Datensatz neu verschlüsselt (aufenthaltsrechtlicher Status, Behinderung, ")
    assert "Gesundheit (Anmerkungen)" in out.getvalue()
    command = load_command_class("integration_core", "rotate_case_encryption")
    assert command.help == "Verschlüsselt die besonders geschützten Falldaten mit dem aktuellen Schlüssel neu."
