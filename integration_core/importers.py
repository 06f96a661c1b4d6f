"""Reading the official municipality table (AGS, name, population, reference date) from CSV or XLSX.

Four steps, kept apart so the preview and the import run the very same checks: ``read_table``
(bytes → rows numbered as the spreadsheet shows them, header = line 1; ``ImportFileError`` for the
whole file), ``parse_rows`` (each line, and duplicate AGS across lines), ``match_rows`` (against the
stored municipalities), ``apply_rows`` (the write). ``services.population_import`` runs them in one
all-or-nothing transaction.
"""

import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from .models import Municipality

MAX_BYTES = 5 * 1024 * 1024
# An XLSX is a zip: a few kilobytes can unpack to gigabytes, so the unpacked size is capped too.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Bavaria, the largest state, has about 2,100 municipalities.
MAX_ROWS = 5000
MAX_POPULATION = 2_147_483_647  # the database column's limit
LOG_ACTION = "integration_core.population_import"

COLUMN_ALIASES = {
    "ags": ("ags", "gemeindeschlüssel", "gemeindeschluessel", "amtlicher gemeindeschlüssel"),
    "name": ("name", "gemeinde", "gemeindename"),
    "population": ("einwohner", "einwohnerzahl", "bevölkerung", "bevoelkerung", "population"),
    "reference_date": ("stichtag", "reference_date"),
}
REQUIRED_COLUMNS = ("ags", "name", "population")
COLUMN_LABELS = {"ags": gettext_lazy("AGS"), "name": gettext_lazy("Name"), "population": gettext_lazy("Einwohner"),
                 "reference_date": gettext_lazy("Stichtag")}


