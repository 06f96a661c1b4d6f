"""The application and its one state machine.

Transition methods only change the state and the fields that belong to it;
the services in ``grants.services`` call them under a transaction, write the
event row and queue side effects.
"""

import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from djmoney.models.fields import MoneyField
from djmoney.money import Money

from programmes.choices import ActivityType, CostKind, FundingField

from .. import permissions as perms
from ..states import UNDECIDED, State
from ..storage import private_storage

ZERO = Decimal("0.00")


def _money(**kwargs):
    return MoneyField(max_digits=12, decimal_places=2, default_currency="EUR", **kwargs)


class Application(ConcurrentTransitionMixin, models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("Förderprogramm"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("Antragstellerin"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("angelegt von")
    )
    file_number = models.CharField(_("Aktenzeichen"), max_length=40, unique=True, null=True, blank=True)
    state = FSMField(_("Status"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)

    title = models.CharField(_("Titel des Vorhabens"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"), blank=True)
    goals = models.TextField(_("Ziele"), blank=True)
    target_group = models.TextField(_("Zielgruppe"), blank=True)
    expected_participants = models.PositiveIntegerField(_("Erwartete Teilnehmende"), null=True, blank=True)
    activity_type = models.CharField(_("Art der Maßnahme"), max_length=30, choices=ActivityType.choices, blank=True)
    funding_field = models.CharField(_("Handlungsfeld"), max_length=30, choices=FundingField.choices, blank=True)
    planned_start = models.DateField(_("Geplanter Beginn"), null=True, blank=True)
    planned_end = models.DateField(_("Geplantes Ende"), null=True, blank=True)
    early_start_requested = models.BooleanField(_("Vorzeitiger Maßnahmebeginn beantragt"), default=False)
    early_start_reason = models.TextField(_("Begründung für den vorzeitigen Beginn"), blank=True)
    place = models.ForeignKey(
        "integration_core.Municipality", on_delete=models.PROTECT, null=True, blank=True,
        related_name="applications", verbose_name=_("Ort der Maßnahme"),
    )
    # Only asked when the programme sets a minimum post size (programmes.rules.post_fte_error).
    post_fte = models.DecimalField(
        _("Stellenumfang (VZÄ)"), max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # Contact for this application (e.g. the municipality's integration office); a formula programme asks for it.
    contact_name = models.CharField(_("Ansprechperson für den Antrag"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=40, blank=True)
    # Formula programmes: the fixed allocation run that decided this application's amount.
    allocation_run = models.ForeignKey(
        "programmes.AllocationRun", on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
        editable=False, verbose_name=_("Verteilungslauf"),
    )
    # Co-financed programmes: the municipality that co-finances (the applicant itself, or the one a welfare
    # association applies for); the cap per municipality and calendar year is counted for it.
    cofinancing_municipality = models.ForeignKey(
        "integration_core.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("Kofinanzierende Kommune"),
    )
    own_funds = _money(verbose_name=_("Eigenmittel"), default=ZERO)
    third_party_funds = _money(verbose_name=_("Drittmittel"), default=ZERO)
    # Derived from the cost plan by services.applications; stored for lists and sums.
    total_costs = _money(verbose_name=_("Gesamtkosten"), default=ZERO, editable=False)
    requested_amount = _money(verbose_name=_("Beantragter Betrag"), default=ZERO, editable=False)
    recommended_amount = _money(verbose_name=_("Empfohlener Betrag"), null=True, blank=True, editable=False)
    approved_amount = _money(verbose_name=_("Bewilligter Betrag"), null=True, blank=True, editable=False)
    budget_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"), null=True, blank=True, editable=False)
    # The programme's money-deciding settings (programmes.terms) as they stood when the application was
    # recommended, or decided without a recommendation: a later change of the programme never alters it.
    decision_terms = models.JSONField(_("Programmbedingungen der Entscheidung"), null=True, blank=True,
                                      editable=False)

    declaration_truthful = models.BooleanField(_("Angaben vollständig und wahrheitsgemäß"), default=False)
    declaration_not_started = models.BooleanField(
        _("Maßnahme hat noch nicht begonnen (oder vorzeitiger Beginn beantragt)"), default=False
    )
    declaration_privacy = models.BooleanField(_("Datenschutzhinweise zur Kenntnis genommen"), default=False)
    declaration_conditions = models.BooleanField(
        _("Allgemeine Nebenbestimmungen (ANBest-P) anerkannt"), default=False
    )

    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("empfohlen von"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("entschieden von"),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True, editable=False)
    paid_at = models.DateTimeField(_("ausgezahlt am"), null=True, blank=True, editable=False)
    settlement_due_on = models.DateField(_("Verwendungsnachweis fällig am"), null=True, blank=True, editable=False)
    settlement_overdue = models.BooleanField(_("Verwendungsnachweis überfällig"), default=False, editable=False)
    last_message = models.TextField(_("Letzte Mitteilung"), blank=True, editable=False)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-submitted_at", "-created_at"]
        permissions = [
            ("review_application", _("Anträge prüfen, empfehlen und ablehnen")),
            ("approve_application", _("Anträge bis zur Bewilligungsgrenze bewilligen")),
            ("approve_above_limit", _("Anträge über der Bewilligungsgrenze bewilligen")),
            ("manage_payouts", _("Auszahlungen anweisen")),
            ("check_settlement", _("Verwendungsnachweise prüfen und Rückforderungen festsetzen")),
            ("record_refund", _("Zahlungseingang von Rückforderungen buchen")),
            ("record_committee_decision", _("Beschlüsse des Ausschusses erfassen")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="application_period_ordered",
            ),
            models.CheckConstraint(condition=Q(requested_amount__gte=0), name="application_requested_non_negative"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gt=0),
                name="application_approved_positive",
            ),
        ]
        indexes = [models.Index(fields=["programme", "state"]), models.Index(fields=["submitted_at"])]

    def __str__(self):
        return f"{self.file_number or _('Entwurf')} – {self.title}"

    # -- derived values ------------------------------------------------------
    @property
    def terms(self):
        """The programme with the terms this application is decided under: its snapshot once taken, else live.

        Every rule about amounts, limits, caps, co-financing, financing type and payout reads this, not
        ``programme`` (programmes.terms.MONEY_TERMS); an unsaved copy, cheap to make.
        """
        from programmes.terms import with_terms

        return with_terms(self.programme, self.decision_terms)

    def freeze_terms(self) -> None:
        """Snapshot the programme's money-deciding terms, once (at recommendation or at the decision)."""
        from programmes.terms import terms_snapshot

        if self.decision_terms is None:
            self.decision_terms = terms_snapshot(self.programme)

    @property
    def granted(self) -> Money:
        return self.approved_amount or Money(ZERO, "EUR")

    @property
    def grant_payout(self):
        """The payout item of the grant itself (not of a later increase), or None before it is in a batch."""
        return next((item for item in self.payouts.all() if item.increase_id is None), None)

    def missing_items(self, today: date | None = None) -> list[str]:
        from ..rules import missing_items

        return missing_items(self, today=today)

    # -- conditions ----------------------------------------------------------
    def is_complete(self) -> bool:
        return not self.missing_items()

    def window_open(self) -> bool:
        return self.programme.is_open(timezone.localdate())

    # -- transitions ---------------------------------------------------------
    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED,
                permission=perms.is_member, conditions=[is_complete, window_open])
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.SUBMITTED, target=State.IN_REVIEW, permission=perms.can_review)
    def start_review(self):
        pass

    @transition(field=state, source=State.IN_REVIEW, target=State.CHANGES_REQUESTED, permission=perms.can_review)
    def request_changes(self, message: str):
        self.last_message = message

    @transition(field=state, source=State.CHANGES_REQUESTED, target=State.SUBMITTED,
                permission=perms.is_member, conditions=[is_complete])
    def resubmit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.IN_REVIEW, target=State.RECOMMENDED, permission=perms.can_review)
    def recommend(self, by, amount: Money):
        self.recommended_by = by
        self.recommended_amount = amount
        self.freeze_terms()

    @transition(field=state, source=State.RECOMMENDED, target=State.APPROVED, permission=perms.can_approve)
    def approve(self, by, amount: Money, budget_year: int):
        self.freeze_terms()
        self.approved_amount = amount
        self.budget_year = budget_year
        self.decided_by = by
        self.decided_at = timezone.now()

    @transition(field=state, source=State.RECOMMENDED, target=State.APPROVED,
                permission=perms.can_record_committee_decision)
    def approve_by_committee(self, by, amount: Money, budget_year: int):
        """The committee's resolution, recorded by staff: the committee is the deciding body."""
        self.freeze_terms()
        self.approved_amount = amount
        self.budget_year = budget_year
        self.decided_by = by
        self.decided_at = timezone.now()

    @transition(field=state, source=State.RECOMMENDED, target=State.REJECTED,
                permission=perms.can_record_committee_decision)
    def reject_by_committee(self, by, reasons: str):
        self.freeze_terms()
        self.decided_by = by
        self.decided_at = timezone.now()
        self.last_message = reasons

    @transition(field=state, source=[State.IN_REVIEW, State.RECOMMENDED], target=State.REJECTED,
                permission=perms.can_review)
    def reject(self, by, reasons: str):
        self.freeze_terms()
        self.decided_by = by
        self.decided_at = timezone.now()
        self.last_message = reasons

    @transition(field=state, source=UNDECIDED, target=State.WITHDRAWN, permission=perms.is_member)
    def withdraw(self):
        pass

    @transition(field=state, source=State.APPROVED, target=State.WITHDRAWN, permission=perms.can_decline)
    def decline(self, reason: str):
        """Verzicht: the applicant gives up an approved grant before it is paid; the money is free again."""
        self.last_message = reason

    @transition(field=state, source=State.APPROVED, target=State.PAID, permission=perms.can_manage_payouts)
    def record_payout(self, settlement_due_on: date):
        self.paid_at = timezone.now()
        self.settlement_due_on = settlement_due_on

    @transition(field=state, source=State.PAID, target=State.SETTLEMENT_SUBMITTED, permission=perms.is_member)
    def submit_settlement(self):
        self.settlement_overdue = False

    @transition(field=state, source=State.SETTLEMENT_SUBMITTED, target=State.PAID,
                permission=perms.can_check_settlement)
    def request_settlement_changes(self, message: str):
        self.last_message = message

    @transition(field=state, source=State.SETTLEMENT_SUBMITTED, target=State.CLOSED,
                permission=perms.can_check_settlement)
    def accept_settlement(self):
        pass

    @transition(field=state, source=[State.PAID, State.SETTLEMENT_SUBMITTED], target=State.REFUND_CLAIMED,
                permission=perms.can_check_settlement)
    def claim_refund(self):
        self.settlement_overdue = False

    @transition(field=state, source=State.REFUND_CLAIMED, target=State.CLOSED, permission=perms.can_record_refund)
    def record_refund_received(self):
        pass


class CostLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="cost_lines")
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    description = models.CharField(_("Kostenart / Beschreibung"), max_length=200)
    kind = models.CharField(_("Art der Kosten"), max_length=20, choices=CostKind.choices, default=CostKind.MATERIAL)
    amount = _money(verbose_name=_("Betrag"))

    class Meta:
        verbose_name = _("Kostenposition")
        verbose_name_plural = _("Kostenplan")
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="costline_amount_non_negative")]

    def __str__(self):
        return f"{self.description}: {self.amount}"


