"""The approval list as an XLSX workbook: typed cells, German display formats, sums as formulas.

Sheet «Übersicht»: heading (district, committee, meeting date as a date, public/closed, paper number), one
line per programme whose figures point at the programme sheets' totals, the overall sums, and the declared
conflicts. One sheet per programme: the same heading with the budget reference, the list (header row
frozen), a totals row of SUM formulas, the budget still available and — as a formula — what remains after
approval. Text cells are stored as text, so no applicant name ever runs as a formula.
"""

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname

from programmes.exports.xlsx import DATE, EURO

from ..models import Meeting
from .table import ApprovalTable, Section, approval_table, column_headings

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
INTEGER = "0"
AMOUNT_LETTERS = ("F", "G", "H")  # total costs, co-financing, recommended
WIDTHS = [8, 18, 34, 22, 36, 16, 16, 18, 48, 34, 34]


def _text(sheet, row: int, column: int, value, *, bold: bool = False, wrap: bool = False):
    cell = sheet.cell(row=row, column=column, value=str(value))
    cell.data_type = "s"
    if bold:
        cell.font = BOLD
    if wrap:
        cell.alignment = WRAP
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


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'") or _("Programm")
    title, number = base[:31], 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def _heading(sheet, table: ApprovalTable, extra: list[tuple[str, str]]) -> int:
    """The heading area; returns the next free row."""
    sheet.cell(row=1, column=1, value=table.district).font = TITLE
    _text(sheet, 2, 1, _("Beschlussvorlage"), bold=True)
    _text(sheet, 2, 3, _("Drucksache Nr. %(number)s") % {"number": table.paper_display}, bold=True)
    lines = [(_("Gremium"), table.committee), (_("Sitzung am"), None), (_("Status"), table.status_display), *extra]
    for number, (label, value) in enumerate(lines, start=3):
        _text(sheet, number, 1, label, bold=True)
        if value is None:
            _number(sheet, number, 3, table.date, DATE).alignment = Alignment(horizontal="left")
        else:
            _text(sheet, number, 3, value)
    return 3 + len(lines) + 1


def _programme_sheet(sheet, table: ApprovalTable, section: Section) -> dict[str, str]:
    """Writes one programme's list; returns the addresses of its sums for the overview."""
    header = _heading(sheet, table, [(_("Förderprogramm"), section.programme),
                                     (_("Bezug zum Haushalt"), section.budget_reference_text)])
    for column, heading in enumerate(column_headings(), start=1):
        _text(sheet, header, column, heading, bold=True, wrap=True)
    first = header + 1
    for number, row in enumerate(section.rows, start=first):
        _number(sheet, number, 1, row.number, INTEGER)
        _text(sheet, number, 2, row.file_number)
        _text(sheet, number, 3, row.applicant, wrap=True)
        _text(sheet, number, 4, row.municipality)
        _text(sheet, number, 5, row.title, wrap=True)
        _number(sheet, number, 6, row.total_costs, EURO)
        _number(sheet, number, 7, row.cofinancing, EURO)
        _number(sheet, number, 8, row.recommended, EURO)
        _text(sheet, number, 9, row.justification, wrap=True)
        _text(sheet, number, 10, row.conditions, wrap=True)
        _text(sheet, number, 11, row.conflicts_display, wrap=True)
    last = first + len(section.rows) - 1
    total = last + 1
    _text(sheet, total, 3, _("Summe %(programme)s") % {"programme": section.programme}, bold=True)
    for column, letter in enumerate(AMOUNT_LETTERS, start=6):
        _number(sheet, total, column, f"=SUM({letter}{first}:{letter}{last})", EURO, bold=True)
    budget, after = total + 2, total + 3
    _text(sheet, budget, 3, _("Haushaltsmittel %(year)s, noch verfügbar") % {"year": section.budget_year})
    if section.budget_remaining is None:
        _text(sheet, budget, 8, _("kein Haushaltsansatz"))
    else:
        _number(sheet, budget, 8, section.budget_remaining, EURO)
        _text(sheet, after, 3, _("verbleibend nach Bewilligung"), bold=True)
        _number(sheet, after, 8, f"=H{budget}-H{total}", EURO, bold=True)
    sheet.freeze_panes = f"A{first}"
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(WIDTHS))}{last}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.orientation = "landscape"
    _widths(sheet, WIDTHS)
    sums = {letter: f"{letter}{total}" for letter in AMOUNT_LETTERS}
    if section.budget_remaining is not None:
        sums.update(budget=f"H{budget}", after=f"H{after}")
    return sums


