from django.db import models
from django.utils import timezone
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


class OutboxMessageQuerySet(models.QuerySet):
    def undelivered(self):
        return self.filter(delivered_at__isnull=True)

    def due(self, now):
        """Undelivered and neither leased by a worker nor waiting out a backoff."""
        return self.undelivered().filter(next_attempt_at__lte=now)


class OutboxMessage(models.Model):
    """A side effect (e-mail, letter, …) written in the same transaction as the change it follows.

    Delivered by ``grants.outbox`` (read its docstring for the API): right after the commit if the broker
    answers, else by the re-drive task every minute. ``next_attempt_at`` is both the backoff after a failure
    and the lease of the worker delivering it, so a second worker leaves it alone meanwhile.
    """

    kind = models.CharField(_("Art"), max_length=100)
    key = models.CharField(_("Schlüssel"), max_length=200, unique=True)
    payload = models.JSONField(_("Daten"), default=dict)
    target = models.CharField(_("betrifft"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    delivered_at = models.DateTimeField(_("ausgeführt am"), null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ausstehende Folgeaktion")
        verbose_name_plural = _("Ausstehende Folgeaktionen")
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(delivered_at__isnull=True),
                         name="outbox_undelivered_idx"),
        ]

    def __str__(self):
        return self.key
