"""The staffing key in the admin: calculator, preview, save, list, detail, and the XLSX and PDF as files."""

import io
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.admin.menu import admin_menu

from integration_core.models import Municipality
from programmes.models import AllocationRun
from programmes.runs import staffing_key_save
from tests.factories import MunicipalityFactory, role_user

pytestmark = pytest.mark.django_db
INDEX, CALCULATOR = reverse("stellenschluessel:index"), reverse("stellenschluessel:calculator")


@pytest.fixture
def district():
    return [
        MunicipalityFactory(ags="08115001", name="Aidlingen", population=9_000),
        MunicipalityFactory(ags="08115003", name="Böblingen", population=50_000, is_urban=True),
        MunicipalityFactory(ags="08115010", name="Deckenpfronn", population=3_000),
    ]


@pytest.fixture
def staff(client):
    user = role_user("Sachbearbeitung", first_name="Erika", last_name="Muster")
    client.force_login(user)
    return user


def form_data(municipalities, **overrides):
    data = {"title": "Stellenschlüssel 2026", "total": "10,00", "unit": "FTE", "urban_factor": "1,20",
            "municipalities": [m.pk for m in municipalities], "action": "preview"}
    return {**data, **overrides}


def make_run(district, user=None, **overrides):
    figures = {"title": "Stellenschlüssel 2026", "total": Decimal("282709.99"), "unit": "EUR",
               "urban_factor": Decimal("1.20"), "municipality_ids": [m.pk for m in district]}
    return staffing_key_save(user=user or role_user("Leitung", first_name="Lea", last_name="Leitung"),
                             **{**figures, **overrides})


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


# -- calculator ----------------------------------------------------------------------------------------
def test_the_form_offers_every_municipality_checked_and_accessible(client, staff, district):
    page = client.get(CALCULATOR)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('name="municipalities"') == 3
    assert html.count(" checked") >= 4
    assert '<legend class="w-field__label">Einheit' in html
    assert "Kommunen, auf die verteilt wird" in html
    assert "<legend" in html
    assert 'value="1,20"' in html  # urban factor default, German decimal comma
    assert 'for="id_total"' in html
    assert 'for="id_municipalities"' in html
    assert 'for="id_unit"' in html


def test_staff_previews_in_german_and_nothing_is_stored(client, staff, district):
    response = client.post(CALCULATOR, form_data(district))
    assert response.status_code == 200
    html = response.content.decode()
    table = response.context["table"]
    assert [row.amount for row in table.rows] == [Decimal("1.25"), Decimal("8.33"), Decimal("0.42")]
    for shown in ("1,25 VZÄ", "8,33 VZÄ", "0,42 VZÄ", "10,00 VZÄ", "60.000,00", "83,30 %", "62.000",
                  "Schritt 2 – Verteilung", "Als Lauf speichern", '<th scope="row" class="w-font-normal">Böblingen'):
        assert shown in html, shown
    assert f'name="preview_hash" value="{response.context["preview"].input_hash}"' in html
    assert not AllocationRun.objects.exists()


def test_staff_saves_the_previewed_run_and_lands_on_its_page(client, staff, district):
    preview = client.post(CALCULATOR, form_data(district[:2], total="1.000,50", unit="EUR")).context["preview"]
    response = client.post(CALCULATOR, form_data(district[:2], total="1.000,50", unit="EUR", action="save",
                                                 preview_hash=preview.input_hash), follow=True)
    run = AllocationRun.objects.get()
    assert response.redirect_chain[-1][0] == reverse("stellenschluessel:detail", args=[run.pk])
    assert (run.total, run.unit, run.created_by, run.input_hash) == (Decimal("1000.50"), "EUR", staff,
                                                                     preview.input_hash)
    assert [row["name"] for row in run.inputs] == ["Aidlingen", "Böblingen"]
    html = response.content.decode()
    assert "1.000,50 €" in html
    assert run.input_hash in html
    assert "ist gespeichert" in html


