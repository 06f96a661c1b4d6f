"""allauth's form errors in the portal's voice ("Sie"); allauth's own German catalogue says "du"."""

from django.utils.translation import gettext_lazy as _

ERROR_MESSAGES = {
    "account_inactive": _("Dieses Konto ist derzeit gesperrt."),
    "email_password_mismatch": _("E-Mail-Adresse oder Passwort stimmen nicht."),
    "email_taken": _("Mit dieser E-Mail-Adresse gibt es bereits ein Konto."),
    "enter_current_password": _("Bitte geben Sie Ihr aktuelles Passwort ein."),
    "incorrect_password": _("Das Passwort stimmt nicht."),
    "invalid_login": _("Die Anmeldung ist nicht gültig."),
    "invalid_or_expired_key": _("Der Link ist ungültig oder abgelaufen."),
    "invalid_password_reset": _("Der Link zum Zurücksetzen des Passworts ist ungültig oder abgelaufen."),
    "rate_limited": _("Sie haben zu viele Anfragen in kurzer Zeit gesendet. Bitte warten Sie einen Moment."),
    "too_many_login_attempts": _("Zu viele fehlgeschlagene Anmeldeversuche."),
    "unknown_email": _("Zu dieser E-Mail-Adresse gibt es kein Konto."),
    "unverified_primary_email": _("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."),
}
