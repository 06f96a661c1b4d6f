"""The programme log: every change of a money-deciding setting, with its reason. Append-only.

Written only by ``programmes.terms.record_changes``; nothing in Python updates or deletes an entry (the
PostgreSQL trigger that refuses UPDATE and DELETE comes with the other append-only tables).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

LOG_IMMUTABLE = _("Das Programmprotokoll wird nur fortgeschrieben; ein Eintrag wird nie geändert oder gelöscht.")


class ProgrammeLogQuerySet(models.QuerySet):
    """Bulk paths bypass ``save``/``delete``; refuse them too (bulk_update goes through update)."""

    def update(self, **kwargs):
        raise PermissionDenied(LOG_IMMUTABLE)

    def delete(self):
        raise PermissionDenied(LOG_IMMUTABLE)

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("update_conflicts"):
            raise PermissionDenied(LOG_IMMUTABLE)
        return super().bulk_create(objs, *args, **kwargs)


class ProgrammeLogEntry(models.Model):
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="log_entries",
                                  verbose_name=_("Förderprogramm"))
    # Set for a change of a yearly budget (Haushaltsansatz); empty for a setting of the programme itself.
    budget_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"), null=True, blank=True)
    field = models.CharField(_("Einstellung (Feldname)"), max_length=50)
    field_label = models.CharField(_("Einstellung"), max_length=200)
    old_value = models.CharField(_("alter Wert"), max_length=200, blank=True)
    new_value = models.CharField(_("neuer Wert"), max_length=200, blank=True)
    reason = models.TextField(_("Begründung"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("geändert von"))
    at = models.DateTimeField(_("geändert am"), auto_now_add=True, db_index=True)

    objects = ProgrammeLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("Eintrag im Programmprotokoll")
        verbose_name_plural = _("Programmprotokoll")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="programme_log_has_reason")]

    def __str__(self):
        return f"{self.programme}: {self.field_label} {self.old_value} → {self.new_value}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(LOG_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(LOG_IMMUTABLE)