def test_a_stale_preview_is_not_saved_and_the_new_one_is_shown(client, staff, district):
    preview = client.post(CALCULATOR, form_data(district)).context["preview"]
    Municipality.objects.filter(pk=district[0].pk).update(population=9_900)
    response = client.post(CALCULATOR, form_data(district, action="save", preview_hash=preview.input_hash))
    assert response.status_code == 200
    assert not AllocationRun.objects.exists()
    assert "seit der Vorschau geändert" in response.content.decode()
    assert response.context["preview"].input_hash != preview.input_hash


def test_saving_without_a_preview_shows_the_preview_first(client, staff, district):
    response = client.post(CALCULATOR, form_data(district, action="save"))
    assert response.status_code == 200
    assert response.context["preview"]
    assert not AllocationRun.objects.exists()


# -- the unsaved preview as a file -------------------------------------------------------------------------
def test_the_preview_offers_its_downloads(client, staff, district):
    html = client.post(CALCULATOR, form_data(district)).content.decode()
    assert 'name="action" value="xlsx"' in html
    assert 'name="action" value="pdf"' in html


def test_the_unsaved_preview_downloads_as_xlsx_with_its_figures(client, staff, district):
    preview = client.post(CALCULATOR, form_data(district, unit="EUR", total="282.709,99")).context["preview"]
    response = client.post(CALCULATOR, form_data(district, unit="EUR", total="282.709,99", action="xlsx",
                                                 preview_hash=preview.input_hash))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "stellenschluessel-vorschau-" in response["Content-Disposition"]
    assert f"{preview.hash_prefix}.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Verteilung"]
    assert [sheet.cell(row=r, column=1).value for r in (2, 3, 4)] == ["Aidlingen", "Böblingen", "Deckenpfronn"]
    amounts = [Decimal(str(sheet.cell(row=r, column=8).value)) for r in (2, 3, 4)]
    assert amounts == [Decimal(preview.outputs[k]["amount"]) for k in ("08115001", "08115003", "08115010")]
    assert sum(amounts) == Decimal("282709.99")
    labels = {row[0].value: row[1].value for row in workbook["Eingaben"].iter_rows(max_row=13)}
    assert labels["Stand"] == "Vorschau, nicht gespeichert"
    assert labels["Titel"] == "Stellenschlüssel 2026"
    assert labels["Prüfsumme der Eingaben (SHA-256)"] == preview.input_hash
    assert "Schritt 1" in workbook["Rechenweg"]["A2"].value
    assert not AllocationRun.objects.exists()


def test_the_unsaved_preview_downloads_as_pdf_marked_as_preview(client, staff, district):
    preview = client.post(CALCULATOR, form_data(district)).context["preview"]
    response = client.post(CALCULATOR, form_data(district, action="pdf", preview_hash=preview.input_hash))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "stellenschluessel-vorschau-" in response["Content-Disposition"]
    text = text_of(response.content)
    for shown in ("Vorschau, nicht gespeichert", "Erika Muster", "Aidlingen", "Böblingen", "Deckenpfronn",
                  "8,33 VZÄ", "10,00 VZÄ", preview.input_hash[:12], "Rechenweg"):
        assert shown in text, shown
    assert not AllocationRun.objects.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_a_stale_or_missing_preview_is_shown_again_instead_of_downloaded(client, staff, district, fmt):
    preview = client.post(CALCULATOR, form_data(district)).context["preview"]
    Municipality.objects.filter(pk=district[0].pk).update(population=9_900)
    for shown_hash, warned in ((preview.input_hash, True), ("", False)):
        response = client.post(CALCULATOR, form_data(district, action=fmt, preview_hash=shown_hash))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert ("seit der Vorschau geändert" in response.content.decode()) is warned
        assert response.context["preview"].input_hash != preview.input_hash


