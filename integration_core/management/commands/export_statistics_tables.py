"""Write the protected tables derived from the statistics extract of a reporting year (statistics office).

    python manage.py export_statistics_tables --year 2025 --output tabellen-2025.xlsx
    python manage.py export_statistics_tables --year 2025 --output tabellen-2025.csv

The format follows the file name (``.csv``, otherwise XLSX) unless ``--format`` says it. Small counts and
what would give them away are hidden as "·", as on every page of the monitoring.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from integration_core.indicators.extract_tables import build_tables, tables_csv, tables_xlsx


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a real string, not a lazy one
        return _("Schreibt die aus dem Statistikauszug abgeleiteten, geschützten Tabellen eines Berichtsjahres.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=_("Berichtsjahr, z. B. 2025"))
        parser.add_argument("--output", required=True, help=_("Zieldatei (XLSX oder CSV)"))
        parser.add_argument("--format", choices=["xlsx", "csv"], help=_("Dateiformat (sonst nach der Endung)"))

    def handle(self, *args, year: int, output: str, format: str | None, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(_("Das Berichtsjahr %(year)s ist nicht plausibel.") % {"year": year})
        target = Path(output)
        if not target.parent.exists():
            raise CommandError(_("Das Verzeichnis %(dir)s gibt es nicht.") % {"dir": target.parent})
        fmt = format or ("csv" if target.suffix.lower() == ".csv" else "xlsx")
        tables = build_tables(year=year, today=timezone.localdate())
        target.write_bytes(tables_csv(tables, year=year) if fmt == "csv" else tables_xlsx(tables, year=year))
        self.stdout.write(_("Statistiktabellen %(year)s geschrieben: %(file)s (%(count)s Tabellen)") % {
            "year": year, "file": target, "count": len(tables)})
