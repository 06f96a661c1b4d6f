"""Write the pseudonymised statistics extract of a reporting year (for the statistics office).

    python manage.py export_statistics_extract --year 2025 --output auszug-2025.csv --user statistik@example.org

One row per case active in the year with a valid statistics consent; keyed pseudonym
(STATISTICS_PSEUDONYM_KEY), age bands, origin groups, quarters; no names, no free text.
Like a download in the admin, the export is logged in the case read log under the person named by
``--user``, who must be an active account holding the export right.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from integration_core.indicators.extract import extract_download

EXPORT_EXTRACT = "integration_core.export_case_statistics"


def _user(email: str):
    users = list(get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)[:2])
    if len(users) != 1:
        raise CommandError(_("Es gibt kein (eindeutiges) aktives Konto mit der E-Mail-Adresse %(email)s.")
                           % {"email": email})
    if not users[0].has_perm(EXPORT_EXTRACT):
        raise CommandError(_("%(email)s darf den Statistikauszug nicht herunterladen.") % {"email": email})
    return users[0]


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Schreibt den pseudonymisierten Statistikauszug eines Berichtsjahres als CSV-Datei.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=_("Berichtsjahr, z. B. 2025"))
        parser.add_argument("--output", required=True, help=_("Zieldatei (CSV)"))
        parser.add_argument("--user", required=True,
                            help=_("E-Mail-Adresse der Person, die den Auszug erhält (wird im Protokoll der "
                                   "Fallzugriffe vermerkt)"))

    def handle(self, *args, year: int, output: str, user: str, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(_("Das Berichtsjahr %(year)s ist nicht plausibel.") % {"year": year})
        target = Path(output)
        if not target.parent.exists():
            raise CommandError(_("Das Verzeichnis %(dir)s gibt es nicht.") % {"dir": target.parent})
        person = _user(user)
        target.write_bytes(extract_download(user=person, year=year, today=timezone.localdate()))
        self.stdout.write(_("Statistikauszug %(year)s geschrieben: %(file)s") % {"year": year, "file": target})
