from django.db import models
from django.utils.translation import gettext_lazy as _


class SentMessage(models.Model):
    """Marks an e-mail as sent under a key, so a task that runs twice sends once."""

    key = models.CharField(_("Schlüssel"), max_length=100, unique=True)
    recipients = models.TextField(_("Empfänger"), blank=True)
    subject = models.CharField(_("Betreff"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("gesendet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Versandte Nachricht")
        verbose_name_plural = _("Versandte Nachrichten")

    def __str__(self):
        return self.key
