from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField


def _money(**kwargs):
    return MoneyField(max_digits=12, decimal_places=2, default_currency="EUR", **kwargs)


class Settlement(models.Model):
    """Einfacher Verwendungsnachweis: short report plus actual costs and income."""

    application = models.OneToOneField("grants.Application", on_delete=models.PROTECT, related_name="settlement")
    report = models.TextField(_("Sachbericht: Was wurde umgesetzt, was wurde erreicht?"))
    participants_reached = models.PositiveIntegerField(_("Erreichte Teilnehmende"))
    income = _money(verbose_name=_("Einnahmen (Eigen- und Drittmittel, Teilnahmebeiträge)"), default=0)
    actual_costs = _money(verbose_name=_("Tatsächliche Gesamtkosten"), default=0, editable=False)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    # Set only when the applicant declares the project ended before its planned end: then the settlement may be
    # handed in before that date (grants.services.settlements.settlement_save).
    ended_early_on = models.DateField(_("Vorhaben vorzeitig beendet am"), null=True, blank=True)
    eligible_costs = _money(verbose_name=_("Anerkannte zuwendungsfähige Ausgaben"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Verwendungsnachweis")
        verbose_name_plural = _("Verwendungsnachweise")

    def __str__(self):
        return f"{_('Verwendungsnachweis')} {self.application.file_number}"


class SettlementCostLine(models.Model):
    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="cost_lines")
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    description = models.CharField(_("Kostenart / Beschreibung"), max_length=200)
    amount = _money(verbose_name=_("Tatsächlicher Betrag"))

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="settlement_costline_non_negative")
        ]

    def __str__(self):
        return f"{self.description}: {self.amount}"


class Refund(models.Model):
    """A refund claim (Rückforderung) and its receipt."""

    class Reason(models.TextChoices):
        UNSPENT = "unspent", _("Nicht verbrauchte Mittel (Festbetrag über den zuwendungsfähigen Ausgaben)")
        PURPOSE_FAILED = "purpose_failed", _("Zuwendungszweck nicht erreicht (vollständige Rückforderung)")

    application = models.OneToOneField("grants.Application", on_delete=models.PROTECT, related_name="refund")
    reason = models.CharField(_("Grund"), max_length=20, choices=Reason.choices)
    # Printed as the "Begründung" of the refund notice.
    explanation = models.TextField(_("Begründung – erscheint im Bescheid"), blank=True)
    amount = _money(verbose_name=_("Rückforderungsbetrag"))
    due_on = models.DateField(_("fällig am"))
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField(_("festgesetzt am"), auto_now_add=True)
    # § 49a Abs. 3 VwVfG: interest from the day the decision lost its effect, unless waived with a reason.
    interest_from = models.DateField(_("Verzinsung ab"), null=True, blank=True)
    interest_waived = models.BooleanField(_("auf Zinsen verzichtet"), default=False)
    interest_waiver_reason = models.TextField(_("Begründung des Zinsverzichts"), blank=True)
    interest = _money(verbose_name=_("Zinsen"), null=True, blank=True, editable=False)
    received_on = models.DateField(_("eingegangen am"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Rückforderung")
        verbose_name_plural = _("Rückforderungen")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(condition=Q(interest_waived=False) | ~Q(interest_waiver_reason=""),
                                   name="interest_waiver_has_reason"),
        ]

    def __str__(self):
        return f"{_('Rückforderung')} {self.application.file_number}: {self.amount}"
