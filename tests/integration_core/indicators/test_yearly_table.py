"""The Kennzahlentabelle: counts per provider, protection, XLSX reopened, CSV parsed, command and download."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from integration_core.indicators.table_files import table_csv, table_xlsx
from integration_core.indicators.yearly_table import build_table
from integration_core.models import GermanLevel, Housing, LabourStatus, PlanStatus, ReportingStatus
from portal.accounts.roles import FINANCE, STATISTICS
from tests.factories import MunicipalityFactory, role_user
from tests.factories.cases import ProviderFactory, case_worker, give_consent

from .cases_data import SIMPLE, build, make_case

pytestmark = pytest.mark.django_db
TODAY = date(2026, 2, 1)


@pytest.fixture
def data(db):
    """The hand-built cases (provider «Diakonie Talhausen») plus twenty simple cases of a second provider."""
    built = build()
    other = case_worker(ProviderFactory(name="Caritas Bergheim"))
    for day in range(1, 21):
        make_case(other, built.b, SIMPLE, date(2025, 3, day), gender="w", born=1990)
    ReportingStatus.objects.create(case=built.cases[1], reporting_date=date(2025, 6, 30),
                                   status=PlanStatus.ABORTED, recorded_by=built.worker)
    ReportingStatus.objects.create(case=built.cases[1], reporting_date=date(2025, 12, 31),
                                   status=PlanStatus.IN_PROGRESS, recorded_by=built.worker)
    return built


def _row(table, group_start, label):
    return next(r for r in table.rows if r.group.startswith(group_start) and r.label == label)


def test_counts_per_provider_with_protection(data):
    table = build_table(2025, today=TODAY)
    assert table.providers == ["Caritas Bergheim", "Diakonie Talhausen"]
    # Active in 2025, Diakonie: full 1, 6, 9 (3) · simple 2, 3, 8 (3; 5 ended 2024, 7 starts 2026) · one-off 4 (1)
    #               Caritas  Diakonie  district
    # one-off            0        1         1      primary: both 1s
    # simple            20        3        23
    # full               0        3         3
    # together          20        7        27
    # Column Diakonie: its 1 alone → simple 3 (first of the two 3s). Column district: 1 alone → full 3.
    # Row simple: Diakonie's 3 alone → Caritas 20; column Caritas: 20 alone over zeros → its total 20;
    # row «together»: Caritas 20 alone → Diakonie 7; row full: a hidden district 3 over shown parts 0 + 3
    # would be recomputed by addition → Diakonie's 3 goes too.
    simple = _row(table, "Fälle im Berichtsjahr", "Einfache Beratung")
    assert [c.value for c in simple.cells] == [20, 3, 23]
    assert simple.display == ["·", "·", "23"]
    assert _row(table, "Fälle im Berichtsjahr", "Einmalige Anfrage").display == ["0", "·", "·"]
    assert _row(table, "Fälle im Berichtsjahr", "Ausführliche Fallsteuerung").display == ["0", "·", "·"]
    assert _row(table, "Fälle im Berichtsjahr", "zusammen").display == ["·", "·", "27"]
    # status at the last reporting date of 2025: case 1 «in progress» (the June «aborted» is superseded)
    status = _row(table, "Stand zum letzten Stichtag", "befindet sich in der Umsetzung")
    assert status.cells[1].value == 1
    assert status.display[1] == "·"
    assert _row(table, "Stand zum letzten Stichtag", "kam nicht zustande / Abbruch").cells[1].value == 0


def test_independent_living_share_row(data):
    table = build_table(2025, today=TODAY)
    with_a = _row(table, "„Eigenständiges Leben“", "Fälle mit Teil A")
    reached = _row(table, "„Eigenständiges Leben“", "davon eigenständiges Leben erreicht")
    share = _row(table, "„Eigenständiges Leben“", "Anteil in %")
    # Diakonie: open at 31.12. with Part A: 1, 2, 3, 8, 9 → 3 reached (1, 2, 8); Caritas: 20 without Part A
    assert [c.value for c in with_a.cells] == [0, 5, 5]
    assert [c.value for c in reached.cells] == [0, 3, 3]
    assert share.display[1] == "·"  # complement 2 is small


def test_xlsx_is_typed_and_protected(data):
    workbook = load_workbook(io.BytesIO(table_xlsx(build_table(2025, today=TODAY))))
    sheet = workbook["Kennzahlen"]
    assert [c.value for c in sheet[1]] == ["Gruppe", "Kennzahl", "Caritas Bergheim", "Diakonie Talhausen",
                                           "Landkreis gesamt"]
    rows = {(r[0].value, r[1].value): r for r in sheet.iter_rows(min_row=2)}
    simple = rows[("Fälle im Berichtsjahr nach Art der Beratung", "Einfache Beratung")]
    assert [c.value for c in simple[2:]] == ["·", "·", 23]
    assert simple[4].data_type == "n"
    together = rows[("Fälle im Berichtsjahr nach Art der Beratung", "zusammen")]
    assert together[4].value == 27
    assert together[4].number_format == "#,##0"
    one_off = rows[("Fälle im Berichtsjahr nach Art der Beratung", "Einmalige Anfrage")]
    assert [c.value for c in one_off[2:]] == [0, "·", "·"]
    assert "Hinweise" in workbook.sheetnames


def test_csv_has_bom_semicolons_and_decimal_comma(data):
    content = table_csv(build_table(2025, today=TODAY))
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Gruppe", "Kennzahl"]
    simple = next(r for r in rows if r[1] == "Einfache Beratung")
    assert simple[2:] == ["·", "·", "23"]
    share = next(r for r in rows if r[1] == "Anteil in %")
    assert share[4] == "·"


def test_csv_decimal_comma_on_a_shown_share(db):
    worker = case_worker(ProviderFactory(name="Kreis"))
    town = MunicipalityFactory(name="Ort")

    for index in range(8):
        part_a = ((GermanLevel.B1, LabourStatus.MINIJOB, Housing.OWN_FLAT) if index < 3
                  else (GermanLevel.A1, LabourStatus.UNEMPLOYED, Housing.SHARED))
        give_consent(make_case(worker, town, SIMPLE, date(2025, 1, 1 + index), part_a=part_a))
    rows = list(csv.reader(io.StringIO(table_csv(build_table(2025, today=TODAY)).decode("utf-8-sig")), delimiter=";"))
    share = next(r for r in rows if r[1] == "Anteil in %")
    assert share[2:] == ["37,5", "37,5"]  # 3 of 8


def test_command_writes_both_formats(data, tmp_path):
    call_command("export_indicator_table", "--year", "2025", "--format", "xlsx", "--output", tmp_path / "k.xlsx")
    call_command("export_indicator_table", "--year", "2025", "--format", "csv", "--output", str(tmp_path / "k.csv"))
    assert load_workbook(tmp_path / "k.xlsx")["Kennzahlen"]["A1"].value == "Gruppe"
    assert (tmp_path / "k.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(CommandError):
        call_command("export_indicator_table", "--year", "1850", "--format", "csv", "--output", tmp_path / "x.csv")
    with pytest.raises(CommandError):
        call_command("export_indicator_table", "--year", "2025", "--format", "csv", "--output",
                     tmp_path / "missing" / "x.csv")


def test_staff_page_and_downloads(client, data):
    client.force_login(role_user(STATISTICS))
    page = client.get(reverse("monitoring:table"), {"jahr": 2025})
    assert page.status_code == 200
    assert "Caritas Bergheim" in page.content.decode()
    xlsx = client.get(reverse("monitoring:table_xlsx", args=[2025]))
    assert xlsx["Content-Disposition"] == 'attachment; filename="kennzahlentabelle-2025.xlsx"'
    assert load_workbook(io.BytesIO(xlsx.content))["Kennzahlen"]["C1"].value == "Caritas Bergheim"
    assert client.get(reverse("monitoring:table_csv", args=[2025])).content.startswith(b"\xef\xbb\xbf")
    client.force_login(role_user(FINANCE))
    assert client.get(reverse("monitoring:table_xlsx", args=[2025])).status_code == 403
