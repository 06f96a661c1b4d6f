from django.conf import settings
from django.core.management import call_command
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
        # The rate limits count in the database cache in the embedded mode; its table is not a migration.
        call_command("createcachetable")
        from cms.setup import ensure_site_tree
        from portal.demo.build import build_all, build_programmes
        from portal.demo.second_factor import enrol_demo_second_factor

        if User.objects.filter(email=reference.USERS[0][0]).exists():
            self.stdout.write(_("Demo-Daten sind bereits vorhanden; nichts neu angelegt."))
            ensure_site_tree(programmes=list(build_programmes().values()))
            enrol_demo_second_factor()  # a demo from before the second factor gets it now
            return
        # The demo's notification e-mails would flood the console: keep them in memory.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            result = build_all()
        ensure_site_tree(programmes=result["programmes"])
        enrol_demo_second_factor()
        self.stdout.write(self.style.SUCCESS(
            ngettext(
                "Demo-Daten angelegt: %(count)d Antrag. Anmeldung mit dem Passwort „demo“, z. B. antrag@demo.example.",
                "Demo-Daten angelegt: %(count)d Anträge. Anmeldung mit dem Passwort „demo“, z. B. antrag@demo.example.",
                result["applications"],
            )
            % {"count": result["applications"]}
        ))
        self.stdout.write(
            _("Konten der Verwaltung bestätigen die Anmeldung mit einem Code aus einer Authenticator-App "
              "(Schlüssel %(secret)s); im Demo-Modus zeigt die Anmeldeseite den aktuellen Code an.")
            % {"secret": reference.DEMO_TOTP_SECRET}
        )