class ImportFileError(ValidationError):
    """The file as a whole cannot be read; ``line`` is set when one line (the header) is to blame."""

    def __init__(self, message, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class LineMessage:
    line: int | None
    text: str

    def __str__(self) -> str:
        if self.line is None:
            return self.text
        return _("Zeile %(line)d: %(text)s") % {"line": self.line, "text": self.text}


@dataclass
class RawRow:
    line: int
    ags: object = None
    name: object = None
    population: object = None
    reference_date: object = None


@dataclass
class Table:
    rows: list[RawRow]
    has_reference_date: bool


class Status:
    ERROR = "error"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass
class ImportRow:
    """One line of the file, checked; old values come from the database, new ones from the file."""

    line: int
    ags: str
    name: str
    stored_name: str = ""
    old_population: int | None = None
    new_population: int | None = None
    old_reference_date: date | None = None
    new_reference_date: date | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.errors:
            return Status.ERROR
        if (self.old_population, self.old_reference_date) == (self.new_population, self.new_reference_date):
            return Status.UNCHANGED
        return Status.UPDATE

    def status_label(self, applied: bool) -> str:
        labels = {Status.ERROR: _("Fehler"), Status.UNCHANGED: _("unverändert"),
                  Status.UPDATE: _("aktualisiert") if applied else _("wird aktualisiert")}
        return labels[self.status]


# --- reading the file -------------------------------------------------------------------------


def read_upload(file) -> bytes:
    """The bytes of an upload, a file object or bytes, refusing anything over ``MAX_BYTES``."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("Die Datei ist größer als 5 MB."))
    if not data:
        raise ImportFileError(_("Die Datei ist leer."))
    return data


def detect_format(data: bytes) -> str:
    """``"xlsx"`` or ``"csv"``, decided by the content, never by the file name."""
    if data.startswith(b"PK\x03\x04"):
        _check_xlsx_archive(data)
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("Das alte Excel-Format (.xls) wird nicht unterstützt. Bitte als XLSX speichern."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("Die Datei ist weder eine XLSX-Datei noch eine UTF-8-kodierte CSV-Datei. "
              "Bitte speichern Sie die Tabelle als „CSV UTF-8“ oder als XLSX.")
        ) from None
    if re.search(r"[\x00-\x08\x0e-\x1f]", text):
        raise ImportFileError(_("Die Datei ist keine Textdatei. Erlaubt sind CSV (UTF-8) und XLSX."))
    return "csv"


def _check_xlsx_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise ImportFileError(_("Die XLSX-Datei ist beschädigt.")) from None
    names = {info.filename for info in infos}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise ImportFileError(_("Die Datei ist ein ZIP-Archiv, aber keine XLSX-Datei."))
    # zipfile never unpacks more than the declared size, so the declared sizes are a safe bound.
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("Die XLSX-Datei ist entpackt zu groß (mehr als 50 MB)."))


def read_table(data: bytes) -> Table:
    grid = _xlsx_lines(data) if detect_format(data) == "xlsx" else _csv_lines(data)
    header_line, header = next(((n, cells) for n, cells in grid if any(_text(c) for c in cells)), (None, None))
    if header is None:
        raise ImportFileError(_("Die Datei enthält keine Tabelle."))
    positions = _column_positions(header, header_line)
    rows = []
    for line, cells in grid:
        if line <= header_line:
            continue
        values = {key: cells[pos] if pos < len(cells) else None for key, pos in positions.items()}
        if not any(_text(v) for v in values.values()):
            continue  # blank lines between the data are harmless
        rows.append(RawRow(line=line, **values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(_("Die Datei hat mehr als %(max)d Datenzeilen.") % {"max": MAX_ROWS})
    if not rows:
        raise ImportFileError(_("Die Datei enthält keine Datenzeilen."), line=header_line)
    return Table(rows=rows, has_reference_date="reference_date" in positions)


def _csv_lines(data: bytes) -> list[tuple[int, list]]:
    text = data.decode("utf-8-sig")  # Excel writes a byte order mark, other tools do not
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    try:
        # Records, not physical lines, are numbered: a spreadsheet shows one record per row.
        return list(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1))
    except csv.Error as exc:
        raise ImportFileError(_("Die CSV-Datei kann nicht gelesen werden: %(error)s") % {"error": exc}) from None


def _xlsx_lines(data: bytes) -> list[tuple[int, tuple]]:
    from openpyxl import load_workbook

    # openpyxl raises many kinds of errors on broken files (also while reading rows); all mean the same here.
    unreadable = ImportFileError(_("Die XLSX-Datei kann nicht gelesen werden."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise unreadable from None
    try:
        numbered = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
        # Formatted but empty rows are skipped; the numbers stay those the spreadsheet shows.
        filled = ((n, cells) for n, cells in numbered if any(cell is not None for cell in cells))
        return list(itertools.islice(filled, MAX_ROWS + 2))  # enough for read_table to see "too many"
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()


def _column_positions(header, line: int) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        title = " ".join(_text(cell).split()).casefold()
        for key, aliases in COLUMN_ALIASES.items():
            if title in aliases:
                if key in positions:
                    raise ImportFileError(
                        _("Die Spalte „%(column)s“ kommt in der Kopfzeile mehrfach vor.")
                        % {"column": COLUMN_LABELS[key]}, line=line,
                    )
                positions[key] = index
    missing = [key for key in REQUIRED_COLUMNS if key not in positions]
    if missing:
        described = "; ".join(f"„{COLUMN_LABELS[key]}“ ({', '.join(COLUMN_ALIASES[key])})" for key in missing)
        raise ImportFileError(
            _("In der Kopfzeile fehlt eine Pflichtspalte: %(columns)s. Erlaubte Überschriften stehen in Klammern.")
            % {"columns": described}, line=line,
        )
    return positions


# --- checking the lines -----------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\xa0", " ").strip()


def parse_ags(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        # A number cell has lost its leading zero (Excel shows it via the format "00000000").
        value = str(int(value)).zfill(8)
    text = "".join(_text(value).split())
    if not text:
        raise ValueError(_("Der AGS fehlt."))
    if not re.fullmatch(r"\d{8}", text):
        message = _("„%(value)s“ ist kein gültiger AGS: Er besteht aus genau 8 Ziffern.") % {"value": text}
        if re.fullmatch(r"\d{7}", text):
            message += " " + _("Fehlt die führende 0?")
        raise ValueError(message)
    return text


def parse_population(value) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = "".join(_text(value).split())
        if not text:
            raise ValueError(_("Die Einwohnerzahl fehlt."))
        if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", text):  # German grouping: 12.345 or 1.234.567
            text = text.replace(".", "")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("„%(value)s“ ist keine Zahl.") % {"value": text}) from None
    if not number.is_finite():
        raise ValueError(_("„%(value)s“ ist keine Zahl.") % {"value": _text(value)})
    read = {"value": _text(value)}
    if number < 0:
        raise ValueError(_("Die Einwohnerzahl darf nicht negativ sein (gelesen: %(value)s).") % read)
    if number != number.to_integral_value():
        raise ValueError(_("Die Einwohnerzahl muss eine ganze Zahl sein (gelesen: %(value)s).") % read)
    if number > MAX_POPULATION:
        raise ValueError(_("Die Einwohnerzahl %(value)s ist unplausibel groß.") % read)
    return int(number)


def parse_date(value) -> date | None:
    """``None`` for an empty cell; dates as TT.MM.JJJJ, JJJJ-MM-TT or an Excel date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    raise ValueError(_("„%(value)s“ ist kein gültiger Stichtag (TT.MM.JJJJ oder JJJJ-MM-TT).") % {"value": text})


def _checked(row: "ImportRow", parse, value):
    try:
        return parse(value)
    except ValueError as exc:
        row.errors.append(str(exc))
        return None


def parse_rows(table: Table, reference_date: date | None) -> list[ImportRow]:
    """Each line checked on its own, then duplicate AGS across lines (both lines are reported)."""
    rows = []
    for raw in table.rows:
        row = ImportRow(line=raw.line, ags=_text(raw.ags), name=_text(raw.name))
        row.ags = _checked(row, parse_ags, raw.ags) or row.ags
        row.new_population = _checked(row, parse_population, raw.population)
        written = _checked(row, parse_date, raw.reference_date)
        row.new_reference_date = written or reference_date
        if row.new_reference_date is None and _text(raw.reference_date) == "":
            row.errors.append(_("Der Stichtag fehlt."))
        rows.append(row)
    lines_by_ags: dict[str, list[int]] = {}
    for row in rows:
        lines_by_ags.setdefault(row.ags, []).append(row.line)
    for row in rows:
        others = [str(n) for n in lines_by_ags[row.ags] if n != row.line]
        if row.ags and others:
            row.errors.append(
                _("Der AGS %(ags)s kommt mehrfach vor (auch in Zeile %(lines)s).")
                % {"ags": row.ags, "lines": ", ".join(others)}
            )
    return rows


def match_rows(rows: list[ImportRow], municipalities: dict) -> None:
    """Compare with the stored municipalities (``{ags: Municipality}``): unknown AGS, old values, names."""
    for row in rows:
        municipality = municipalities.get(row.ags)
        if municipality is None:
            if re.fullmatch(r"\d{8}", row.ags):
                row.errors.append(
                    _("Der AGS %(ags)s gehört zu keiner Kreiskommune. Der Import aktualisiert nur vorhandene "
                      "Kreiskommunen und legt keine neuen an.") % {"ags": row.ags}
                )
            continue
        row.stored_name = municipality.name
        row.old_population = municipality.population
        row.old_reference_date = municipality.population_reference_date
        if row.name and " ".join(row.name.split()).casefold() != " ".join(municipality.name.split()).casefold():
            row.warnings.append(
                _("Der Name „%(file)s“ weicht vom gespeicherten Namen „%(stored)s“ ab; der gespeicherte "
                  "Name bleibt.") % {"file": row.name, "stored": municipality.name}
            )


# --- writing ----------------------------------------------------------------------------------


def apply_rows(rows: list[ImportRow], municipalities: dict, *, user, source: str) -> None:
    """Write population and reference date of the changed rows, each with an entry in its history."""
    changed = [row for row in rows if row.status == Status.UPDATE]
    for row in changed:
        municipality = municipalities[row.ags]
        municipality.population, municipality.population_reference_date = row.new_population, row.new_reference_date
        municipality.full_clean(exclude=["district"], validate_unique=False)  # only the two fields changed
    Municipality.objects.bulk_update([municipalities[row.ags] for row in changed],
                                     ["population", "population_reference_date"])
    for row in changed:
        log(municipalities[row.ags], LOG_ACTION, user=user, data={
            "source": source, "line": row.line,
            "old_population": row.old_population, "new_population": row.new_population,
            "old_reference_date": row.old_reference_date.isoformat(),
            "new_reference_date": row.new_reference_date.isoformat(),
        })
