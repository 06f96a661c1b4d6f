"""Tables derived from the pseudonymised extract, for the statistics office — protected like every table.

Each table counts the extract's cases (one row per case with a valid statistics consent, see ``extract``)
by two of its coarse columns, e.g. municipality (AGS) × gender, with all margins, through
``extract.crosstab``: small counts hidden, secondary suppression so no hidden cell can be recomputed from
the totals. Written as XLSX (one sheet per table, hidden cells as the text "·", shown ones as numbers)
or as CSV (the tables one below the other). One query for all tables.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from .extract import crosstab, extract_rows
from .suppression import SUPPRESSED, TOTAL, ProtectedTable
from .table_files import csv_bytes

INTEGER = "#,##0"
# (sheet name, title, row column, column column) — the column names of the extract.
DERIVED = (
    ("ags_geschlecht", gettext_lazy("Fälle nach Kommune (AGS) und Geschlecht"), "ags", "geschlecht"),
    ("ags_altersgruppe", gettext_lazy("Fälle nach Kommune (AGS) und Altersgruppe"), "ags", "altersgruppe"),
    ("ags_herkunftsgruppe", gettext_lazy("Fälle nach Kommune (AGS) und Herkunftsgruppe"), "ags", "herkunftsgruppe"),
    ("ags_beratungsart", gettext_lazy("Fälle nach Kommune (AGS) und Art der Beratung"), "ags", "beratungsart"),
    ("altersgruppe_geschlecht", gettext_lazy("Fälle nach Altersgruppe und Geschlecht"), "altersgruppe", "geschlecht"),
    ("arbeitsmarkt_geschlecht", gettext_lazy("Fälle nach Arbeitsmarktstatus und Geschlecht"), "arbeitsmarkt",
     "geschlecht"),
    ("ags_eigenstaendig", gettext_lazy("Fälle nach Kommune (AGS) und „eigenständigem Leben“"), "ags",
     "eigenstaendiges_leben"),
)


@dataclass(frozen=True)
class DerivedTable:
    name: str
    title: Promise | str
    row_field: str
    column_field: str
    table: ProtectedTable | None  # None: no case in the extract

    def heading(self) -> list[str]:
        columns = self.table.columns if self.table else ()
        return [f"{self.row_field} \\ {self.column_field}", *(label(c) for c in columns), _("gesamt")]

    def lines(self) -> list[tuple[str, list]]:
        """(row label, cells as shown: numbers, or "·" for a hidden cell), the totals last."""
        if self.table is None:
            return []
        columns = [*self.table.columns, TOTAL]
        return [(label(row), [_shown(self.table[(row, column)]) for column in columns])
                for row in [*self.table.rows, TOTAL]]


def label(key) -> str:
    if key == TOTAL:
        return _("gesamt")
    return str(key) if key not in ("", None) else _("ohne Angabe")


def _shown(cell):
    return SUPPRESSED if cell.suppressed else cell.value


def build_tables(*, year: int, today: date) -> list[DerivedTable]:
    rows = extract_rows(year=year, today=today)
    return [DerivedTable(name, title, row_field, column_field,
                         crosstab(rows, row_field=row_field, column_field=column_field) if rows else None)
            for name, title, row_field, column_field in DERIVED]


def _notes(year: int) -> list[str]:
    return [
        _("Aus dem pseudonymisierten Statistikauszug %(year)s abgeleitete Tabellen, %(district)s") % {
            "year": year, "district": settings.DISTRICT_NAME},
        _("Gezählt werden die Fälle des Auszugs: im Berichtsjahr aktiv, mit gültiger Einwilligung in die "
          "statistische Verwendung."),
        _("„·“: nicht ausgewiesen — kleine Fallzahlen und Werte, aus denen sich ein verborgener Wert über die "
          "Summen zurückrechnen ließe."),
    ]


def tables_csv(tables: list[DerivedTable], *, year: int) -> bytes:
    rows: list[list] = [[note] for note in _notes(year)]
    for table in tables:
        rows += [[], [str(table.title)], table.heading()]
        rows += [[row_label, *cells] for row_label, cells in table.lines()] or [[_("Keine Fälle im Auszug.")]]
    return csv_bytes(rows)


def _text(sheet, row: int, column: int, value, *, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column, value=str(value))
    cell.data_type = "s"  # never a formula
    if bold:
        cell.font = Font(bold=True)


def tables_xlsx(tables: list[DerivedTable], *, year: int) -> bytes:
    workbook = Workbook()
    notes = workbook.active
    notes.title = _("Hinweise")
    for number, text in enumerate(_notes(year), start=1):
        _text(notes, number, 1, text)
    notes.column_dimensions["A"].width = 110
    for table in tables:
        sheet = workbook.create_sheet(table.name)
        _text(sheet, 1, 1, table.title, bold=True)
        for column, heading in enumerate(table.heading(), start=1):
            _text(sheet, 3, column, heading, bold=True)
        lines = table.lines()
        if not lines:
            _text(sheet, 4, 1, _("Keine Fälle im Auszug."))
        for number, (row_label, cells) in enumerate(lines, start=4):
            _text(sheet, number, 1, row_label)
            for column, value in enumerate(cells, start=2):
                if value == SUPPRESSED:
                    _text(sheet, number, column, value)
                else:
                    sheet.cell(row=number, column=column, value=value).number_format = INTEGER
        sheet.column_dimensions["A"].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
