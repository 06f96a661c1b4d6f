"""The read log in the Wagtail admin: read-only, for the data-protection role only."""

import pytest
from django.urls import NoReverseMatch, reverse

from integration_core.cases.access import case_for_read
from integration_core.models import CaseReadLog
from portal.accounts.roles import DATA_PROTECTION, STATISTICS
from tests.factories import UserFactory, role_user
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db
INDEX = "/admin/fallzugriffe/"


@pytest.fixture
def logged(worker):
    case = CaseFactory(case_worker=worker, first_name="Amal", last_name="Haddad")
    case_for_read(user=worker, case_id=case.pk, purpose="Fallansicht")
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
    case_for_read(user=worker, case_id=other.pk, purpose="PDF")
    response = client.get(f"{INDEX}?case={other.pk}")
    assert other.number in response.content.decode()
    assert logged.number not in response.content.decode()
    export = client.get(f"{INDEX}?export=csv")
    assert export.status_code == 200
    content = b"".join(export.streaming_content) if export.streaming else export.content
    rows = content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Zeitpunkt")
    assert any("PDF" in row for row in rows[1:])


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
