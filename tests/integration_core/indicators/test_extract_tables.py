"""Protected tables derived from the statistics extract: command and download, files reopened; bad years are 404."""

import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from integration_core.indicators.extract_tables import DERIVED, build_tables
from integration_core.indicators.views import EXPORT_EXTRACT
from portal.accounts.roles import STAFF, STATISTICS
from tests.factories import role_user
from tests.factories.cases import give_consent

from .cases_data import build

pytestmark = pytest.mark.django_db
TODAY = date(2026, 2, 1)


@pytest.fixture
def data(db):
    """In the 2025 extract (statistics consent): Talhausen 1 (w), 2 (m), 3 (w); Bergheim 8 (m), 9 (w)."""
    built = build(consent=False)
    for number in (1, 2, 3, 8, 9):
        give_consent(built.cases[number])
    return built


@pytest.fixture
def office(db):
    """A staff user holding the extract's permission (whichever role will carry it)."""
    user = role_user(STAFF)
    app_label, codename = EXPORT_EXTRACT.split(".")
    user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return type(user).objects.get(pk=user.pk)


def _expected(data) -> dict:
    #            m   w |  Σ     All four cells are small; Bergheim's 2 and the men's 2 too. Column Σ then has
    # Talhausen  1   2 |  3     Bergheim's 2 alone: Talhausen's 3 goes; row Σ: the women's 3 goes with the men's
    # Bergheim   1   1 |  2     2. Only the 5 overall is left.
    # Σ          2   3 |  5
    rows = sorted([data.t.ags, data.b.ags])
    return {rows[0]: ["·", "·", "·"], rows[1]: ["·", "·", "·"], "gesamt": ["·", "·", 5]}


def test_every_table_is_protected(data):
    tables = {table.name: table for table in build_tables(year=2025, today=TODAY)}
    assert list(tables) == [name for name, *_rest in DERIVED]
    by_gender = tables["ags_geschlecht"]
    assert by_gender.heading() == ["ags \\ geschlecht", "m", "w", "gesamt"]
    assert dict(by_gender.lines()) == _expected(data)
    for table in tables.values():
        for label, cells in table.lines():
            for value in cells:
                assert value == "·" or value == 0 or value >= 3, (table.name, label, cells)


def test_command_writes_xlsx_that_reopens_with_hidden_cells(data, tmp_path):
    call_command("export_statistics_tables", "--year", "2025", "--output", tmp_path / "t.xlsx")
    workbook = load_workbook(tmp_path / "t.xlsx")
    assert workbook.sheetnames == ["Hinweise", *(name for name, *_rest in DERIVED)]
    sheet = workbook["ags_geschlecht"]
    assert sheet["A1"].value == "Fälle nach Kommune (AGS) und Geschlecht"
    assert [c.value for c in sheet[3]] == ["ags \\ geschlecht", "m", "w", "gesamt"]
    rows = {row[0].value: [c.value for c in row[1:]] for row in sheet.iter_rows(min_row=4)}
    assert rows == _expected(data)
    total = sheet.cell(row=6, column=4)
    assert (total.value, total.data_type) == (5, "n")
    assert sheet.cell(row=6, column=2).data_type == "s"  # "·" as text


def test_command_writes_csv_by_the_file_name_or_the_format(data, tmp_path):
    call_command("export_statistics_tables", "--year", "2025", "--output", tmp_path / "t.csv")
    call_command("export_statistics_tables", "--year", "2025", "--format", "csv", "--output", tmp_path / "t.txt")
    content = (tmp_path / "t.csv").read_bytes()
    assert content == (tmp_path / "t.txt").read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    start = rows.index(["Fälle nach Kommune (AGS) und Geschlecht"])
    assert rows[start + 1] == ["ags \\ geschlecht", "m", "w", "gesamt"]
    expected = {label: [str(v) for v in cells] for label, cells in _expected(data).items()}
    assert {row[0]: row[1:] for row in rows[start + 2:start + 5]} == expected


def test_command_refuses_bad_years_and_folders(data, tmp_path):
    with pytest.raises(CommandError, match="nicht plausibel"):
        call_command("export_statistics_tables", "--year", "1999", "--output", tmp_path / "t.xlsx")
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("export_statistics_tables", "--year", "2025", "--output", tmp_path / "no" / "t.xlsx")


def test_an_empty_year_gives_tables_that_say_so(db, tmp_path):
    call_command("export_statistics_tables", "--year", "2024", "--output", tmp_path / "t.xlsx")
    assert load_workbook(tmp_path / "t.xlsx")["ags_geschlecht"]["A4"].value == "Keine Fälle im Auszug."


def test_download_needs_the_extract_permission(client, data, office):
    url = reverse("monitoring:statistics_tables_xlsx", args=[2025])
    client.force_login(role_user(STAFF))
    assert client.get(url).status_code == 403
    client.force_login(office)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="statistiktabellen-2025.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content))["ags_geschlecht"]
    assert {row[0].value: [c.value for c in row[1:]] for row in sheet.iter_rows(min_row=4)} == _expected(data)
    csv_response = client.get(reverse("monitoring:statistics_tables_csv", args=[2025]))
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    table_page = client.get(reverse("monitoring:table"), {"jahr": 2025}).content.decode()
    assert reverse("monitoring:statistics_tables_xlsx", args=[2025]) in table_page


@pytest.mark.parametrize("name", ["table_xlsx", "table_csv", "extract", "statistics_tables_xlsx",
                                  "statistics_tables_csv"])
@pytest.mark.parametrize("year", [99999, 1999, 2101])
def test_a_year_outside_2000_to_2100_is_not_found(client, office, name, year):
    client.force_login(office)
    assert client.get(reverse(f"monitoring:{name}", args=[year])).status_code == 404


def test_the_bounds_themselves_are_years(client, office):
    client.force_login(office)
    assert client.get(reverse("monitoring:table_csv", args=[2000])).status_code == 200
    assert client.get(reverse("monitoring:extract", args=[2100])).status_code == 200


def test_statistics_role_reaches_the_yearly_table_file(client):
    client.force_login(role_user(STATISTICS))
    assert client.get(reverse("monitoring:table_csv", args=[99999])).status_code == 404
