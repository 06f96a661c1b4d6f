from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from ..states import State

IMMUTABLE = "Verlaufseinträge sind unveränderlich."


class EventQuerySet(models.QuerySet):
    """Bulk paths bypass ``save``/``delete``; refuse them too (bulk_update goes through update)."""

    def update(self, **kwargs):
        raise PermissionDenied(IMMUTABLE)

    def delete(self):
        raise PermissionDenied(IMMUTABLE)


class ApplicationEvent(models.Model):
    """One row per transition or money movement; written once, never changed."""

    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="events", verbose_name=_("Antrag")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("durch"),
    )
    action = models.CharField(_("Vorgang"), max_length=50)
    from_state = models.CharField(_("von"), max_length=30, choices=State.choices, blank=True)
    to_state = models.CharField(_("nach"), max_length=30, choices=State.choices, blank=True)
    # What the applicant reads: shown in their history and sent by e-mail (also system texts such as
    # "Zahlungslauf …" or the reasons of a rejection). Staff-only remarks go into ``internal_note``.
    note = models.TextField(_("Nachricht an die Antragstellerin / den Antragsteller"), blank=True)
    internal_note = models.TextField(_("Interner Vermerk"), blank=True)
    # Who decided (programmes.choices.DecidingBody) for approvals and rejections; the actor only records it
    # when the committee decided.
    deciding_body = models.CharField(_("Entscheidungsgremium"), max_length=20, blank=True)
    amount = MoneyField(_("Betrag"), max_digits=12, decimal_places=2, default_currency="EUR", null=True, blank=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(IMMUTABLE)
