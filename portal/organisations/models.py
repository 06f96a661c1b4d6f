"""Applicant organisations: associations, initiatives, networks, municipalities."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from programmes.choices import ApplicantType


def validate_iban(value: str) -> None:
    try:
        IBAN(value)
    except SchwiftyException as exc:
        raise ValidationError(
            _("Die IBAN ist ungültig (Prüfziffer oder Länge stimmen nicht): %(iban)s"), params={"iban": value}
        ) from exc


class LegalForm(models.TextChoices):
    EV = "ev", _("eingetragener Verein (e. V.)")
    NON_REGISTERED = "nev", _("nicht eingetragener Verein / Initiative")
    GGMBH = "ggmbh", _("gemeinnützige GmbH")
    FOUNDATION = "foundation", _("Stiftung")
    PUBLIC_BODY = "public", _("Körperschaft des öffentlichen Rechts")
    OTHER = "other", _("Sonstige")


class Organisation(models.Model):
    name = models.CharField(_("Name der Organisation"), max_length=200)
    legal_form = models.CharField(_("Rechtsform"), max_length=20, choices=LegalForm.choices)
    applicant_type = models.CharField(_("Art der Antragstellerin"), max_length=30, choices=ApplicantType.choices)
    # Structured address: SEPA rejects unstructured payee addresses from November 2026.
    street = models.CharField(_("Straße"), max_length=70)
    house_number = models.CharField(_("Hausnummer"), max_length=16)
    postcode = models.CharField(_("Postleitzahl"), max_length=16)
    town = models.CharField(_("Ort"), max_length=35)
    country = models.CharField(_("Land (ISO-Code)"), max_length=2, default="DE")
    contact_name = models.CharField(_("Ansprechperson"), max_length=200)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"))
    contact_phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    seat_municipality = models.ForeignKey(
        "integration_core.Municipality", on_delete=models.PROTECT, related_name="organisations",
        verbose_name=_("Sitzgemeinde"),
    )
    # A Verbund of municipalities: its population for a formula allocation is the sum of its members'.
    member_municipalities = models.ManyToManyField(
        "integration_core.Municipality", blank=True, related_name="associations",
        verbose_name=_("Mitgliedskommunen (nur Verbund)"),
    )
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    account_holder = models.CharField(_("Kontoinhaber:in"), max_length=70)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", verbose_name=_("Mitglieder")
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Store IBANs in their compact, canonical form so files and letters agree.
        if self.iban:
            self.iban = self.iban.replace(" ", "").upper()
        super().save(*args, **kwargs)

    @property
    def iban_formatted(self) -> str:
        return IBAN(self.iban).formatted

    @property
    def address_lines(self) -> list[str]:
        return [f"{self.street} {self.house_number}", f"{self.postcode} {self.town}"]


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_user_org")]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"
