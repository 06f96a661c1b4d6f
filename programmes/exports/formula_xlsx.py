"""The allocation list of a fixed formula run as an XLSX workbook: typed cells, German display formats.

Sheet «Verteilungsliste»: one row per applicant (file number, applicant, municipalities, AGS, population,
largest post, share, amount, eligible, reason), header frozen, and a totals row with the sums as numbers —
not formulas, so the figures are there in any viewer, without recalculation. Below: total and remainder.
Sheet «Kommunen»: each municipality behind an applicant (a Verbund's members one by one) with its population
and reference date. Sheet «Angaben»: programme, year, title, rules, who fixed it when, the hash.
Sheet «Rechenweg»: the steps in words.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from ..models import AllocationRun
from .formula_table import FormulaTable, formula_table
from .table import author_name
from .xlsx import DATE, DATETIME, EURO, INTEGER, PERCENT, _number, _text, _widths

FTE = "0.00"


def _list_sheet(sheet, table: FormulaTable) -> None:
    headings = [_("Aktenzeichen"), _("Antragsteller"), _("Kommune(n)"), _("AGS"), _("Einwohnerzahl"),
                _("Größte Stelle (VZÄ)"), _("Anteil"), _("Betrag (€)"), _("förderfähig"), _("Begründung")]
    for column, heading in enumerate(headings, start=1):
        _text(sheet, 1, column, heading, bold=True).alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(table.rows, start=2):
        _text(sheet, number, 1, row.key)
        _text(sheet, number, 2, row.name)
        _text(sheet, number, 3, row.municipalities_display)
        _text(sheet, number, 4, row.ags_display)
        _number(sheet, number, 5, row.population, INTEGER)
        if row.fte is None:
            _text(sheet, number, 6, "–")
        else:
            _number(sheet, number, 6, row.fte, FTE)
        _number(sheet, number, 7, row.percent / 100, PERCENT)
        _number(sheet, number, 8, row.amount, EURO)
        _text(sheet, number, 9, row.eligible_display)
        _text(sheet, number, 10, row.reason_display)
    last = len(table.rows) + 1
    total_row = last + 1
    _text(sheet, total_row, 1, _("Summe"), bold=True)
    _number(sheet, total_row, 5, table.population_sum, INTEGER, bold=True)
    _number(sheet, total_row, 7, table.amount_sum_percent / 100, PERCENT, bold=True)
    _number(sheet, total_row, 8, table.amount_sum, EURO, bold=True)
    _text(sheet, total_row + 1, 1, _("Nicht verteilter Rest"))
    _number(sheet, total_row + 1, 8, table.remainder, EURO)
    _text(sheet, total_row + 2, 1, _("Zu verteilen"), bold=True)
    _number(sheet, total_row + 2, 8, table.total, EURO, bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:J{last}"
    sheet.print_title_rows = "1:1"
    _widths(sheet, [20, 34, 34, 24, 14, 12, 10, 16, 11, 46])


def _municipalities_sheet(sheet, table: FormulaTable) -> None:
    headings = [_("Aktenzeichen"), _("Antragsteller"), _("AGS"), _("Kommune"), _("Einwohnerzahl"), _("Stichtag")]
    for column, heading in enumerate(headings, start=1):
        _text(sheet, 1, column, heading, bold=True)
    number = 1
    for row in table.rows:
        for member in row.members:
            number += 1
            _text(sheet, number, 1, row.key)
            _text(sheet, number, 2, row.name)
            _text(sheet, number, 3, member.ags)
            _text(sheet, number, 4, member.name)
            _number(sheet, number, 5, member.population, INTEGER)
            _number(sheet, number, 6, member.reference_date, DATE)
    sheet.freeze_panes = "A2"
    _widths(sheet, [20, 34, 11, 30, 14, 12])


def _details_sheet(sheet, run: AllocationRun, table: FormulaTable) -> None:
    meta = [
        (_("Förderprogramm"), run.programme.name, None),
        (_("Jahr"), run.year, "0"),
        (_("Titel des Laufs"), run.title, None),
        (_("Zu verteilen"), table.total, EURO),
        (_("Verteilt"), table.amount_sum, EURO),
        (_("Nicht verteilter Rest"), table.remainder, EURO),
        *((label, value, None) for label, value in table.rule_items[1:]),
        (_("festgesetzt am"), timezone.localtime(run.created_at).replace(tzinfo=None), DATETIME),
        (_("festgesetzt von"), author_name(run), None),
        (_("folgt auf Lauf"), str(run.follows) if run.follows_id else "–", None),
        (_("Prüfsumme der Eingaben (SHA-256)"), run.input_hash, None),
    ]
    for number, (label, value, number_format) in enumerate(meta, start=1):
        _text(sheet, number, 1, label, bold=True)
        if number_format:
            _number(sheet, number, 2, value, number_format)
        else:
            _text(sheet, number, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
    _widths(sheet, [38, 100])


def _steps_sheet(sheet, table: FormulaTable) -> None:
    _text(sheet, 1, 1, _("Rechenweg"), bold=True)
    for number, explanation in enumerate(table.steps, start=2):
        _text(sheet, number, 1, explanation).alignment = Alignment(wrap_text=True, vertical="top")
    _widths(sheet, [140])


def formula_xlsx(run: AllocationRun) -> bytes:
    """The workbook of a fixed formula run, from its stored JSON only."""
    table = formula_table(run)
    workbook = Workbook()
    allocation = workbook.active
    allocation.title = _("Verteilungsliste")
    _list_sheet(allocation, table)
    _municipalities_sheet(workbook.create_sheet(_("Kommunen")), table)
    _details_sheet(workbook.create_sheet(_("Angaben")), run, table)
    _steps_sheet(workbook.create_sheet(_("Rechenweg")), table)
    workbook.properties.title = run.title
    workbook.properties.creator = author_name(run)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
