"""Consent as a record, not a tick: which notice, in which language, given when, to whom, for what.

One ``Consent`` is one signed declaration; its ``purposes`` are what the client agreed to.
Each purpose can be withdrawn on its own (``withdrawn_on``); from that day on the use stops
(see ``integration_core.cases.consent``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case_choices import ConsentPurposeKind
from .cases import Case
from .providers import Provider


class Consent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents", verbose_name=_("Fall"))
    notice_version = models.CharField(_("Fassung der Datenschutzinformation"), max_length=50)
    language = models.CharField(_("Sprache der Erklärung"), max_length=10,
                                help_text=_("Sprachcode, z. B. de, ar, fa, uk."))
    given_on = models.DateField(_("erteilt am"))
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("eingeholt durch"))
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return _("Einwilligung vom %(date)s") % {"date": f"{self.given_on:%d.%m.%Y}"}


class ConsentPurpose(models.Model):
    """One purpose of a consent; a handover purpose names the receiving provider or service."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="purposes",
                                verbose_name=_("Einwilligung"))
    purpose = models.CharField(_("Zweck"), max_length=20, choices=ConsentPurposeKind.choices)
    recipient_provider = models.ForeignKey(Provider, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("empfangender Träger"))
    recipient_name = models.CharField(_("empfangende Stelle"), max_length=200, blank=True,
                                      help_text=_("z. B. Jobcenter Musterstadt, Migrationsberatung der Caritas"))
    withdrawn_on = models.DateField(_("widerrufen am"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                               blank=True, related_name="+", verbose_name=_("Widerruf erfasst durch"))

    class Meta:
        verbose_name = _("Zweck der Einwilligung")
        verbose_name_plural = _("Zwecke der Einwilligung")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(purpose__in=[ConsentPurposeKind.HANDOVER, ConsentPurposeKind.DATA_EXCHANGE])
                | models.Q(recipient_provider__isnull=False) | ~models.Q(recipient_name=""),
                name="consent_handover_names_recipient",
            ),
        ]

    def __str__(self):
        recipient = self.recipient_provider or self.recipient_name
        label = self.get_purpose_display()
        return f"{label}: {recipient}" if recipient else str(label)

    def is_valid_on(self, day) -> bool:
        """Given on or before ``day`` and not withdrawn by then (withdrawal counts from its day on)."""
        return self.consent.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)