class FundedPost(models.Model):
    """A post the applicant funds with the grant (formula programmes): its title and its size in FTE."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="posts")
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    title = models.CharField(_("Bezeichnung der Stelle"), max_length=200)
    fte = models.DecimalField(
        _("Stellenumfang (VZÄ)"), max_digits=3, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
    )

    class Meta:
        verbose_name = _("Geförderte Stelle")
        verbose_name_plural = _("Geförderte Stellen")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(fte__gt=0, fte__lte=1), name="funded_post_fte_within_one"),
        ]

    def __str__(self):
        return f"{self.title} ({self.fte} VZÄ)"


class PlannedYearAmount(models.Model):
    """How much of the grant falls into each calendar year (an application spanning two years)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="year_amounts")
    year = models.PositiveSmallIntegerField(_("Kalenderjahr"))
    amount = _money(verbose_name=_("Betrag in diesem Jahr"))

    class Meta:
        verbose_name = _("Jahresanteil")
        verbose_name_plural = _("Aufteilung auf Kalenderjahre")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="one_amount_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="year_amount_non_negative"),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class AttachmentKind(models.TextChoices):
    APPLICATION = "application", _("Antragsunterlage")
    COFINANCING = "cofinancing", _("Nachweis der Kofinanzierung (Gemeinderatsbeschluss oder Haushaltsstelle)")
    SETTLEMENT = "settlement", _("Beleg zum Verwendungsnachweis")


def _attachment_path(instance, filename):
    # Random names: the original name is kept in the row, never on disk.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{instance.application_id}/{secrets.token_hex(16)}.{suffix}"


def _private_storage():
    # Referenced by the migrations; the lazy object re-reads the "private" storage after STORAGES changes.
    return private_storage


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("Art"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.APPLICATION)
    file = models.FileField(_("Datei"), upload_to=_attachment_path, storage=_private_storage, max_length=200)
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe (Bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class FileNumberCounter(models.Model):
    """Last file number issued per programme and year; incremented under row lock."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="one_counter_per_programme_year")]

    def __str__(self):
        return f"{self.programme_id}/{self.year}: {self.last_number}"
