"""The allocation list of a run as an XLSX workbook: typed cells with German display formats.

Sheet «Verteilung»: one row per municipality, header frozen, sums as SUM formulas (so the file stays a
working spreadsheet). Sheet «Eingaben»: the run's metadata, rules, the stored input rows exactly as they
went into the hash, and the hash itself. Sheet «Rechenweg»: the steps in words.
"""

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..models import AllocationRun
from .table import author_name, run_table

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
EURO = '#,##0.00 "€"'
PERCENT = "0.00%"
DATE = "DD.MM.YYYY"
DATETIME = "DD.MM.YYYY HH:MM"
BOLD = Font(bold=True)


def _text(sheet, row: int, column: int, value: str, *, bold: bool = False):
    """A text cell that a spreadsheet never runs as a formula, whatever the municipality table says."""
    cell = sheet.cell(row=row, column=column, value=str(value))
    cell.data_type = "s"
    if bold:
        cell.font = BOLD
    return cell


def _number(sheet, row: int, column: int, value, number_format: str, *, bold: bool = False):
    cell = sheet.cell(row=row, column=column, value=value)
    cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _allocation_sheet(sheet, run: AllocationRun, table) -> None:
    amount_format = EURO if run.unit == AllocationRun.Unit.EUR else DECIMAL
    headings = [_("Kommune"), _("AGS"), _("Einwohnerzahl"), _("Stichtag"), _("städtisch"), _("Gewicht"),
                _("Anteil"), table.amount_heading]
    for column, heading in enumerate(headings, start=1):
        _text(sheet, 1, column, heading, bold=True).alignment = Alignment(wrap_text=True)
    for number, row in enumerate(table.rows, start=2):
        _text(sheet, number, 1, row.name)
        _text(sheet, number, 2, row.key)
        _number(sheet, number, 3, row.population, INTEGER)
        _number(sheet, number, 4, row.reference_date, DATE)
        _text(sheet, number, 5, row.urban_display)
        _number(sheet, number, 6, row.weight, DECIMAL)
        _number(sheet, number, 7, row.percent / 100, PERCENT)
        _number(sheet, number, 8, row.amount, amount_format)
    last, total_row = len(table.rows) + 1, len(table.rows) + 2
    _text(sheet, total_row, 1, _("Summe"), bold=True)
    for column, number_format in ((3, INTEGER), (6, DECIMAL), (8, amount_format)):
        letter = get_column_letter(column)
        _number(sheet, total_row, column, f"=SUM({letter}2:{letter}{last})", number_format, bold=True)
    _number(sheet, total_row, 7, table.amount_sum_percent / 100, PERCENT, bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:H{last}"
    sheet.print_title_rows = "1:1"
    _widths(sheet, [32, 11, 14, 12, 10, 16, 10, 16])


def _inputs_sheet(sheet, run: AllocationRun, table) -> None:
    meta = [
        (_("Titel"), run.title, None),
        (_("Art"), run.get_kind_display(), None),
        (_("Einheit"), run.get_unit_display(), None),
        (_("Zu verteilende Gesamtmenge"), run.total, EURO if run.unit == AllocationRun.Unit.EUR else DECIMAL),
        (_("Nicht verteilter Rest"), run.remainder, EURO if run.unit == AllocationRun.Unit.EUR else DECIMAL),
        (_("Regeln"), table.rules_text, None),
        (_("Faktor für städtische Kommunen"), Decimal(run.rules.get("urban_factor", "1")), DECIMAL),
        (_("erstellt am"), timezone.localtime(run.created_at).replace(tzinfo=None), DATETIME),
        (_("erstellt von"), author_name(run), None),
        (_("folgt auf Lauf"), str(run.follows) if run.follows_id else "–", None),
        (_("Prüfsumme der Eingaben (SHA-256)"), run.input_hash, None),
        (_("Berechnung der Prüfsumme"), _(
            "SHA-256 über das JSON aus Art, Einheit, Gesamtmenge, Regeln und Eingaben (Schlüssel sortiert, ohne "
            "Leerzeichen, UTF-8; Beträge und Gewichte als Text mit zwei Nachkommastellen, Daten als JJJJ-MM-TT)."),
         None),
    ]
    if run.pk is None:  # an unsaved preview from the calculator
        meta.insert(1, (_("Stand"), _("Vorschau, nicht gespeichert"), None))
    for number, (label, value, number_format) in enumerate(meta, start=1):
        _text(sheet, number, 1, label, bold=True)
        if number_format:
            _number(sheet, number, 2, value, number_format)
        else:
            _text(sheet, number, 2, value)
    start = len(meta) + 2
    # The stored rows exactly as hashed: JSON names as headings, weights and dates as the stored text.
    headings = ["key", "name", "population", "population_reference_date", "is_urban", "weight"]
    for column, heading in enumerate(headings, start=1):
        _text(sheet, start, column, heading, bold=True)
    for number, row in enumerate(run.inputs, start=start + 1):
        _text(sheet, number, 1, row["key"])
        _text(sheet, number, 2, row["name"])
        _number(sheet, number, 3, row["population"], "0")
        _text(sheet, number, 4, row["population_reference_date"])
        _text(sheet, number, 5, "true" if row["is_urban"] else "false")
        _text(sheet, number, 6, row["weight"])
    _widths(sheet, [34, 70, 12, 26, 9, 14])


def _steps_sheet(sheet, table) -> None:
    _text(sheet, 1, 1, _("Rechenweg"), bold=True)
    for number, explanation in enumerate(table.steps, start=2):
        _text(sheet, number, 1, explanation).alignment = Alignment(wrap_text=True, vertical="top")
    _widths(sheet, [140])


def run_xlsx(run: AllocationRun) -> bytes:
    table = run_table(run)
    workbook = Workbook()
    allocation = workbook.active
    allocation.title = _("Verteilung")
    _allocation_sheet(allocation, run, table)
    _inputs_sheet(workbook.create_sheet(_("Eingaben")), run, table)
    _steps_sheet(workbook.create_sheet(_("Rechenweg")), table)
    workbook.properties.title = run.title
    workbook.properties.creator = author_name(run)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def run_filename(run: AllocationRun, extension: str) -> str:
    """stellenschluessel-2026-02-01-1f9cd7764dc3.xlsx: ASCII only, date and hash prefix; «-vorschau» unsaved."""
    prefix = "stellenschluessel" if run.kind == AllocationRun.Kind.STAFFING_KEY else "verteilung"
    if run.pk is None:
        prefix += "-vorschau"
    return f"{prefix}-{timezone.localtime(run.created_at):%Y-%m-%d}-{run.hash_prefix}.{extension}"
