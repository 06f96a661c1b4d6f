"""Write the pseudonymised statistics extract of a reporting year (for the statistics office).

    python manage.py export_statistics_extract --year 2025 --output auszug-2025.csv

One row per case active in the year with a valid statistics consent; keyed pseudonym
(STATISTICS_PSEUDONYM_KEY), age bands, origin groups, quarters; no names, no free text.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from integration_core.indicators.extract import extract_csv


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Schreibt den pseudonymisierten Statistikauszug eines Berichtsjahres als CSV-Datei.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=_("Berichtsjahr, z. B. 2025"))
        parser.add_argument("--output", required=True, help=_("Zieldatei (CSV)"))

    def handle(self, *args, year: int, output: str, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(_("Das Berichtsjahr %(year)s ist nicht plausibel.") % {"year": year})
        target = Path(output)
        if not target.parent.exists():
            raise CommandError(_("Das Verzeichnis %(dir)s gibt es nicht.") % {"dir": target.parent})
        target.write_bytes(extract_csv(year=year, today=timezone.localdate()))
        self.stdout.write(_("Statistikauszug %(year)s geschrieben: %(file)s") % {"year": year, "file": target})
