"""The read log in the Wagtail admin: read-only, for the data-protection role only."""

import pytest
from django.db import connection
from django.urls import NoReverseMatch, reverse

from integration_core.cases.access import case_for_read
from integration_core.models import CaseReadLog, ReadPurpose
from portal.accounts.roles import DATA_PROTECTION, STATISTICS
from tests.factories import UserFactory, role_user
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db
INDEX = "/admin/fallzugriffe/"


@pytest.fixture
def logged(worker):
    case = CaseFactory(case_worker=worker, first_name="Amal", last_name="Haddad")
    case_for_read(user=worker, case_id=case.pk, purpose=ReadPurpose.CASE_VIEW)
    return case


def test_data_protection_sees_the_log_without_client_names(client, logged, worker, django_assert_max_num_queries):
    client.force_login(role_user(DATA_PROTECTION))
    for _ in range(20):
        case_for_read(user=worker, case_id=logged.pk)
    with django_assert_max_num_queries(20):
        response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert logged.number in html
    assert worker.email in html
    assert "Haddad" not in html
    assert "Amal" not in html
    assert "/admin/fallzugriffe/new/" not in html
    assert "/edit/" not in html
    assert "/delete/" not in html
    entry = CaseReadLog.objects.first()
    assert client.get(f"{INDEX}inspect/{entry.pk}/").status_code == 200
    assert client.get(f"{INDEX}?case={logged.pk}").status_code == 200


def test_filters_and_csv_export(client, logged, worker):
    client.force_login(role_user(DATA_PROTECTION))
    other = CaseFactory(case_worker=worker)
    case_for_read(user=worker, case_id=other.pk, purpose=ReadPurpose.CONSENT_WITHDRAW)
    response = client.get(f"{INDEX}?case={other.pk}")
    assert other.number in response.content.decode()
    assert logged.number not in response.content.decode()
    by_purpose = client.get(f"{INDEX}?purpose=consent_withdraw").content.decode()
    assert other.number in by_purpose
    assert logged.number not in by_purpose
    export = client.get(f"{INDEX}?export=csv")
    assert export.status_code == 200
    content = b"".join(export.streaming_content) if export.streaming else export.content
    rows = content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Zeitpunkt")
    # The stored code goes out as its label, in the reader's language.
    assert any("Widerruf erfassen" in row for row in rows[1:])
    assert not any("consent_withdraw" in row for row in rows[1:])


def test_purpose_is_stored_as_code_and_shown_as_label(client, logged, worker):
    client.force_login(role_user(DATA_PROTECTION))
    before = client.get(INDEX).content.decode().count("Teil A bearbeiten")  # the filter's option
    case_for_read(user=worker, case_id=logged.pk, purpose=ReadPurpose.PART_A_EDIT)
    assert set(CaseReadLog.objects.values_list("purpose", flat=True)) == {"case_view", "part_a_edit"}
    html = client.get(INDEX).content.decode()
    assert html.count("Teil A bearbeiten") == before + 1  # the new row shows the label
    assert ">part_a_edit<" not in html
    entry = CaseReadLog.objects.get(purpose=ReadPurpose.PART_A_EDIT)
    assert "Teil A bearbeiten" in client.get(f"{INDEX}inspect/{entry.pk}/").content.decode()


def test_migration_turns_the_old_german_texts_into_codes(logged, worker):
    """Entries written before 0003 held German text; the data migration maps the five the portal wrote."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("integration_core.migrations.0003_casework_fixes")
    if connection.vendor == "postgresql":
        # The data migration ran before the log became append-only (0004); replay it as it ran then.
        with connection.cursor() as cursor:
            # Django's foreign keys are deferred; their pending checks would block the ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE integration_core_casereadlog DISABLE TRIGGER USER")
    old = [CaseReadLog.objects.create(case=logged, user=worker, purpose=text) for text in migration.OLD_TEXTS]
    unknown = CaseReadLog.objects.create(case=logged, user=worker, purpose="Altbestand")
    migration.texts_to_codes(apps, None)
    assert [CaseReadLog.objects.get(pk=e.pk).purpose for e in old] == list(migration.OLD_TEXTS.values())
    assert CaseReadLog.objects.get(pk=unknown.pk).get_purpose_display() == "Altbestand"
    migration.codes_to_texts(apps, None)
    assert CaseReadLog.objects.get(pk=old[2].pk).purpose == "Teil A bearbeiten"


@pytest.mark.parametrize("role", [STATISTICS, "Sachbearbeitung", "Leitung"])
def test_other_staff_roles_are_refused(client, logged, role):
    client.force_login(role_user(role))
    response = client.get(INDEX)
    assert response.status_code in (302, 403)


def test_case_worker_cannot_read_the_log(client, logged, worker):
    client.force_login(worker)
    assert client.get(INDEX).status_code in (302, 403)


def test_nobody_can_add_change_or_delete_entries(client, logged):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(INDEX).status_code == 200
    for name in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"fallzugriffe:{name}", args=[1] if name != "add" else [])
    assert client.get(f"{INDEX}new/").status_code == 404
    entry = CaseReadLog.objects.get()
    assert client.post(f"{INDEX}delete/{entry.pk}/").status_code == 404
    assert CaseReadLog.objects.count() == 1


@pytest.mark.parametrize("role", [DATA_PROTECTION, STATISTICS])
def test_new_staff_roles_reach_the_admin_home(client, role):
    client.force_login(role_user(role))
    assert client.get("/admin/").status_code == 200


def test_providers_and_memberships_are_kept_by_superusers_only(client, logged, worker):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/traeger/").status_code == 200
    response = client.get("/admin/traeger_mitarbeit/")
    assert response.status_code == 200
    assert worker.email in response.content.decode() or worker.get_full_name() in response.content.decode()
    client.force_login(role_user(DATA_PROTECTION))
    assert client.get("/admin/traeger/").status_code in (302, 403)
