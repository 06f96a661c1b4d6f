"""Applicant organisations: associations, initiatives, networks, municipalities."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
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


def mask_iban(iban: str) -> str:
    """Only the last four characters stay readable: what an event or an e-mail may show of an IBAN."""
    compact = (iban or "").replace(" ", "")
    return f"**** {compact[-4:]}" if compact else ""


def format_iban(iban: str) -> str:
    return IBAN(iban).formatted if iban else ""


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
    # The confirmed bank details: the only ones payouts use. Empty until staff confirm the first entry.
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    account_holder = models.CharField(_("Kontoinhaber:in"), max_length=70, blank=True)
    # Bank details as entered in the profile and not yet confirmed (see BankDetailsChange); empty if none wait.
    pending_iban = models.CharField(_("neue IBAN (unbestätigt)"), max_length=34, blank=True,
                                    validators=[validate_iban])
    pending_bic = models.CharField(_("neue BIC (unbestätigt)"), max_length=11, blank=True)
    pending_account_holder = models.CharField(_("neue:r Kontoinhaber:in (unbestätigt)"), max_length=70, blank=True)
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
        self.iban = (self.iban or "").replace(" ", "").upper()
        self.pending_iban = (self.pending_iban or "").replace(" ", "").upper()
        super().save(*args, **kwargs)

    @property
    def iban_formatted(self) -> str:
        return format_iban(self.iban)

    @property
    def pending_iban_formatted(self) -> str:
        return format_iban(self.pending_iban)

    @property
    def has_pending_bank_details(self) -> bool:
        return bool(self.pending_iban)

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


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor revoked (possibly expired: the acceptance says so)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """A member invites a person by e-mail; the person joins by opening the link logged in as that address.

    Only the SHA-256 of the token is stored: the link in the e-mail is the one copy of the token.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations",
                                     verbose_name=_("Organisation"))
    email = models.EmailField(_("E-Mail-Adresse"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("eingeladen von"))
    token_hash = models.CharField(_("Prüfsumme des Einladungsschlüssels"), max_length=64, unique=True,
                                  editable=False)
    created_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("angenommen von"))
    revoked_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("zurückgezogen von"))

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open invitation per organisation and address (the address compared case-insensitively).
            models.UniqueConstraint(
                "organisation", Lower("email"), condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_org_email",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked_not_both",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_by__isnull=False),
                name="invitation_accepted_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class BankDetailsChange(models.Model):
    """A change of an organisation's bank details: who entered it when, and who confirmed it (four eyes).

    Holds the IBANs masked only; the full new details wait on the organisation (``pending_*``) until
    confirmed, and only then become the ones payouts use.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Bestätigung")
        CONFIRMED = "confirmed", _("bestätigt")
        REJECTED = "rejected", _("abgelehnt")
        SUPERSEDED = "superseded", _("durch neuere Änderung ersetzt")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="bank_changes",
                                     verbose_name=_("Organisation"))
    old_iban_masked = models.CharField(_("bisherige IBAN (maskiert)"), max_length=12, blank=True)
    new_iban_masked = models.CharField(_("neue IBAN (maskiert)"), max_length=12)
    holder_changed = models.BooleanField(_("Kontoinhaber:in geändert"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("eingetragen von"))
    entered_at = models.DateTimeField(_("eingetragen am"), default=timezone.now)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("entschieden von"))
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Änderung der Bankverbindung")
        verbose_name_plural = _("Änderungen der Bankverbindung")
        ordering = ["-entered_at", "-pk"]
        permissions = [("confirm_bank_details", _("Bankverbindungen bestätigen"))]
        constraints = [
            # At most one change waits per organisation: a newer entry replaces the older one.
            models.UniqueConstraint(fields=["organisation"], condition=Q(status="pending"),
                                    name="one_pending_bank_change_per_organisation"),
            # Four eyes, also for a bulk update: whoever entered a change never confirms it.
            models.CheckConstraint(condition=~Q(status="confirmed") | (
                Q(decided_by__isnull=False, decided_at__isnull=False) & ~Q(decided_by=F("entered_by"))),
                name="bank_change_confirmed_by_another_person"),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.old_iban_masked or '—'} → {self.new_iban_masked}"
