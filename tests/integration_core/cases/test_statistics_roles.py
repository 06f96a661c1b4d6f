"""Statistics staff see aggregated, protected figures only; the row-level pseudonymised extract is for
the statistics office («Statistikstelle»). Per role: may / may not download the extract."""

import pytest
from django.urls import reverse
from django.utils import timezone

from integration_core.models import ConsentPurposeKind, CounsellingType
from portal.accounts.roles import (
    CASE_LEAD,
    CASE_WORKER,
    DATA_PROTECTION,
    FINANCE,
    HEAD,
    ROLE_LABELS,
    ROLE_PERMISSIONS,
    STAFF,
    STATISTICS,
    STATISTICS_OFFICE,
)
from tests.factories import role_user
from tests.factories.cases import CaseFactory, give_consent

pytestmark = pytest.mark.django_db
EXPORT = "integration_core.export_case_statistics"
VIEW = "integration_core.view_case_statistics"


@pytest.fixture
def extract_url(worker):
    case = CaseFactory(case_worker=worker, counselling_type=CounsellingType.SIMPLE, last_name="Haddad")
    give_consent(case, ConsentPurposeKind.STATISTICS)
    return reverse("monitoring:extract", args=[timezone.localdate().year])


def test_only_the_statistics_office_holds_the_extract_permission():
    assert [role for role, codes in ROLE_PERMISSIONS.items() if EXPORT in codes] == [STATISTICS_OFFICE]
    assert VIEW in ROLE_PERMISSIONS[STATISTICS]
    assert VIEW in ROLE_PERMISSIONS[STATISTICS_OFFICE]  # reaches the table page that links the download
    assert str(ROLE_LABELS[STATISTICS_OFFICE]) == "Statistikstelle (pseudonymisierter Auszug)"


def test_statistics_office_downloads_the_extract(client, extract_url):
    client.force_login(role_user(STATISTICS_OFFICE))
    response = client.get(extract_url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    assert text.startswith("pseudonym;") or text.startswith("pseudonym,")
    assert len(text.strip().splitlines()) == 2  # the header and the one consenting case
    assert "Haddad" not in text


@pytest.mark.parametrize("role", [STATISTICS, STAFF, HEAD, FINANCE, DATA_PROTECTION, CASE_WORKER, CASE_LEAD])
def test_other_roles_may_not_download_the_extract(client, extract_url, role):
    client.force_login(role_user(role))
    response = client.get(extract_url)
    assert response.status_code in (302, 403)
    assert b"pseudonym" not in response.content


@pytest.mark.parametrize(("role", "offered"), [(STATISTICS, False), (STATISTICS_OFFICE, True)])
def test_statistics_sees_the_aggregated_table_without_the_extract_link(client, extract_url, role, offered):
    client.force_login(role_user(role))
    response = client.get(reverse("monitoring:table"))
    assert response.status_code == 200
    assert ("statistikauszug" in response.content.decode()) is offered
