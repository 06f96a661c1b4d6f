"""The approval list (PDF, XLSX, CSV) and the minutes of a meeting, checked as files.

XLSX reopened with openpyxl (typed cells, € format, dates, frozen header, sums as formulas that add up),
CSV parsed (BOM, «;», decimal comma), PDF text extracted with pypdf; the three formats agree in content
and order; the queries do not grow with the number of items.
"""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from grants.committee_exports import approval_export, minutes_export
from grants.committee_exports.csv import approval_csv
from grants.committee_exports.filenames import approval_filename, minutes_filename
from grants.committee_exports.minutes import minutes_pdf
from grants.committee_exports.pdf import approval_pdf
from grants.committee_exports.table import approval_table, column_headings
from grants.committee_exports.xlsx import approval_xlsx
from grants.models import Meeting
from grants.services.committee import Decision, agenda_add, agenda_freeze, attendance_record, conflict_declare
from grants.services.committee_decisions import meeting_record_decisions
from tests.factories import MunicipalityFactory

from .builder import People, application, lotsen_programme, meeting, projects_programme

pytestmark = pytest.mark.django_db
DAY = timezone.localdate()  # the budgets are the current year's; a meeting today fits them and the resolution


@pytest.fixture
def people():
    return People()


def frozen_meeting(people, *, lotsen: int = 2, projects: int = 2, day: date = DAY) -> Meeting:
    """A frozen agenda over both programmes; the first item has a declared conflict of interest."""
    lot, prj = lotsen_programme(budget_part="TH 5 Soziales"), projects_programme(
        budget_part="TH 5 Soziales", product_group="31.50 Integration", product="31.50.02 Integrationsprojekte")
    apps = [application(lot, people, municipality=MunicipalityFactory(name=f"Lotsenstadt {i}"),
                        title=f"Integrationslotsen Lotsenstadt {i}",
                        conditions="Schulung der Lotsen nachweisen." if i == 1 else "") for i in range(lotsen)]
    apps += [application(prj, people, costs="6500.00", own="500.00", title=f"Nachbarschaftsfest {i}",
                         conditions="Teilnahmelisten führen." if i == 0 else "") for i in range(projects)]
    m = meeting(people, day)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[a.pk for a in apps])
    first = m.items.order_by("position").first()
    conflict_declare(user=people.staff, item_id=first.pk, member_id=m.members.get(name="Anna Rat").pk,
                     reason="board", note="Vorsitzende des Vereins")
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    return Meeting.objects.get(pk=m.pk)


@pytest.fixture
def frozen(people):
    return frozen_meeting(people)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def german(value: Decimal) -> str:
    """10.000,00 € as the PDF prints it."""
    whole, cents = f"{value:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + f",{cents} €"


# --- a tiny evaluator for the formulas the workbook holds: =SUM(F10:F12), ='Sheet'!H5, =H7-H5 ----------------


def cell_value(workbook, sheet: str, ref: str) -> Decimal:
    value = workbook[sheet][ref].value
    if isinstance(value, str) and value.startswith("="):
        return formula_value(workbook, sheet, value[1:])
    return Decimal(str(value))


def formula_value(workbook, sheet: str, formula: str) -> Decimal:
    if match := re.fullmatch(r"SUM\(([A-Z]+\d+):([A-Z]+\d+)\)", formula):
        cells = [c for row in workbook[sheet][f"{match[1]}:{match[2]}"] for c in row]
        return sum((cell_value(workbook, sheet, c.coordinate) for c in cells), Decimal("0"))
    if match := re.fullmatch(r"'?([^'!]+)'?!([A-Z]+\d+)", formula):
        return cell_value(workbook, match[1], match[2])
    if match := re.fullmatch(r"([A-Z]+\d+)-([A-Z]+\d+)", formula):
        return cell_value(workbook, sheet, match[1]) - cell_value(workbook, sheet, match[2])
    raise AssertionError(f"unerwartete Formel {formula}")


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_the_table_comes_from_the_snapshots_in_agenda_order(people, frozen):
    table = approval_table(frozen)
    assert [s.programme for s in table.sections] == ["Integrationslotsen", "Integrationsprojekte"]
    assert [r.number for r in table.rows] == [1, 2, 3, 4]
    first = table.rows[0]
    assert first.recommended == Decimal("10000.00")
    assert isinstance(first.recommended, Decimal)
    assert first.total_costs == Decimal("20000.00")
    assert first.cofinancing == Decimal("10000.00")
    assert first.municipality == "Lotsenstadt 0"
    assert first.justification.startswith("Bewährtes Lotsenprojekt")
    assert [c.member for c in first.conflicts] == ["Anna Rat"]
    lotsen, projects = table.sections
    assert lotsen.recommended == Decimal("20000.00")
    assert lotsen.remaining_after == Decimal("180000.00")
    assert projects.recommended == Decimal("12000.00")
    assert projects.remaining_after == Decimal("88000.00")
    assert table.recommended == Decimal("32000.00")
    assert table.remaining_after == Decimal("268000.00")
    assert lotsen.budget_reference_text == "Teilhaushalt TH 5 Soziales · Produktgruppe 31.50 Integration · " \
                                           "Produkt 31.50.01 Integrationsförderung"
    # What the committee read stays, whatever happens to the application afterwards.
    item = frozen.items.get(position=1)
    item.application.title = "geändert"
    item.application.save()
    assert approval_table(frozen).rows[0].title == "Integrationslotsen Lotsenstadt 0"


