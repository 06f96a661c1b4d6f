"""Re-encrypt the special-category case fields with the current first key (after a key rotation).

Rotation: put the new salt first in SALT_KEY (keep the old ones after it), or move the old
SECRET_KEY into SECRET_KEY_FALLBACKS; deploy; run this command; then drop the old salt/key.
Decryption tries every configured key, encryption uses the first, so re-saving rotates.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from encrypted_fields.fields import EncryptedFieldMixin

from integration_core.models import Competences

CHUNK = 500


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a real string, not a lazy one
        return _("Verschlüsselt die besonders geschützten Falldaten mit dem aktuellen Schlüssel neu.")

    def handle(self, *args, **options):
        encrypted = [f for f in Competences._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
        fields = [f.name for f in encrypted]
        done = 0
        ids = list(Competences.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            with transaction.atomic():
                rows = list(Competences.objects.select_for_update().filter(pk__in=ids[start:start + CHUNK]))
                Competences.objects.bulk_update(rows, fields)
            done += len(rows)
        if options["verbosity"]:
            self.stdout.write(ngettext("%(count)d Datensatz neu verschlüsselt (%(fields)s).",
                                       "%(count)d Datensätze neu verschlüsselt (%(fields)s).", done)
                              % {"count": done, "fields": ", ".join(str(f.verbose_name) for f in encrypted)})
