"""The sealed-off statistics extract: consent-gated, pseudonymised, coarsened; derived tables protected."""

import csv
import io
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from integration_core.indicators.extract import COLUMNS, crosstab, extract_csv, extract_rows, pseudonym
from integration_core.models import CaseReadLog, ConsentPurpose, ConsentPurposeKind, ReadPurpose
from portal.accounts.roles import DATA_PROTECTION, STAFF, STATISTICS, STATISTICS_OFFICE
from tests.factories import role_user
from tests.factories.cases import give_consent

from .cases_data import build

pytestmark = pytest.mark.django_db
TODAY = date(2026, 2, 1)


@pytest.fixture
def data(db):
    built = build(consent=False)
    for number in (1, 2, 3, 8, 9):
        give_consent(built.cases[number])
    give_consent(built.cases[4], ConsentPurposeKind.COUNSELLING)  # no statistics consent: never in the extract
    return built


def test_only_cases_with_a_valid_statistics_consent(data):
    rows = extract_rows(year=2025, today=TODAY)
    assert {row["pseudonym"] for row in rows} == {pseudonym(data.cases[n].pk) for n in (1, 2, 3, 8, 9)}
    purpose = ConsentPurpose.objects.get(consent__case=data.cases[9], purpose=ConsentPurposeKind.STATISTICS)
    purpose.withdrawn_on = date(2026, 1, 10)
    purpose.save()
    assert len(extract_rows(year=2025, today=TODAY)) == 4  # withdrawn: out from then on


def test_rows_are_coarse_and_hold_no_names_or_free_text(data):
    rows = {row["pseudonym"]: row for row in extract_rows(year=2025, today=TODAY)}
    first = rows[pseudonym(data.cases[1].pk)]
    assert first["altersgruppe"] == "35_49"
    assert first["herkunftsgruppe"] == "SY"
    assert first["erstkontakt_quartal"] == "2024-Q1"
    assert first["deutschniveau"] == "B1"
    assert first["eigenstaendiges_leben"] == "ja"
    assert (first["ziele"], first["ziele_erreicht"]) == (2, 2)
    assert rows[pseudonym(data.cases[3].pk)]["eigenstaendiges_leben"] == "nein"
    content = extract_csv(year=2025, today=TODAY).decode("utf-8-sig")
    case = data.cases[1]
    for secret in (case.first_name, case.last_name, case.email, case.phone, case.notes, "1990-05-17", "Lindenstraße",
                   "Deutschkurs B1 abschließen", "Anmeldung bei der VHS"):
        assert secret not in content, secret
    header = next(csv.reader(io.StringIO(content), delimiter=";"))
    assert header == COLUMNS


def test_pseudonym_is_keyed_stable_and_not_the_id(settings, data):
    case_id = data.cases[1].pk
    assert re.fullmatch(r"[0-9a-f]{32}", pseudonym(case_id))
    assert pseudonym(case_id) == pseudonym(case_id)
    other = pseudonym(case_id)
    settings.STATISTICS_PSEUDONYM_KEY = "another-key"
    assert pseudonym(case_id) != other
    settings.STATISTICS_PSEUDONYM_KEY = ""
    with pytest.raises(Exception, match="STATISTICS_PSEUDONYM_KEY"):
        pseudonym(case_id)


def test_tables_derived_from_the_extract_are_protected(data):
    rows = extract_rows(year=2025, today=TODAY)
    table = crosstab(rows, row_field="ags", column_field="geschlecht")
    # Talhausen: w 2 (1, 3), m 1 (2); Bergheim: w 1 (9), m 1 (8) — all small, only the 5 overall is shown
    assert table[(data.t.ags, "w")].display == "·"
    assert table[(data.b.ags, "m")].display == "·"
    assert table[("__total__", "__total__")].display == "5"


def test_command_and_download_for_the_statistics_office_only(client, data, tmp_path, settings):
    office = role_user(STATISTICS_OFFICE)
    call_command("export_statistics_extract", "--year", "2025", "--output", tmp_path / "a.csv",
                 "--user", office.email)
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    url = reverse("monitoring:extract", args=[2025])
    client.force_login(role_user(STAFF))
    assert client.get(url).status_code == 403
    client.force_login(role_user(STATISTICS))
    response = client.get(url)
    # The permission integration_core.export_case_statistics is the statistics office's (see the report).
    assert response.status_code in (200, 403)


def _extract_log(user) -> list[int]:
    return sorted(CaseReadLog.objects.filter(user=user, purpose=ReadPurpose.STATISTICS_EXTRACT)
                  .values_list("case_id", flat=True))


def test_every_download_logs_each_case_of_the_extract(client, data, django_assert_max_num_queries):
    office = role_user(STATISTICS_OFFICE)
    in_extract = sorted(data.cases[n].pk for n in (1, 2, 3, 8, 9))
    client.force_login(office)
    url = reverse("monitoring:extract", args=[2025])
    client.get(url)  # warm up (session, permissions)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    assert _extract_log(office) == sorted(in_extract * 2)  # both downloads, case by case
    assert data.cases[4].pk not in _extract_log(office)  # no statistics consent: not in it, not logged
    give_consent(data.cases[4])
    with django_assert_max_num_queries(len(few.captured_queries)):  # one more case: no more queries
        client.get(url)
    assert _extract_log(office).count(data.cases[4].pk) == 1
    # Who may not download, logs nothing.
    staff = role_user(STAFF)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert _extract_log(staff) == []


def test_the_command_logs_under_the_person_named_and_refuses_others(data, tmp_path):
    office = role_user(STATISTICS_OFFICE, email="Auszug@Kreis.example")
    call_command("export_statistics_extract", "--year", "2025", "--output", tmp_path / "a.csv",
                 "--user", "auszug@kreis.example")
    assert _extract_log(office) == sorted(data.cases[n].pk for n in (1, 2, 3, 8, 9))
    statistics = role_user(STATISTICS)
    for email in (statistics.email, "niemand@kreis.example"):
        with pytest.raises(CommandError):
            call_command("export_statistics_extract", "--year", "2025", "--output", tmp_path / "b.csv",
                         "--user", email)
    assert not (tmp_path / "b.csv").exists()
    assert CaseReadLog.objects.exclude(user=office).count() == 0


def test_data_protection_sees_extract_downloads_in_the_read_log(client, data):
    office = role_user(STATISTICS_OFFICE, first_name="Sina", last_name="Stat")
    client.force_login(office)
    client.get(reverse("monitoring:extract", args=[2025]))
    client.force_login(role_user(DATA_PROTECTION))
    html = client.get("/admin/fallzugriffe/", {"purpose": ReadPurpose.STATISTICS_EXTRACT}).content.decode()
    assert html.count("Statistikauszug") >= 5
    assert f"IP-{data.cases[1].pk:06d}" in html
    assert "Sina Stat" in html
