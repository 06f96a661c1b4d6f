"""Write the yearly indicator table (Kennzahlentabelle) for the Regierungspräsidium.

    python manage.py export_indicator_table --year 2025 --format xlsx --output kennzahlen-2025.xlsx
    python manage.py export_indicator_table --year 2025 --format csv --output kennzahlen-2025.csv

The same protected figures as the staff page (small counts hidden as "·").
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from integration_core.indicators.table_files import table_csv, table_xlsx
from integration_core.indicators.yearly_table import build_table


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a real string, not a lazy one
        return _("Schreibt die Kennzahlentabelle eines Berichtsjahres als XLSX- oder CSV-Datei.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=_("Berichtsjahr, z. B. 2025"))
        parser.add_argument("--format", choices=["xlsx", "csv"], required=True, help=_("Dateiformat"))
        parser.add_argument("--output", required=True, help=_("Zieldatei"))

    def handle(self, *args, year: int, format: str, output: str, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(_("Das Berichtsjahr %(year)s ist nicht plausibel.") % {"year": year})
        target = Path(output)
        if not target.parent.exists():
            raise CommandError(_("Das Verzeichnis %(dir)s gibt es nicht.") % {"dir": target.parent})
        table = build_table(year, today=timezone.localdate())
        target.write_bytes(table_xlsx(table) if format == "xlsx" else table_csv(table))
        self.stdout.write(_("Kennzahlentabelle %(year)s geschrieben: %(file)s (%(rows)s Zeilen)") % {
            "year": year, "file": target, "rows": len(table.rows)})