def _overview_sheet(sheet, table: ApprovalTable, sums: list[tuple[Section, str, dict]]) -> None:
    header = _heading(sheet, table, [(_("Tagesordnungspunkt"), table.title)])
    headings = [_("Förderprogramm"), _("Anträge"), _("Gesamtkosten (€)"), _("Kofinanzierung (€)"),
                _("Empfohlener Betrag (€)"), _("noch verfügbar (€)"), _("verbleibend nach Bewilligung (€)")]
    for column, heading in enumerate(headings, start=1):
        _text(sheet, header, column, heading, bold=True, wrap=True)
    first = header + 1
    for number, (section, title, refs) in enumerate(sums, start=first):
        ref = quote_sheetname(title)
        _text(sheet, number, 1, section.programme)
        _number(sheet, number, 2, len(section.rows), INTEGER)
        for column, key in enumerate((*AMOUNT_LETTERS, "budget", "after"), start=3):
            if key in refs:
                _number(sheet, number, column, f"={ref}!{refs[key]}", EURO)
            else:
                _text(sheet, number, column, _("kein Haushaltsansatz"))
    last = first + len(sums) - 1
    total = last + 1
    _text(sheet, total, 1, _("Gesamtsumme"), bold=True)
    for column in range(2, 8):
        letter = get_column_letter(column)
        _number(sheet, total, column, f"=SUM({letter}{first}:{letter}{last})", INTEGER if column == 2 else EURO,
                bold=True)
    sheet.freeze_panes = f"A{first}"
    row = total + 2
    _text(sheet, row, 1, _("Erklärte Befangenheiten"), bold=True)
    conflicts = table.conflicts
    if not conflicts:
        _text(sheet, row + 1, 1, _("Für keinen Tagesordnungspunkt wurde Befangenheit erklärt."))
    else:
        for column, heading in enumerate([_("Nr. (TOP)"), _("Antragsteller"), _("Mitglied"), _("Grund")], start=1):
            _text(sheet, row + 1, column, heading, bold=True)
        for number, c in enumerate(conflicts, start=row + 2):
            _number(sheet, number, 1, c.position, INTEGER)
            _text(sheet, number, 2, c.applicant)
            _text(sheet, number, 3, c.member)
            _text(sheet, number, 4, c.reason_display, wrap=True)
    _widths(sheet, [34, 12, 18, 18, 20, 20, 22])


def approval_xlsx(meeting: Meeting, table: ApprovalTable | None = None) -> bytes:
    """The approval list of a frozen meeting as XLSX bytes (ValidationError if the agenda is not frozen)."""
    table = table or approval_table(meeting)
    workbook = Workbook()
    overview = workbook.active
    taken = {(overview_title := sheet_title(_("Übersicht"), set())).lower()}
    overview.title = overview_title
    sums = []
    for section in table.sections:
        title = sheet_title(section.programme, taken)
        sums.append((section, title, _programme_sheet(workbook.create_sheet(title), table, section)))
    _overview_sheet(overview, table, sums)
    workbook.properties.title = _("Beschlussvorlage %(committee)s %(date)s") % {
        "committee": table.committee, "date": table.date_display}
    workbook.properties.creator = table.district
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