def test_invalid_input_is_downloaded_nowhere(client, staff, district):
    response = client.post(CALCULATOR, form_data([], total="abc", action="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_invalid_input_is_reported_per_field_with_a_summary(client, staff, district):
    response = client.post(CALCULATOR, form_data([], total="abc", urban_factor="0"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert 'href="#id_total"' in html
    assert 'href="#id_municipalities"' in html
    assert 'href="#id_urban_factor"' in html
    assert "Bitte wählen Sie mindestens eine Kommune aus." in html
    assert 'aria-invalid="true"' in html


def test_municipalities_without_inhabitants_are_a_form_error(client, staff):
    empty = MunicipalityFactory(population=0)
    response = client.post(CALCULATOR, form_data([empty]))
    assert "keine Einwohner" in str(response.context["form"].errors["municipalities"])


# -- who may do what ---------------------------------------------------------------------------------
def test_an_applicant_gets_nowhere(client, district):
    run = make_run(district)
    client.force_login(role_user("Antragsteller"))
    urls = [INDEX, CALCULATOR, *(reverse(f"stellenschluessel:{n}", args=[run.pk]) for n in ("detail", "xlsx", "pdf"))]
    for url in urls:
        assert client.get(url).status_code in (302, 403), url
    assert client.post(CALCULATOR, form_data(district, action="save", preview_hash=run.input_hash)).status_code in (
        302, 403)
    assert AllocationRun.objects.count() == 1


@pytest.mark.parametrize("role", ["Finanzen", "Ausschuss"])
def test_finance_and_committee_look_but_do_not_compute(client, district, role):
    run = make_run(district)
    client.force_login(role_user(role))
    assert client.get(INDEX).status_code == 200
    assert client.get(reverse("stellenschluessel:detail", args=[run.pk])).status_code == 200
    assert client.get(CALCULATOR).status_code == 403
    assert client.post(CALCULATOR, form_data(district, action="save", preview_hash=run.input_hash)).status_code == 403
    assert AllocationRun.objects.count() == 1
    assert "Neue Berechnung" not in client.get(INDEX).content.decode()


def test_an_unknown_run_is_404(client, staff):
    assert client.get(reverse("stellenschluessel:detail", args=[4711])).status_code == 404


@pytest.mark.parametrize(("role", "shown"), [("Sachbearbeitung", True), ("Leitung", True), ("Finanzen", True),
                                             ("Ausschuss", True), ("Antragsteller", False)])
def test_the_menu_entry_follows_the_view_permission(role, shown):
    request = RequestFactory().get("/admin/")
    request.user = role_user(role)
    assert ("stellenschluessel" in {item.name for item in admin_menu.menu_items_for_request(request)}) is shown


# -- list and detail ---------------------------------------------------------------------------------
def test_the_list_shows_each_run_with_date_author_total_unit_and_hash_prefix(client, staff, district):
    run = make_run(district)
    html = client.get(INDEX).content.decode()
    assert run.title in html
    assert "Lea Leitung" in html
    assert "282.709,99" in html
    assert "Euro" in html
    assert f"<code>{run.input_hash[:12]}</code>" in html
    assert reverse("stellenschluessel:detail", args=[run.pk]) in html


def test_the_list_query_count_does_not_grow_with_the_runs(client, staff, district, django_assert_max_num_queries):
    make_run(district)
    with django_assert_max_num_queries(10):
        assert client.get(INDEX).status_code == 200
    for number in range(6):
        make_run(district, title=f"Lauf {number}", user=role_user("Sachbearbeitung"))
    with django_assert_max_num_queries(10):
        assert client.get(INDEX).content.decode().count("<code>") == 7


def test_the_detail_shows_the_table_steps_rules_and_downloads(client, staff, district):
    run = make_run(district)
    response = client.get(reverse("stellenschluessel:detail", args=[run.pk]))
    html = response.content.decode()
    for shown in ("Aidlingen", "Böblingen", "Deckenpfronn", "282.709,99 €", "Summe", "Rechenweg",
                  "zählt sie 1,20-fach", run.input_hash, "<caption", 'scope="col"'):
        assert shown in html, shown
    assert reverse("stellenschluessel:xlsx", args=[run.pk]) in html
    assert reverse("stellenschluessel:pdf", args=[run.pk]) in html


# -- files ---------------------------------------------------------------------------------------------
def test_xlsx_has_typed_cells_formats_frozen_header_sum_formula_and_the_inputs(client, staff, district):
    run = make_run(district)
    response = client.get(reverse("stellenschluessel:xlsx", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"stellenschluessel-{run.created_at:%Y}" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Verteilung"]
    assert [cell.value for cell in sheet[1]] == ["Kommune", "AGS", "Einwohnerzahl", "Stichtag", "städtisch",
                                                 "Gewicht", "Anteil", "Betrag (€)"]
    assert sheet.freeze_panes == "A2"
    boeblingen = list(sheet[3])
    assert boeblingen[0].value == "Böblingen"
    assert boeblingen[1].value == "08115003"
    assert boeblingen[2].value == 50_000
    assert boeblingen[2].number_format == "#,##0"
    assert boeblingen[3].number_format == "DD.MM.YYYY"
    assert boeblingen[3].value.year == 2025
    assert boeblingen[5].value == 60_000
    assert boeblingen[5].number_format == "#,##0.00"
    assert boeblingen[6].value == pytest.approx(0.8333)
    assert boeblingen[6].number_format == "0.00%"
    amounts = [Decimal(str(sheet.cell(row=r, column=8).value)) for r in (2, 3, 4)]
    assert amounts == [Decimal(run.outputs[k]["amount"]) for k in ("08115001", "08115003", "08115010")]
    assert sum(amounts) == Decimal("282709.99")
    assert sheet.cell(row=3, column=8).number_format == '#,##0.00 "€"'
    assert sheet["A5"].value == "Summe"
    assert sheet["H5"].value == "=SUM(H2:H4)"
    assert sheet["C5"].value == "=SUM(C2:C4)"
    inputs = workbook["Eingaben"]
    labels = {row[0].value: row[1].value for row in inputs.iter_rows(max_row=12)}
    assert labels["Prüfsumme der Eingaben (SHA-256)"] == run.input_hash
    assert labels["Zu verteilende Gesamtmenge"] == pytest.approx(282709.99)
    stored = [[cell.value for cell in row] for row in inputs.iter_rows(min_row=15, max_row=17)]
    assert stored[1] == ["08115003", "Böblingen", 50_000, "2025-12-31", "true", "60000.00"]
    assert "Schritt 1" in workbook["Rechenweg"]["A2"].value


def test_xlsx_never_turns_a_name_into_a_formula(client, staff, district):
    MunicipalityFactory(name="=HYPERLINK(\"http://x\")", population=10)
    run = make_run(Municipality.objects.all())
    workbook = load_workbook(io.BytesIO(client.get(reverse("stellenschluessel:xlsx", args=[run.pk])).content))
    names = [row[0] for row in workbook["Verteilung"].iter_rows(min_row=2, max_row=5, values_only=True)]
    assert '=HYPERLINK("http://x")' in names
    assert all(workbook["Verteilung"].cell(row=r, column=1).data_type == "s" for r in range(2, 6))


def test_pdf_names_every_municipality_the_total_in_german_and_the_hash(client, staff, district):
    run = make_run(district)
    response = client.get(reverse("stellenschluessel:pdf", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    for shown in ("Aidlingen", "Böblingen", "Deckenpfronn", "282.709,99 €", run.input_hash[:12], "Seite 1 von 1",
                  "Stellenschlüssel 2026", "Lea Leitung", "zählt sie 1,20-fach", "Rechenweg"):
        assert shown in text, shown
    reader = PdfReader(io.BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape


def test_a_long_pdf_repeats_the_header_and_counts_its_pages(client, staff):
    many = [MunicipalityFactory(name=f"Gemeinde & Söhne {n}", population=1_000 + n) for n in range(80)]
    run = make_run(many, unit="FTE", total=Decimal("40.00"))
    reader = PdfReader(io.BytesIO(client.get(reverse("stellenschluessel:pdf", args=[run.pk])).content))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) >= 2
    assert all(run.input_hash in page for page in pages)
    table_pages = [page for page in pages if "Gemeinde & Söhne" in page]
    assert len(table_pages) >= 2
    assert all("Kommune AGS Einwohnerzahl Stichtag städtisch Gewicht Anteil Stellen (VZÄ)" in page
               for page in table_pages)
    assert f"Seite 2 von {len(pages)}" in pages[1]
    assert "Gemeinde & Söhne 79" in " ".join(pages)
    assert "40,00 VZÄ" in " ".join(pages)
