"""The allocation list of a fixed run as files: PDF text (pypdf) and XLSX reopened cell by cell."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from .helpers import apply, fix_run, municipality

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def run(world):
    return fix_run(world, title="Soforthilfe – Verteilung")


def test_the_pdf_names_every_applicant_with_amount_reason_total_and_hash(client, world, staff, urls, run):
    client.force_login(staff.committee)
    response = client.get(urls.run(run, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"verteilungsliste-SOF-{world.year}-{run.hash_prefix}.pdf" in response["Content-Disposition"]
    text = text_of(response.content)
    for shown in ("Verteilungsliste Soforthilfe", "Soforthilfe – Verteilung", "Erika Sachbearbeiterin",
                  "Adorf", "Bestadt", "Cedorf", "GVV Nord-Süd", "Nordhausen", "Südheim",
                  "20.000,00 €", "60.000,00 €", "100.000,00 €", "31.12.2025", "0,50 VZÄ",
                  "Stellenumfang unter dem Mindestumfang", "Schritt 1 – Förderfähigkeit", run.input_hash[:40],
                  "Seite 1 von"):
        assert shown in text, shown
    for application in world.applications.values():
        assert application.file_number in text


def test_a_long_list_repeats_the_header_on_every_page(client, world, staff):
    for number in range(40):
        apply(world.programme, staff, name=f"Gemeinde {number:02d}", population=1000 + number)
    run = fix_run(world)
    client.force_login(staff.clerk)
    from django.urls import reverse

    reader = PdfReader(io.BytesIO(client.get(reverse("formelzuweisung:pdf", args=(run.pk,))).content))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) >= 3
    table_pages = [page for page in pages if "II-SOF-" in page]  # pages with rows of the table
    assert len(table_pages) >= 2
    assert all("Antragsteller / Aktenzeichen" in page and "Einwohnerzahl" in page for page in table_pages)
    assert f"Seite {len(pages)} von {len(pages)}" in pages[-1]
    assert all(f"Gemeinde {n:02d}" in " ".join(pages) for n in range(40))


def test_the_xlsx_has_typed_cells_a_frozen_header_and_sums_to_the_total_exactly(client, world, staff, urls, run):
    client.force_login(staff.finance)
    response = client.get(urls.run(run, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Verteilungsliste"]
    assert [cell.value for cell in sheet[1]] == [
        "Aktenzeichen", "Antragsteller", "Kommune(n)", "AGS", "Einwohnerzahl", "Größte Stelle (VZÄ)", "Anteil",
        "Betrag (€)", "förderfähig", "Begründung"]
    assert sheet.freeze_panes == "A2"
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2, max_row=5)}
    assert set(rows) == {"Adorf", "Bestadt", "Cedorf", "GVV Nord-Süd"}
    gvv = rows["GVV Nord-Süd"]
    assert gvv[0].value == world["GVV Nord-Süd"].file_number
    assert gvv[2].value == "Nordhausen, Südheim"
    assert gvv[4].value == 10000
    assert gvv[4].number_format == "#,##0"
    assert gvv[5].value == pytest.approx(0.5)
    assert gvv[5].number_format == "0.00"
    assert gvv[6].value == pytest.approx(0.2)
    assert gvv[6].number_format == "0.00%"
    assert gvv[7].value == 20000
    assert gvv[7].number_format == '#,##0.00 "€"'
    assert gvv[8].value == "ja"
    bestadt = rows["Bestadt"]
    assert (bestadt[7].value, bestadt[8].value) == (0, "nein")
    assert bestadt[9].value.startswith("Stellenumfang unter dem Mindestumfang")
    amounts = [Decimal(str(row[7].value)) for row in rows.values()]
    assert all(isinstance(row[7].value, int | float) for row in rows.values())
    assert sum(amounts) == Decimal(str(sheet["H6"].value)) == Decimal("100000.00")
    assert sheet["A6"].value == "Summe"
    assert Decimal(str(sheet["H7"].value)) == run.remainder
    assert Decimal(str(sheet["H8"].value)) + 0 == run.total
    assert sum(amounts) + run.remainder == run.total
    members = [[cell.value for cell in row] for row in workbook["Kommunen"].iter_rows(min_row=2)]
    assert [m[3] for m in members if m[1] == "GVV Nord-Süd"] == ["Nordhausen", "Südheim"]
    details = {row[0].value: row[1].value for row in workbook["Angaben"].iter_rows()}
    assert details["Prüfsumme der Eingaben (SHA-256)"] == run.input_hash
    assert details["Titel des Laufs"] == "Soforthilfe – Verteilung"
    assert details["Stichtag der Einwohnerzahlen"] == "31.12.2025"
    assert details["festgesetzt von"] == "Erika Sachbearbeiterin"
    assert "Schritt 1" in workbook["Rechenweg"]["A2"].value


def test_cents_survive_the_spreadsheet(client, world, staff):
    """282,709.99 € among odd populations: every amount keeps its cents and the sum is exact."""
    from .helpers import soforthilfe_world

    other = soforthilfe_world(pot="282709.99", staff=staff, code="SOC", name="Soforthilfe Cent")
    apply(other.programme, staff, name="Ungeradingen", population=7777)
    run = fix_run(other)
    client.force_login(staff.clerk)
    from django.urls import reverse

    sheet = load_workbook(io.BytesIO(client.get(reverse("formelzuweisung:xlsx", args=(run.pk,))).content)).active
    amounts = {row[0]: Decimal(str(row[7])) for row in sheet.iter_rows(min_row=2, max_row=6, values_only=True)}
    assert amounts == {key: Decimal(out["amount"]) for key, out in run.outputs.items()}
    assert sum(amounts.values()) + run.remainder == Decimal("282709.99")


def test_a_name_never_becomes_a_formula(client, world, staff):
    members = [municipality("=HYPERLINK(\"http://x\")", 500), municipality("Zweitort", 500)]
    apply(world.programme, staff, name="=1+1", members=members)
    run = fix_run(world)
    client.force_login(staff.clerk)
    from django.urls import reverse

    sheet = load_workbook(io.BytesIO(client.get(reverse("formelzuweisung:xlsx", args=(run.pk,))).content)).active
    names = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=2).data_type for r in range(2, 7)}
    assert names["=1+1"] == "s"
