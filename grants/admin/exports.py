"""Spreadsheet exports of admin listings, in the format German offices open without fiddling.

CSV: UTF-8 with BOM (Excel detects the encoding), semicolon as separator, decimal
comma, dates as TT.MM.JJJJ. XLSX: real numbers and dates with German display formats.
Text that a spreadsheet would run as a formula is neutralised in both.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from ..state_labels import state_label

TEXT, MONEY, DATE, NUMBER = "text", "money", "date", "number"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters that make Excel or LibreOffice treat a cell as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportColumn:
    heading: str
    value: Callable[[object], object]
    kind: str = TEXT


def _plain(value):
    """Reduce Money and aware datetimes to what a cell holds: Decimal and local date."""
    if isinstance(value, Money):
        return value.amount
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _safe_text(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def decimal_de(value: Decimal) -> str:
    """1234.5 -> '1234,50' (no grouping: spreadsheets parse it as a number)."""
    return f"{Decimal(value):.2f}".replace(".", ",")


def csv_cell(value, kind: str) -> str:
    value = _plain(value)
    if value is None or value == "":
        return ""
    if kind == MONEY:
        return decimal_de(value)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if kind == NUMBER:
        return str(value)
    return _safe_text(str(value))


class _Echo:
    def write(self, value):
        return value


def csv_chunks(columns: list[ExportColumn], rows: Iterable) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([str(c.heading) for c in columns])
    for row in rows:
        yield writer.writerow([csv_cell(c.value(row), c.kind) for c in columns])


def xlsx_bytes(columns: list[ExportColumn], rows: Iterable, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, str(column.heading))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            value = _plain(column.value(row))
            if column.kind == TEXT and value is not None:
                value = str(value)
            cell = WriteOnlyCell(sheet, value)
            if cell.data_type == "f":
                cell.data_type = "s"  # never a formula from applicant text
            if column.kind == MONEY:
                cell.number_format = '#,##0.00 "€"'
            elif isinstance(value, date):
                cell.number_format = "DD.MM.YYYY"
            cells.append(cell)
        sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_response(columns, rows, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(columns, rows, filename: str, title: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(columns, rows, title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def age_in_days(application, today: date | None = None) -> int | None:
    if not application.submitted_at:
        return None
    today = today or timezone.localdate()
    return (today - timezone.localtime(application.submitted_at).date()).days


def application_columns() -> list[ExportColumn]:
    """The columns of the application listing export (one row per application, no extra queries)."""
    return [
        ExportColumn(_("Aktenzeichen"), lambda a: a.file_number or ""),
        ExportColumn(_("Titel des Vorhabens"), lambda a: a.title),
        ExportColumn(_("Antragstellerin"), lambda a: a.organisation.name),
        ExportColumn(_("Art der Antragstellerin"), lambda a: a.organisation.get_applicant_type_display()),
        ExportColumn(_("Förderprogramm"), lambda a: a.programme.name),
        ExportColumn(_("Ort der Maßnahme"), lambda a: a.place.name if a.place else ""),
        ExportColumn(_("Status"), state_label),
        ExportColumn(_("Eingereicht am"), lambda a: a.submitted_at, DATE),
        ExportColumn(_("Alter (Tage)"), age_in_days, NUMBER),
        ExportColumn(_("Beantragter Betrag (EUR)"), lambda a: a.requested_amount, MONEY),
        ExportColumn(_("Bewilligter Betrag (EUR)"), lambda a: a.approved_amount, MONEY),
    ]
