from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.models import User
from portal.demo import reference


class Command(BaseCommand):
    help = _("Legt die Demo-Daten des fiktiven Landkreises Musterstadt an (nur im Demo-Modus; mehrfach ausführbar).")

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(_("Demo-Daten werden nur im Demo-Modus angelegt (DEMO_MODE=1), nie in Produktion."))
        from cms.setup import ensure_site_tree
        from portal.demo.build import build_all, build_programmes

        if User.objects.filter(email=reference.USERS[0][0]).exists():
            self.stdout.write(_("Demo-Daten sind bereits vorhanden; nichts neu angelegt."))
            ensure_site_tree(programmes=list(build_programmes().values()))
            return
        # The demo's notification e-mails would flood the console: keep them in memory.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            result = build_all()
        ensure_site_tree(programmes=result["programmes"])
        self.stdout.write(self.style.SUCCESS(
            ngettext(
                "Demo-Daten angelegt: %(count)d Antrag. Anmeldung mit dem Passwort „demo“, z. B. antrag@demo.example.",
                "Demo-Daten angelegt: %(count)d Anträge. Anmeldung mit dem Passwort „demo“, z. B. antrag@demo.example.",
                result["applications"],
            )
            % {"count": result["applications"]}
        ))
