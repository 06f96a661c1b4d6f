"""Write a payout batch's SEPA file (pain.001.001.09) for automation, or list the batches.

The file is the one stored when the batch was created (byte for byte what the download returns).

    python manage.py export_payout_batch                       # list: id, date, count, total
    python manage.py export_payout_batch 7 --output lauf.xml   # write the file
    python manage.py export_payout_batch 7                     # XML to standard output
"""

import os
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from djmoney.money import Money

from grants.models import PayoutBatch
from grants.sepa import payout_filename
from grants.services.payouts import stored_sepa_file
from programmes.rules import format_eur


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a real string, not a lazy one; translated when asked for
        return _("Schreibt die SEPA-Überweisungsdatei (pain.001.001.09) eines Zahlungslaufs; ohne ID: Liste der Läufe.")

    def add_arguments(self, parser):
        parser.add_argument("batch_id", nargs="?", help=_("ID (oder Nummer) des Zahlungslaufs"))
        parser.add_argument(
            "--output", "-o", help=_("Zieldatei; ohne Angabe wird das XML auf stdout ausgegeben")
        )

    def handle(self, *args, batch_id=None, output=None, **options):
        if batch_id is None:
            if output:
                raise CommandError(_("Für --output ist die ID eines Zahlungslaufs nötig."))
            self._list()
            return
        batch = self._batch(batch_id)
        try:
            xml = stored_sepa_file(batch_id=batch.pk)
            batch.refresh_from_db()  # a batch from before stored files has its hash only now
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if not output:
            self.stdout.write(xml.decode("utf-8"))
            return
        _write_atomically(Path(output), xml)
        self.stdout.write(self.style.SUCCESS(
            _("SEPA-Datei für Zahlungslauf %(number)s geschrieben: %(path)s (%(count)s Zahlungen, %(total)s; "
              "Dateiname zum Hochladen: %(name)s; SHA-256 %(sha256)s)") % {
                "number": batch.number, "path": output, "count": batch.items.count(),
                "total": format_eur(_total(batch.items.aggregate(total=Sum("amount"))["total"])),
                "name": payout_filename(batch), "sha256": batch.sepa_sha256}
        ))

    def _batch(self, batch_id: str) -> PayoutBatch:
        lookup = {"pk": int(batch_id)} if batch_id.isdigit() else {"number": batch_id}
        try:
            return PayoutBatch.objects.get(**lookup)
        except PayoutBatch.DoesNotExist:
            message = _("Zahlungslauf „%(id)s“ gibt es nicht. Ohne ID zeigt der Befehl alle Zahlungsläufe.")
            raise CommandError(message % {"id": batch_id}) from None

    def _list(self) -> None:
        batches = PayoutBatch.objects.annotate(count=Count("items"), total=Sum("items__amount")).order_by("pk")
        header = (_("ID"), _("Nummer"), _("Ausführung"), _("Status"), _("Anzahl"), _("Summe"))
        rows = [
            (str(b.pk), b.number, b.execution_date.strftime("%d.%m.%Y"), str(b.get_status_display()), str(b.count),
             format_eur(_total(b.total)))
            for b in batches
        ]
        if not rows:
            self.stdout.write(_("Es gibt noch keine Zahlungsläufe."))
            return
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        right = {0, 4, 5}  # numbers right-aligned

        def line(row):
            pairs = enumerate(zip(row, widths, strict=True))
            cells = [cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in pairs]
            return "  ".join(cells).rstrip()

        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line(row))


def _total(value) -> Money:
    if isinstance(value, Money):
        return value
    return Money(value or 0, "EUR")


def _write_atomically(path: Path, data: bytes) -> None:
    """Write next to the target, then rename: a watcher never picks up half a file."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise CommandError(_("Das Verzeichnis %(dir)s gibt es nicht.") % {"dir": directory})
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".sepa-", suffix=".xml")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
