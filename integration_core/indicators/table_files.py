"""Files of the monitoring: the yearly table as XLSX (typed cells) and CSV, and the CSV dialect they share.

CSV for German spreadsheets: UTF-8 with BOM (Excel then reads the umlauts), semicolon as separator,
decimal comma. Hidden cells are "·" in both formats; in XLSX they are text cells, every shown figure a
number cell with a display format.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .presentation import show
from .suppression import SUPPRESSED, default_threshold, sensitive_threshold
from .yearly_table import IndicatorTable

INTEGER = "#,##0"
PERCENT_ONE = "0.0"
BOLD = Font(bold=True)


def csv_value(value) -> str:
    """A cell for the German CSV dialect: decimal comma, no thousands separator."""
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return f"{value}".replace(".", ",")
    return str(value)


def csv_bytes(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _headings(table: IndicatorTable) -> list[str]:
    return [_("Gruppe"), _("Kennzahl"), *table.providers, _("Landkreis gesamt")]


def table_csv(table: IndicatorTable) -> bytes:
    rows = [_headings(table)]
    for row in table.rows:
        rows.append([row.group, row.label, *(SUPPRESSED if cell.suppressed else cell.value for cell in row.cells)])
    return csv_bytes(rows)


def _text(sheet, row: int, column: int, value, *, bold: bool = False):
    # Never a formula, whatever a provider's name says.
    cell = sheet.cell(row=row, column=column, value=str(value))
    cell.data_type = "s"
    if bold:
        cell.font = BOLD
    return cell


def table_xlsx(table: IndicatorTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Kennzahlen")
    for column, heading in enumerate(_headings(table), start=1):
        _text(sheet, 1, column, heading, bold=True).alignment = Alignment(wrap_text=True)
    for number, row in enumerate(table.rows, start=2):
        _text(sheet, number, 1, row.group)
        _text(sheet, number, 2, row.label)
        for column, cell in enumerate(row.cells, start=3):
            if cell.suppressed or cell.value is None:
                _text(sheet, number, column, show(cell))
            else:
                target = sheet.cell(row=number, column=column, value=cell.value)
                target.number_format = PERCENT_ONE if row.kind == "share" else INTEGER
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 44
    for column in range(3, len(table.providers) + 4):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    notes = workbook.create_sheet(_("Hinweise"))
    for number, text in enumerate([
        _("Kennzahlentabelle %(year)s, %(district)s") % {"year": table.year, "district": settings.DISTRICT_NAME},
        _("Berichtsjahr 01.01.–31.12.%(year)s; Stichtag %(date)s.") % {"year": table.year,
                                                                      "date": table.reference_date_display},
        _("„·“: nicht ausgewiesen. Werte unter %(min)d (bei Zielen, wegen der Gesundheitsziele, unter %(sensitive)d) "
          "werden nicht gezeigt, ebenso Werte, aus denen sich ein verborgener Wert über die Summen zurückrechnen "
          "ließe.") % {"min": default_threshold(), "sensitive": sensitive_threshold()},
        _("Fälle nach Art der Beratung und Stand zum Stichtag: alle Fälle (Berichtspflicht). Teil A, Teil B, Ziele "
          "und „eigenständiges Leben“: nur Fälle mit gültiger Einwilligung in die statistische Verwendung."),
    ], start=1):
        _text(notes, number, 1, text)
    notes.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
