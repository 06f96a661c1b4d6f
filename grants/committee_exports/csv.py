"""The approval list as one CSV for German spreadsheet programs: UTF-8 with BOM, «;», decimal comma.

Same columns and order as the XLSX, all programmes in one file with a programme column in front and a
«Zeile» column that marks what a line is: an agenda item («TOP»), a programme's sums («Summe») or the
overall sums («Gesamtsumme»). The sum lines also carry the budget still available and what remains after
approval. Amounts without thousands separators (1234,50), so every program reads them as numbers.
"""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import Meeting
from .table import ApprovalTable, approval_table, column_headings

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def decimal_comma(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _safe(text: str) -> str:
    """A leading = + - @ would run as a formula in a spreadsheet; a quote mark keeps it text."""
    text = str(text)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def headings() -> list[str]:
    return [_("Zeile"), _("Förderprogramm"), *column_headings(), _("noch verfügbar (€)"),
            _("verbleibend nach Bewilligung (€)")]


def rows(table: ApprovalTable) -> list[list[str]]:
    lines = []
    for section in table.sections:
        for row in section.rows:
            lines.append([
                _("TOP"), _safe(section.programme), str(row.number), _safe(row.file_number), _safe(row.applicant),
                _safe(row.municipality), _safe(row.title), decimal_comma(row.total_costs),
                decimal_comma(row.cofinancing), decimal_comma(row.recommended), _safe(row.justification),
                _safe(row.conditions), _safe(row.conflicts_display), "", "",
            ])
        lines.append([
            _("Summe"), _safe(section.programme), "", "",
            _safe(_("Summe %(programme)s") % {"programme": section.programme}), "", "",
            decimal_comma(section.total_costs), decimal_comma(section.cofinancing),
            decimal_comma(section.recommended), "", "", "", decimal_comma(section.budget_remaining),
            decimal_comma(section.remaining_after),
        ])
    lines.append([
        _("Gesamtsumme"), "", "", "", _("Gesamtsumme"), "", "", decimal_comma(table.total_costs),
        decimal_comma(table.cofinancing), decimal_comma(table.recommended), "", "", "",
        decimal_comma(table.budget_remaining), decimal_comma(table.remaining_after),
    ])
    return lines


def approval_csv(meeting: Meeting, table: ApprovalTable | None = None) -> bytes:
    """The approval list of a frozen meeting as CSV bytes (ValidationError if the agenda is not frozen)."""
    table = table or approval_table(meeting)
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(headings())
    writer.writerows(rows(table))
    return output.getvalue().encode("utf-8-sig")
