"""``manage.py import_population``: the report line by line in German, exit status 1 on errors."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .helpers import OLD_DATE, csv_bytes, stored, three_towns, xlsx_bytes

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "integration_core" / "fixtures" / "population_sample.csv"


def command(*args):
    out, err = StringIO(), StringIO()
    call_command("import_population", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_each_line_and_the_counts(tmp_path):
    three_towns()
    path = tmp_path / "einwohner.csv"
    path.write_bytes(csv_bytes("AGS;Gemeinde;Einwohner;Stichtag", "08299001;Neustadt;12.500;30.06.2026",
                               "08299002;Altdorf, Stadt;8.000;31.12.2025"))
    out, err = command(path)
    assert err == ""
    assert "Zeile 2: 08299001 Neustadt: 12.000 → 12.500, Stichtag 31.12.2025 → 30.06.2026 (aktualisiert)" in out
    assert "Zeile 3: 08299002 Altdorf: 8.000 → 8.000, Stichtag 31.12.2025 → 31.12.2025 (unverändert)" in out
    assert "Hinweis – Zeile 3: Der Name „Altdorf, Stadt“ weicht" in out
    assert "Nicht in der Datei (bleiben unverändert): Bergheim" in out
    assert "Import abgeschlossen: 1 Kreiskommunen aktualisiert, 1 unverändert, 1 Hinweise." in out
    assert stored()["08299001"] == (12500, date(2026, 6, 30))


def test_dry_run_reports_and_changes_nothing(tmp_path):
    three_towns()
    before = stored()
    path = tmp_path / "einwohner.xlsx"
    path.write_bytes(xlsx_bytes([["AGS", "Name", "Einwohner"], ["08299003", "Bergheim", 3100]]))
    out, _err = command(path, "--dry-run", "--stichtag", "30.06.2026")
    assert "Zeile 2: 08299003 Bergheim: 3.000 → 3.100, Stichtag 31.12.2025 → 30.06.2026 (wird aktualisiert)" in out
    assert "Probelauf ohne Fehler: 1 Kreiskommunen würden aktualisiert" in out
    assert stored() == before


def test_errors_go_to_stderr_line_by_line_and_the_exit_status_is_1(tmp_path):
    three_towns()
    before = stored()
    path = tmp_path / "einwohner.csv"
    path.write_bytes(csv_bytes("AGS;Gemeinde;Einwohner;Stichtag", "08299001;Neustadt;12.500;30.06.2026",
                               "08299099;Neudorf;100;30.06.2026", "08299002;Altdorf;-3;30.06.2026"))
    err = StringIO()
    with pytest.raises(CommandError, match=r"2 Fehler gefunden\. Es wurde nichts importiert\.") as failure:
        call_command("import_population", str(path), stdout=StringIO(), stderr=err)
    assert failure.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Fehler – Zeile 3: Der AGS 08299099 gehört zu keiner Kreiskommune.")
    assert lines[1] == "Fehler – Zeile 4: Die Einwohnerzahl darf nicht negativ sein (gelesen: -3)."
    assert stored() == before


def test_missing_file_and_bad_stichtag_are_refused(tmp_path):
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        command(tmp_path / "fehlt.csv")
    path = tmp_path / "einwohner.csv"
    path.write_bytes(csv_bytes("AGS;Gemeinde;Einwohner", "08299001;Neustadt;1"))
    with pytest.raises(CommandError, match="kein gültiger Stichtag"):
        command(path, "--stichtag", "gestern")


def test_the_sample_file_imports_into_the_demo_district():
    from portal.demo.build import build_district

    build_district()
    out, _err = command(SAMPLE)
    assert "22 Kreiskommunen aktualisiert" in out
    assert OLD_DATE not in {ref for _pop, ref in stored().values()}
