import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from .applications import _private_storage


def _sepa_path(instance, filename):
    return f"sepa/{instance.execution_date:%Y}/{instance.number}-{secrets.token_hex(8)}.xml"


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
    # Written once when the batch is created; every download returns these bytes (checked against the hash).
    sepa_file = models.FileField(_("SEPA-Datei"), upload_to=_sepa_path, storage=_private_storage, max_length=200,
                                 blank=True)
    sepa_sha256 = models.CharField(_("SHA-256 der SEPA-Datei"), max_length=64, blank=True)
    # Chosen applications left out at creation (no confirmed bank details): [{"application", "number",
    # "organisation", "reason"}], so the batch page says which and why.
    skipped = models.JSONField(_("nicht aufgenommen"), default=list, blank=True)

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
    # The payee as it was when the batch was created, from the organisation's confirmed bank details and
    # already in the SEPA character set (grants.sepa.payee_fields): the file is written from these only.
    payee_name = models.CharField(_("Zahlungsempfängerin"), max_length=70)
    payee_iban = models.CharField(_("IBAN"), max_length=34)
    payee_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    payee_street = models.CharField(_("Straße"), max_length=70, blank=True)
    payee_building_number = models.CharField(_("Hausnummer"), max_length=16, blank=True)
    payee_postcode = models.CharField(_("Postleitzahl"), max_length=16, blank=True)
    payee_town = models.CharField(_("Ort"), max_length=35, blank=True)
    payee_country = models.CharField(_("Land"), max_length=2, default="DE")
    # Keys of grants.sepa.FIELD_LABELS whose text was cut to the field's length.
    shortened = models.JSONField(_("gekürzte Felder"), default=list, blank=True)

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

    @property
    def payee_iban_formatted(self) -> str:
        return " ".join(self.payee_iban[i:i + 4] for i in range(0, len(self.payee_iban), 4))
