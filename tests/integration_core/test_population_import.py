"""The population import service: formats, each validation rule with its line number, all or nothing."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from wagtail.models import ModelLogEntry

from integration_core import importers
from integration_core.importers import parse_population
from integration_core.services import population_import
from tests.factories import role_user

from .helpers import OLD_DATE, csv_bytes, stored, three_towns, xlsx_bytes

pytestmark = pytest.mark.django_db
NEW_DATE = date(2026, 6, 30)


def run(data: bytes, **kwargs):
    return population_import(user=None, file=ContentFile(data, name="einwohner.csv"), **kwargs)


def errors(report) -> list[str]:
    return [str(error) for error in report.errors]


def test_csv_with_bom_semicolons_and_grouping_updates_population_and_date():
    three_towns()
    report = run(csv_bytes(
        "AGS;Gemeinde;Einwohner;Stichtag",
        "08299001;Neustadt;12.345;30.06.2026",
        "08299002;Altdorf;8000;31.12.2025",  # same as stored: unchanged
        bom=True,
    ))
    assert errors(report) == []
    assert report.applied
    assert (report.updated, report.unchanged, report.warning_count) == (1, 1, 0)
    assert stored() == {"08299001": (12345, NEW_DATE), "08299002": (8000, OLD_DATE), "08299003": (3000, OLD_DATE)}
    assert report.not_in_file == ["Bergheim"]
    entry = ModelLogEntry.objects.get(action=importers.LOG_ACTION)
    assert entry.data["old_population"] == 12000
    assert entry.data["new_population"] == 12345
    assert entry.data["source"] == "einwohner.csv"


def test_csv_with_commas_english_headers_and_iso_dates():
    three_towns()
    report = run(csv_bytes(
        "ags,name,population,reference_date",
        '08299003,"Bergheim",3100,2026-06-30',
    ))
    assert errors(report) == []
    assert stored()["08299003"] == (3100, NEW_DATE)


def test_xlsx_first_sheet_with_date_cells_and_numeric_cells():
    three_towns()
    data = xlsx_bytes([
        ["Gemeindeschlüssel", "Gemeindename", "Bevölkerung", "STICHTAG"],
        ["08299001", "Neustadt", 12500, datetime(2026, 6, 30)],
        [8299002, "Altdorf", 8100.0, date(2026, 6, 30)],  # a number cell has lost its leading zero
        [None, None, None, None],
        ["08299003", "Bergheim", "3.050", "30.06.2026"],
    ])
    report = population_import(user=None, file=ContentFile(data, name="tabelle.xlsx"))
    assert errors(report) == []
    assert [row.line for row in report.rows] == [2, 3, 5]
    assert stored() == {"08299001": (12500, NEW_DATE), "08299002": (8100, NEW_DATE), "08299003": (3050, NEW_DATE)}


def test_without_stichtag_column_the_reference_date_is_required():
    three_towns()
    data = csv_bytes("AGS;Name;Einwohnerzahl", "08299001;Neustadt;13000")
    report = run(data)
    assert errors(report) == [
        "Die Datei hat keine Spalte „Stichtag“. Bitte geben Sie den Stichtag der Einwohnerzahlen beim Import an."
    ]
    assert stored()["08299001"] == (12000, OLD_DATE)

    report = run(data, reference_date=NEW_DATE)
    assert errors(report) == []
    assert stored()["08299001"] == (13000, NEW_DATE)


def test_a_missing_required_column_is_one_clear_error_on_line_1():
    three_towns()
    report = run(csv_bytes("AGS;Gemeinde;Stichtag", "08299001;Neustadt;30.06.2026"))
    assert len(report.errors) == 1
    message = errors(report)[0]
    assert message.startswith("Zeile 1: In der Kopfzeile fehlt eine Pflichtspalte: „Einwohner“")
    assert "bevölkerung" in message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("0829900;Neustadt;100;30.06.2026",
         "Zeile 3: „0829900“ ist kein gültiger AGS: Er besteht aus genau 8 Ziffern. Fehlt die führende 0?"),
        ("082990011;Neustadt;100;30.06.2026", "Zeile 3: „082990011“ ist kein gültiger AGS"),
        (";Neustadt;100;30.06.2026", "Zeile 3: Der AGS fehlt."),
        ("08299999;Irgendwo;100;30.06.2026",
         "Zeile 3: Der AGS 08299999 gehört zu keiner Kreiskommune. Der Import aktualisiert nur vorhandene "
         "Kreiskommunen und legt keine neuen an."),
        ("08299003;Bergheim;;30.06.2026", "Zeile 3: Die Einwohnerzahl fehlt."),
        ("08299003;Bergheim;-5;30.06.2026", "Zeile 3: Die Einwohnerzahl darf nicht negativ sein (gelesen: -5)."),
        ("08299003;Bergheim;12,5;30.06.2026",
         "Zeile 3: Die Einwohnerzahl muss eine ganze Zahl sein (gelesen: 12,5)."),
        ("08299003;Bergheim;1.5;30.06.2026", "Zeile 3: Die Einwohnerzahl muss eine ganze Zahl sein (gelesen: 1.5)."),
        ("08299003;Bergheim;viele;30.06.2026", "Zeile 3: „viele“ ist keine Zahl."),
        ("08299003;Bergheim;3000;31.02.2026",
         "Zeile 3: „31.02.2026“ ist kein gültiger Stichtag (TT.MM.JJJJ oder JJJJ-MM-TT)."),
        ("08299003;Bergheim;3000;", "Zeile 3: Der Stichtag fehlt."),
    ],
)
def test_each_bad_line_is_reported_with_its_line_number_and_nothing_is_imported(line, expected):
    three_towns()
    before = stored()
    report = run(csv_bytes("AGS;Gemeinde;Einwohner;Stichtag", "08299001;Neustadt;12.500;30.06.2026", line))
    assert len(report.errors) == 1
    assert errors(report)[0].startswith(expected)
    assert not report.applied
    assert stored() == before  # the good line 2 was not imported either
    assert not ModelLogEntry.objects.filter(action=importers.LOG_ACTION).exists()


def test_duplicate_ags_reports_both_lines():
    three_towns()
    before = stored()
    report = run(csv_bytes(
        "AGS;Gemeinde;Einwohner;Stichtag",
        "08299001;Neustadt;12.500;30.06.2026",
        "08299002;Altdorf;8.100;30.06.2026",
        "08299001;Neustadt;12.600;30.06.2026",
    ))
    assert errors(report) == [
        "Zeile 2: Der AGS 08299001 kommt mehrfach vor (auch in Zeile 4).",
        "Zeile 4: Der AGS 08299001 kommt mehrfach vor (auch in Zeile 2).",
    ]
    assert stored() == before


def test_all_errors_of_the_file_are_listed_line_by_line_and_blank_lines_keep_the_numbering():
    three_towns()
    before = stored()
    report = run(csv_bytes(
        "AGS;Gemeinde;Einwohner;Stichtag",
        "08299001;Neustadt;-1;30.06.2026",
        "",
        "08299002;Altdorf;8.100;30.06.2026",
        "08299077;Neudorf;500;30.06.2026",
    ))
    assert [error.line for error in report.errors] == [2, 5]
    assert report.rows[1].status == "update"  # the good line is shown, but not imported
    assert stored() == before


def test_a_different_name_is_a_warning_not_an_error():
    three_towns()
    report = run(csv_bytes("AGS;Gemeinde;Einwohner;Stichtag", "08299001;Neustadt, Stadt;12.500;30.06.2026",
                           "08299002;  ALTDORF ;8.000;31.12.2025"))
    assert errors(report) == []
    assert [str(w) for w in report.warnings] == [
        "Zeile 2: Der Name „Neustadt, Stadt“ weicht vom gespeicherten Namen „Neustadt“ ab; "
        "der gespeicherte Name bleibt."
    ]
    assert (report.updated, report.unchanged, report.warning_count) == (1, 1, 1)
    assert stored()["08299001"] == (12500, NEW_DATE)


def test_dry_run_checks_and_counts_but_changes_nothing():
    three_towns()
    before = stored()
    report = run(csv_bytes("AGS;Gemeinde;Einwohner;Stichtag", "08299001;Neustadt;12.500;30.06.2026"), dry_run=True)
    assert report.ok
    assert not report.applied
    assert report.updated == 1
    assert (report.rows[0].old_population, report.rows[0].new_population) == (12000, 12500)
    assert stored() == before
    assert not ModelLogEntry.objects.filter(action=importers.LOG_ACTION).exists()


def test_only_users_who_may_change_municipalities_may_import():
    three_towns()
    data = csv_bytes("AGS;Gemeinde;Einwohner;Stichtag", "08299001;Neustadt;12.500;30.06.2026")
    with pytest.raises(PermissionDenied):
        population_import(user=role_user("Finanzen"), file=ContentFile(data), dry_run=True)
    report = population_import(user=role_user("Sachbearbeitung"), file=ContentFile(data))
    assert report.applied
    assert ModelLogEntry.objects.get(action=importers.LOG_ACTION).user is not None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "Die Datei ist leer."),
        (b"%PDF-1.7\n\xe2\xe3\xcf\xd3 binary", "weder eine XLSX-Datei noch eine UTF-8-kodierte CSV-Datei"),
        ("AGS;Gemeinde;Einwohner\n08299001;Mühlhofen;5\n".encode("cp1252"), "„CSV UTF-8“"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Das alte Excel-Format (.xls)"),
        (b"AGS\x00;Name", "keine Textdatei"),
        (b"PK\x03\x04 not really a zip", "Die XLSX-Datei ist beschädigt."),
        (b"AGS;Gemeinde;Einwohner;Stichtag\n", "Zeile 1: Die Datei enthält keine Datenzeilen."),
    ],
)
def test_files_that_are_not_csv_or_xlsx_are_refused(data, expected):
    three_towns()
    report = run(data)
    assert not report.ok
    assert expected in errors(report)[0]


def test_a_zip_that_is_no_workbook_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("word/document.xml", "<x/>")
    assert errors(run(buffer.getvalue())) == ["Die Datei ist ein ZIP-Archiv, aber keine XLSX-Datei."]


def test_too_big_files_and_xlsx_that_unpack_too_big_are_refused(monkeypatch):
    three_towns()
    oversized = csv_bytes("AGS;Gemeinde;Einwohner;Stichtag") + b"x" * importers.MAX_BYTES
    assert errors(run(oversized)) == ["Die Datei ist größer als 5 MB."]

    workbook = xlsx_bytes([["AGS", "Name", "Einwohner", "Stichtag"], ["08299001", "Neustadt", 1, "30.06.2026"]])
    monkeypatch.setattr(importers, "MAX_UNPACKED_BYTES", 2000)  # a zip bomb, scaled down
    assert errors(run(workbook)) == ["Die XLSX-Datei ist entpackt zu groß (mehr als 50 MB)."]


@pytest.mark.parametrize(
    ("written", "expected"),
    [("12.345", 12345), ("12345", 12345), (" 1.234.567 ", 1234567), ("12 345", 12345), (12345, 12345),
     (12345.0, 12345), ("0", 0), ("+42", 42), ("12.345,00", 12345)],
)
def test_population_may_be_written_with_or_without_grouping(written, expected):
    assert parse_population(written) == expected


@pytest.mark.parametrize("written", ["12,5", "-1", "1.2345", "12.34", True, float("nan"), "3e99"])
def test_population_that_is_no_whole_non_negative_number_is_refused(written):
    with pytest.raises(ValueError, match=r"."):
        parse_population(written)


@pytest.mark.postgres
def test_the_listed_rows_are_locked_while_importing(require_postgres, monkeypatch):
    """A second connection cannot lock a municipality being imported, but can lock one not in the file."""
    import threading

    from django.db import DatabaseError, connection, transaction

    from integration_core.models import Municipality

    three_towns()
    seen = {}
    real_apply = importers.apply_rows

    def try_lock(ags):
        try:
            with transaction.atomic():
                Municipality.objects.select_for_update(nowait=True).get(ags=ags)
            seen[ags] = "frei"
        except DatabaseError:
            seen[ags] = "gesperrt"
        finally:
            connection.close()

    def apply_while_probing(*args, **kwargs):
        for ags in ("08299001", "08299003"):
            probe = threading.Thread(target=try_lock, args=(ags,))
            probe.start()
            probe.join()
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(importers, "apply_rows", apply_while_probing)
    report = run(csv_bytes("AGS;Gemeinde;Einwohner;Stichtag", "08299001;Neustadt;12.500;30.06.2026"))
    assert report.applied
    assert seen == {"08299001": "gesperrt", "08299003": "frei"}
