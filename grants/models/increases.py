"""A raised grant (Änderungsbescheid): a follow-up allocation run re-shares unused money among earlier recipients."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField


class GrantIncrease(models.Model):
    """Money added to an approved grant by a follow-up run; one row per application and run, never changed.

    Raised before the first payout, the increase is simply part of it (``paid_with_grant``); raised after,
    it is paid by its own payout item in a later batch.
    """

    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="increases", verbose_name=_("Antrag")
    )
    allocation_run = models.ForeignKey(
        "programmes.AllocationRun", on_delete=models.PROTECT, related_name="increases",
        verbose_name=_("Verteilungslauf"),
    )
    amount = MoneyField(_("Erhöhung um"), max_digits=12, decimal_places=2, default_currency="EUR")
    paid_with_grant = models.BooleanField(
        _("mit der Zuwendung ausgezahlt"), default=False,
        help_text=_("Vor der ersten Auszahlung erhöht: Die Auszahlung enthält die Erhöhung bereits."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Erhöhung der Zuwendung")
        verbose_name_plural = _("Erhöhungen der Zuwendung")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "allocation_run"], name="one_increase_per_run"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="increase_amount_positive"),
        ]

    def __str__(self):
        return f"{self.application_id} +{self.amount}"
