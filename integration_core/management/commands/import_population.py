"""Import the official population table of the district's municipalities from CSV or XLSX.

    python manage.py import_population einwohner.csv --dry-run        # check only, change nothing
    python manage.py import_population einwohner.xlsx                 # check and import (all or nothing)
    python manage.py import_population einwohner.csv --stichtag 31.12.2025   # file without a Stichtag column

Prints every line with its old and new population, then the warnings and the errors line by line;
exits with status 1 if there is any error (nothing is imported then).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from integration_core.importers import parse_date
from integration_core.services import population_import


def _number(value) -> str:
    return "–" if value is None else number_format(value, force_grouping=True)


def _date(value) -> str:
    return "–" if value is None else value.strftime("%d.%m.%Y")


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a real string, not a lazy one
        return _("Importiert die amtlichen Einwohnerzahlen der Kreiskommunen aus einer CSV- oder XLSX-Datei.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("CSV- (UTF-8) oder XLSX-Datei mit AGS, Name, Einwohner, Stichtag"))
        parser.add_argument("--dry-run", action="store_true", help=_("nur prüfen, nichts ändern"))
        parser.add_argument(
            "--stichtag", "--reference-date", dest="reference_date",
            help=_("Stichtag (TT.MM.JJJJ) für Zeilen ohne eigenen Stichtag; nötig ohne Spalte „Stichtag“"),
        )

    def handle(self, *args, file, dry_run=False, reference_date=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Datei nicht gefunden: %(path)s") % {"path": file})
        try:
            stichtag = parse_date(reference_date) if reference_date else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        with path.open("rb") as handle:
            report = population_import(user=None, file=handle, reference_date=stichtag, dry_run=dry_run)

        for row in report.rows:
            self.stdout.write(
                _("Zeile %(line)d: %(ags)s %(name)s: %(old)s → %(new)s, "
                  "Stichtag %(old_date)s → %(new_date)s (%(status)s)")
                % {"line": row.line, "ags": row.ags, "name": row.stored_name or row.name,
                   "old": _number(row.old_population), "new": _number(row.new_population),
                   "old_date": _date(row.old_reference_date), "new_date": _date(row.new_reference_date),
                   "status": row.status_label(report.applied)}
            )
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(_("Hinweis – %(message)s") % {"message": warning}))
        for error in report.errors:
            self.stderr.write(self.style.ERROR(_("Fehler – %(message)s") % {"message": error}))
        if report.not_in_file:
            self.stdout.write(_("Nicht in der Datei (bleiben unverändert): %(names)s")
                              % {"names": ", ".join(report.not_in_file)})

        if not report.ok:
            raise CommandError(
                _("%(count)d Fehler gefunden. Es wurde nichts importiert.") % {"count": len(report.errors)},
                returncode=1,
            )
        counts = {"updated": report.updated, "unchanged": report.unchanged, "warnings": report.warning_count}
        if dry_run:
            message = _("Probelauf ohne Fehler: %(updated)d Kreiskommunen würden aktualisiert, %(unchanged)d "
                        "blieben unverändert, %(warnings)d Hinweise. Es wurde nichts geändert.") % counts
        else:
            message = _("Import abgeschlossen: %(updated)d Kreiskommunen aktualisiert, %(unchanged)d "
                        "unverändert, %(warnings)d Hinweise.") % counts
        self.stdout.write(self.style.SUCCESS(message))