def test_an_agenda_that_is_not_frozen_is_refused_in_german(people):
    m = meeting(people, DAY)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[application(projects_programme(), people,
                                                                                costs="6000.00", own="0.00").pk])
    for build in (approval_table, approval_pdf, approval_xlsx, approval_csv):
        with pytest.raises(ValidationError) as error:
            build(m)
        assert "festgeschrieben" in str(error.value)
    with pytest.raises(ValidationError) as error:
        approval_export(m, "docx")
    assert "Unbekanntes Format" in str(error.value)


def test_xlsx_has_typed_cells_a_frozen_header_and_sums_as_formulas(people, frozen):
    table = approval_table(frozen)
    workbook = load_workbook(io.BytesIO(approval_xlsx(frozen)))
    assert workbook.sheetnames == ["Übersicht", "Integrationslotsen", "Integrationsprojekte"]
    for section in table.sections:
        sheet = workbook[section.programme]
        header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Nr. (TOP)")
        assert sheet.freeze_panes == f"A{header + 1}"
        assert sheet.cell(header, 8).value == "Empfohlener Betrag (€)"
        meeting_day = sheet.cell(4, 3).value
        assert isinstance(meeting_day, datetime)
        assert meeting_day.date() == DAY
        assert sheet.cell(4, 3).is_date
        for offset, row in enumerate(section.rows, start=header + 1):
            assert sheet.cell(offset, 1).value == row.number
            assert sheet.cell(offset, 3).value == row.applicant
            for column, expected in ((6, row.total_costs), (7, row.cofinancing), (8, row.recommended)):
                cell = sheet.cell(offset, column)
                assert isinstance(cell.value, int | float)
                assert money(cell.value) == expected
                assert "€" in cell.number_format
                assert cell.number_format.startswith("#,##0.00")
        total = header + len(section.rows) + 1
        assert sheet.cell(total, 8).value.startswith("=SUM(")
        assert cell_value(workbook, section.programme, f"H{total}") == section.recommended
        assert cell_value(workbook, section.programme, f"F{total}") == section.total_costs
        assert cell_value(workbook, section.programme, f"G{total}") == section.cofinancing
        assert sheet.cell(total + 3, 8).value.startswith("=")
        assert cell_value(workbook, section.programme, f"H{total + 3}") == section.remaining_after
    overview = workbook["Übersicht"]
    total_row = next(r for r in range(1, 40) if overview.cell(r, 1).value == "Gesamtsumme")
    assert overview.cell(total_row, 5).value.startswith("=SUM(")
    assert cell_value(workbook, "Übersicht", f"E{total_row}") == table.recommended == Decimal("32000.00")
    assert cell_value(workbook, "Übersicht", f"G{total_row}") == table.remaining_after
    texts = [c.value for row in overview.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Anna Rat" in texts
    assert "Drucksache Nr. SOZ/2026/014" in texts


def test_csv_is_german_spreadsheet_ready_with_marked_sums(people, frozen):
    table = approval_table(frozen)
    rows = csv_rows(approval_csv(frozen))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Zeile", "Förderprogramm", "Nr. (TOP)", "Aktenzeichen"]
    assert header[-3:] == ["Befangenheit", "noch verfügbar (€)", "verbleibend nach Bewilligung (€)"]
    assert all(len(r) == len(header) for r in body)
    items = [r for r in body if r[0] == "TOP"]
    assert [r[4] for r in items] == [r.applicant for r in table.rows]
    assert items[0][9] == "10000,00"
    assert items[0][7] == "20000,00"
    assert [r[11] for r in items] == ["", "Schulung der Lotsen nachweisen.", "Teilnahmelisten führen.", ""]
    assert "Anna Rat" in items[0][12]
    sums = [r for r in body if r[0] == "Summe"]
    assert [(r[1], r[9], r[14]) for r in sums] == [("Integrationslotsen", "20000,00", "180000,00"),
                                                   ("Integrationsprojekte", "12000,00", "88000,00")]
    assert body[-1][0] == "Gesamtsumme"
    assert body[-1][9] == "32000,00"
    assert body[-1][14] == "268000,00"
    assert [r[0] for r in body] == ["TOP", "TOP", "Summe", "TOP", "TOP", "Summe", "Gesamtsumme"]


def test_pdf_reads_like_a_committee_paper(people, frozen):
    table = approval_table(frozen)
    text = pdf_text(approval_pdf(frozen))
    for row in table.rows:
        assert row.applicant in text
        assert row.file_number in text
    amounts = [german(Decimal(v)) for v in ("20000.00", "12000.00", "32000.00", "180000.00", "268000.00")]
    for expected in ("Seite 1 von", "Drucksache Nr. SOZ/2026/014", "Sozialausschuss", "öffentlich",
                     f"Sitzung am {DAY:%d.%m.%Y}", "TH 5 Soziales", "31.50 Integration",
                     "31.50.01 Integrationsförderung", "31.50.02 Integrationsprojekte", *amounts,
                     "Erklärte Befangenheiten", "Anna Rat", "Beschluss", "wie vorgeschlagen"):
        assert expected in text, expected


def test_a_long_list_repeats_the_header_on_every_page(people):
    m = frozen_meeting(people, lotsen=2, projects=28)
    reader = PdfReader(io.BytesIO(approval_pdf(m)))
    assert len(reader.pages) >= 3
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert f"Seite 1 von {len(pages)}" in pages[0]
    assert f"Seite {len(pages)} von {len(pages)}" in pages[-1]
    table_pages = [page for page in pages if "Nachbarschaftsfest" in page]
    assert len(table_pages) >= 2
    assert all("Kurzbegründung" in page for page in table_pages)


AMOUNTS = (5, 6, 7)  # total costs, co-financing, recommended in the list's columns


def canonical(cells) -> tuple[str, ...]:
    """One row's columns as comparable text: the number, amounts to the cent, text (empty for no text)."""
    values = []
    for index, value in enumerate(cells):
        if index in AMOUNTS:
            value = money(str(value).replace(",", ".")) if value not in (None, "") else None
        values.append("" if value is None else str(value))
    return tuple(values)


def test_the_three_formats_agree_in_content_and_order(people, frozen):
    """Every column of every row: XLSX cells, CSV fields and the table agree; the PDF shows each value in its row."""
    table = approval_table(frozen)
    assert any(r.conditions for r in table.rows)  # no column left empty
    assert any(r.conflicts for r in table.rows)
    expected = [canonical([r.number, r.file_number, r.applicant, r.municipality, r.title, r.total_costs,
                           r.cofinancing, r.recommended, r.justification, r.conditions, r.conflicts_display])
                for r in table.rows]
    columns = len(column_headings())
    workbook = load_workbook(io.BytesIO(approval_xlsx(frozen)))
    from_xlsx = []
    for section in table.sections:
        sheet = workbook[section.programme]
        header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Nr. (TOP)")
        assert [sheet.cell(header, c).value for c in range(1, columns + 1)] == column_headings()
        from_xlsx += [canonical(sheet.cell(r, c).value for c in range(1, columns + 1))
                      for r in range(header + 1, header + 1 + len(section.rows))]
    rows = csv_rows(approval_csv(frozen))
    assert rows[0][2:2 + columns] == column_headings()
    from_csv = [canonical(r[2:2 + columns]) for r in rows if r[0] == "TOP"]
    assert from_xlsx == from_csv == expected
    text = pdf_text(approval_pdf(frozen))
    starts = [text.index(f"{r.applicant} {r.file_number}") for r in table.rows]
    assert starts == sorted(starts)
    for row, start, end in zip(table.rows, starts, [*starts[1:], len(text)], strict=True):
        segment = text[start:end]  # the row's cells, as the PDF prints them
        shown = [row.municipality, row.title, *(german(v) for v in (row.total_costs, row.cofinancing,
                                                                     row.recommended)), row.justification,
                 *([f"Auflagen: {row.conditions}"] if row.conditions else []),
                 *([f"Befangen: {', '.join(c.member for c in row.conflicts)}"] if row.conflicts else [])]
        for value in shown:
            assert value in segment, (row.number, value)


def test_the_demo_budget_line_prints_its_label_once(people):
    """The seeded Teilhaushalt is the value only: «Teilhaushalt 5 – Soziales», never the label twice."""
    from portal.demo.build import build_programmes

    seeded = build_programmes()["LOT"]  # its budget line, on a programme the test applications fit
    lot = lotsen_programme(code="LTD", budget_part=seeded.budget_part, product_group=seeded.product_group,
                           product=seeded.product)
    m = meeting(people, DAY)
    agenda_add(user=people.staff, meeting_id=m.pk, application_ids=[application(lot, people).pk])
    agenda_freeze(user=people.staff, meeting_id=m.pk)
    m = Meeting.objects.get(pk=m.pk)
    assert approval_table(m).sections[0].budget_reference_text.startswith("Teilhaushalt 5 – Soziales · ")
    workbook = load_workbook(io.BytesIO(approval_xlsx(m)))
    texts = [c.value for row in workbook[workbook.sheetnames[1]].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Teilhaushalt 5 – Soziales") for t in texts)
    for printed in (pdf_text(approval_pdf(m)), " ".join(texts)):
        assert "Teilhaushalt 5 – Soziales" in printed
        assert "Teilhaushalt Teilhaushalt" not in printed


def _queries(build, m) -> int:
    with CaptureQueriesContext(connection) as captured:
        build(Meeting.objects.get(pk=m.pk))
    return len(captured.captured_queries) - 1  # less the meeting itself


def test_queries_do_not_grow_with_the_items(people, django_assert_max_num_queries):
    small, large = frozen_meeting(people, lotsen=1, projects=2), frozen_meeting(people, lotsen=10, projects=20)
    for build in (approval_table, approval_pdf, approval_xlsx, approval_csv):
        assert _queries(build, small) == _queries(build, large)
        with django_assert_max_num_queries(5):
            build(large)


def test_file_names_are_ascii_with_committee_and_date(people, frozen):
    assert approval_filename(frozen, "pdf") == f"Beschlussvorlage-Sozialausschuss-{DAY:%Y-%m-%d}.pdf"
    assert minutes_filename(frozen) == f"Niederschrift-Sozialausschuss-{DAY:%Y-%m-%d}.pdf"
    frozen.committee = "Ausschuss für Soziales & Gesundheit"
    assert approval_filename(frozen, "xlsx").startswith("Beschlussvorlage-Ausschuss-fuer-Soziales-Gesundheit-")
    export = approval_export(frozen, "csv")
    assert export.filename.endswith(".csv")
    assert export.content_type.startswith("text/csv")


def _decide(people, m: Meeting) -> Meeting:
    items = list(m.items.order_by("position"))
    members = {mm.name: mm.pk for mm in m.members.all()}
    attendance_record(user=people.staff, meeting_id=m.pk, present_member_ids=[members["Anna Rat"],
                                                                              members["Bert Rat"]])
    decisions = [Decision(items[0].pk, "approved", votes_yes=1, votes_no=0, votes_abstain=0),
                 Decision(items[1].pk, "approved_changed", amount=Decimal("8000.00"), note="Sachkosten gekürzt"),
                 Decision(items[2].pk, "rejected", note="Finanzierung nicht gesichert"),
                 Decision(items[3].pk, "deferred")]
    meeting_record_decisions(user=people.staff, meeting_id=m.pk, resolution_date=DAY, decisions=decisions)
    return Meeting.objects.get(pk=m.pk)


def test_minutes_only_after_the_decisions(people, frozen):
    with pytest.raises(ValidationError) as error:
        minutes_pdf(frozen)
    assert "Beschlüsse" in str(error.value)


def test_minutes_show_attendance_conflicts_and_every_decision(people, frozen):
    decided = _decide(people, frozen)
    text = pdf_text(minutes_export(decided).content)
    for expected in ("Niederschrift", "Sozialausschuss", f"{DAY:%d.%m.%Y}", "öffentlich", "Anwesenheit",
                     "Anna Rat", "Bert Rat", "Cem Rat", "abwesend", "Anwesend: 2 von 3",
                     "Vorsitzende des Vereins", "nicht teilgenommen", "bewilligt wie empfohlen",
                     "bewilligt mit anderem Betrag", german(Decimal("8000.00")), "Sachkosten gekürzt", "abgelehnt",
                     "Finanzierung nicht gesichert", "vertagt", "Ja 1 · Nein 0 · Enthaltung 0", "nicht erfasst",
                     "ohne Mitwirkung: Anna Rat", german(Decimal("18000.00")), "Seite 1 von"):
        assert expected in text, expected
    for row in approval_table(decided).rows:
        assert row.applicant in text


def test_the_list_after_the_decisions_still_shows_the_budget_as_read(people, frozen):
    before = approval_table(frozen)
    after = approval_table(_decide(people, frozen))
    assert [s.budget_remaining for s in after.sections] == [s.budget_remaining for s in before.sections]
    assert after.remaining_after == before.remaining_after


def test_queries_of_the_minutes_do_not_grow(people):
    small = _decide(people, frozen_meeting(people, lotsen=2, projects=2))
    large = frozen_meeting(people, lotsen=2, projects=12)
    items = list(large.items.order_by("position"))
    meeting_record_decisions(user=people.staff, meeting_id=large.pk, resolution_date=DAY,
                             decisions=[Decision(i.pk, "approved") for i in items])
    assert _queries(minutes_pdf, small) == _queries(minutes_pdf, large)
