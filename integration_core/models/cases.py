"""A case of the integration counselling: the client and the frame data (Rahmendaten) of the plan.

Client fields are pseudonymous display data for the case worker; the retention task
(``integration_core.cases.anonymise``) blanks them. Statistics fields (gender, birth year,
country of origin, municipality, dates, types) stay.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case_choices import CounsellingType, EndReason, Gender, Referral
from .places import Municipality
from .providers import Provider


class Case(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="cases", verbose_name=_("Träger"))
    case_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases",
                                    verbose_name=_("Integrationsmanager:in"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="cases",
                                     verbose_name=_("Wohnort (Kreiskommune)"))

    # Client (personal data, removed by anonymisation).
    first_name = models.CharField(_("Vorname"), max_length=100, blank=True)
    last_name = models.CharField(_("Nachname"), max_length=100, blank=True)
    birth_date = models.DateField(_("Geburtsdatum"), null=True, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    address = models.TextField(_("Anschrift"), blank=True)
    notes = models.TextField(_("Notizen"), blank=True)

    # Statistics fields (kept after anonymisation).
    gender = models.CharField(_("Geschlecht"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("Geburtsjahr"), null=True, blank=True)
    country_of_origin = models.CharField(_("Herkunftsland"), max_length=2, blank=True,
                                         help_text=_("Ländercode nach ISO 3166, z. B. SY, AF, UA."))

    # Frame data (Rahmendaten).
    counselling_type = models.CharField(_("Art der Beratung"), max_length=20, choices=CounsellingType.choices)
    first_contact_on = models.DateField(_("Erstkontakt am"))
    referral = models.CharField(_("Zugang"), max_length=30, choices=Referral.choices)
    referral_other = models.CharField(_("Zugang (Sonstiges)"), max_length=200, blank=True)
    agreement_signed_on = models.DateField(_("Beratungsvereinbarung unterschrieben am"), null=True, blank=True)
    ended_on = models.DateField(_("Ende der Beratung am"), null=True, blank=True)
    end_reason = models.CharField(_("Grund des Endes"), max_length=20, choices=EndReason.choices, blank=True)

    # One extension by up to a year (integration_core.cases.rules.duration).
    extended_until = models.DateField(_("verlängert bis"), null=True, blank=True)
    extension_reason = models.TextField(_("Begründung der Verlängerung"), blank=True)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("verlängert durch"))
    extended_at = models.DateTimeField(_("verlängert am"), null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("angelegt durch"))
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("Fall (Integrationsplan)")
        verbose_name_plural = _("Fälle (Integrationspläne)")
        ordering = ["-first_contact_on", "-pk"]
        permissions = [
            ("extend_case", _("Beratung verlängern")),
            ("handover_case", _("Fall übergeben")),
            ("view_case_statistics", _("Aggregierte Fallstatistik sehen")),
            ("export_case_statistics", _("Pseudonymisierten Statistikauszug herunterladen")),
        ]
        indexes = [
            models.Index(fields=["municipality", "counselling_type"], name="case_muni_type_idx"),
            models.Index(fields=["ended_on"], name="case_ended_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("first_contact_on")),
                name="case_end_after_first_contact",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | ~models.Q(end_reason=""),
                name="case_end_needs_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(extended_until__isnull=True) | ~models.Q(extension_reason=""),
                name="case_extension_needs_reason",
            ),
        ]

    def __str__(self):
        return _("Fall %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        """The plan number shown to people (Laufende Nummer des IntPlan); never the name."""
        return f"IP-{self.pk:06d}" if self.pk else "IP-neu"

    @property
    def display_name(self) -> str:
        if self.anonymised_at:
            return str(_("anonymisiert"))
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.number


class CaseHandover(models.Model):
    """One handover of a case to another case worker (same provider) or another provider (needs consent)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("Fall"))
    from_provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("von Träger"))
    from_case_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("von Integrationsmanager:in"))
    to_provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("an Träger"))
    to_case_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("an Integrationsmanager:in"))
    consent_purpose = models.ForeignKey("integration_core.ConsentPurpose", on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="handovers", verbose_name=_("Einwilligung"))
    note = models.TextField(_("Vermerk"), blank=True)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("übergeben durch"))
    handed_over_at = models.DateTimeField(_("übergeben am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Fallübergabe")
        verbose_name_plural = _("Fallübergaben")
        ordering = ["-handed_over_at", "-pk"]

    def __str__(self):
        return f"{self.case} → {self.to_provider} ({self.to_case_worker})"
