"""Write the approval list (Beschlussvorlage) of a frozen meeting as PDF, XLSX or CSV, or list the meetings.

    python manage.py export_approval_list                                      # list: id, date, committee, items
    python manage.py export_approval_list 7 --format xlsx --output liste.xlsx  # write the file
    python manage.py export_approval_list 7 --format csv                       # CSV to standard output
"""

import os
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils.translation import gettext as _

from grants.committee_exports import FORMATS, approval_export
from grants.models import Meeting


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a real string, not a lazy one; translated when asked for
        return _("Schreibt die Beschlussvorlage einer Ausschusssitzung als PDF, XLSX oder CSV; ohne ID: Liste der "
                 "Sitzungen.")

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", nargs="?", help=_("ID der Ausschusssitzung"))
        # No argparse choices: a wrong format gets the German message below, not argparse's English one.
        parser.add_argument("--format", "-f", dest="file_format", default="pdf",
                            help=_("Dateiformat: pdf, xlsx oder csv (Standard: pdf)"))
        parser.add_argument("--output", "-o",
                            help=_("Zieldatei; ohne Angabe gehen CSV auf stdout, PDF und XLSX brauchen eine Datei"))

    def handle(self, *args, meeting_id=None, file_format="pdf", output=None, **options):
        if meeting_id is None:
            if output:
                raise CommandError(_("Für --output ist die ID einer Ausschusssitzung nötig."))
            self._list()
            return
        file_format = file_format.lower().lstrip(".")
        if file_format not in FORMATS:
            raise CommandError(_("Unbekanntes Format „%(format)s“; möglich sind: %(formats)s.") % {
                "format": file_format, "formats": ", ".join(FORMATS)})
        meeting = self._meeting(meeting_id)
        if not output and file_format != "csv":
            raise CommandError(_("%(format)s ist eine Binärdatei: Geben Sie mit --output eine Zieldatei an.")
                               % {"format": file_format.upper()})
        try:
            export = approval_export(meeting, file_format)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if not output:
            self.stdout.write(export.content.decode("utf-8"), ending="")  # keeps the BOM for a redirect
            return
        _write_atomically(Path(output), export.content)
        self.stdout.write(self.style.SUCCESS(
            _("Beschlussvorlage der Sitzung %(meeting)s geschrieben: %(path)s (%(count)s Tagesordnungspunkte; "
              "Dateiname zum Herunterladen: %(name)s)") % {
                "meeting": meeting, "path": output, "count": meeting.items.count(), "name": export.filename}))

    def _meeting(self, meeting_id: str) -> Meeting:
        message = _("Ausschusssitzung „%(id)s“ gibt es nicht. Ohne ID zeigt der Befehl alle Sitzungen.")
        if not str(meeting_id).isdigit():
            raise CommandError(message % {"id": meeting_id})
        try:
            return Meeting.objects.get(pk=int(meeting_id))
        except Meeting.DoesNotExist:
            raise CommandError(message % {"id": meeting_id}) from None

    def _list(self) -> None:
        meetings = Meeting.objects.annotate(count=Count("items")).order_by("date", "pk")
        header = (_("ID"), _("Datum"), _("Gremium"), _("Punkte"), _("festgeschrieben"))
        rows = [(str(m.pk), m.date.strftime("%d.%m.%Y"), m.committee, str(m.count),
                 _("ja") if m.is_frozen else _("nein")) for m in meetings]
        if not rows:
            self.stdout.write(_("Es gibt noch keine Ausschusssitzungen."))
            return
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        right = {0, 3}  # numbers right-aligned

        def line(row):
            pairs = enumerate(zip(row, widths, strict=True))
            return "  ".join(cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in pairs).rstrip()

        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line(row))


def _write_atomically(path: Path, data: bytes) -> None:
    """Write next to the target, then rename: a watcher never picks up half a file."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise CommandError(_("Das Verzeichnis %(dir)s gibt es nicht.") % {"dir": directory})
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".beschlussvorlage-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
