from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField


class PayoutBatch(models.Model):
    """A set of approved applications paid by one SEPA credit transfer file."""

    class Status(models.TextChoices):
        OPEN = "open", _("Offen")
        EXECUTED = "executed", _("Ausgeführt")

    number = models.CharField(_("Nummer"), max_length=40, unique=True)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    execution_date = models.DateField(_("Ausführungsdatum"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    executed_at = models.DateTimeField(_("ausgeführt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zahlungslauf")
        verbose_name_plural = _("Zahlungsläufe")
        ordering = ["-created_at"]

    def __str__(self):
        return self.number


class PayoutItem(models.Model):
    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="items")
    application = models.ForeignKey("grants.Application", on_delete=models.PROTECT, related_name="payouts")
    # Empty for the grant itself; set for a later increase (GrantIncrease) paid on its own.
    increase = models.OneToOneField(
        "grants.GrantIncrease", on_delete=models.PROTECT, null=True, blank=True, related_name="payout",
        verbose_name=_("Erhöhung"),
    )
    amount = MoneyField(_("Betrag"), max_digits=12, decimal_places=2, default_currency="EUR")
    end_to_end_id = models.CharField(_("End-to-End-Referenz"), max_length=35)
    remittance_info = models.CharField(_("Verwendungszweck"), max_length=140)

    class Meta:
        verbose_name = _("Auszahlungsposten")
        verbose_name_plural = _("Auszahlungsposten")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_amount_positive"),
            # The grant is paid once, ever, and each increase once (its OneToOne): the database refuses a second.
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(increase__isnull=True),
                name="one_grant_payout_per_application",
            ),
        ]

    def __str__(self):
        return f"{self.end_to_end_id}: {self.amount}"
