"""Funding programmes and their yearly budgets.

Every rule of a programme (bounds, applicants, authority, deadlines) is a field
here and is read by ``programmes.rules``; no code branches per programme.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from djmoney.money import Money

from .choices import (
    ActivityType,
    AllocationMethod,
    ApplicantType,
    FinancingType,
    FundingField,
    PayoutMode,
    RemainderUse,
    SettlementForm,
)
from .fields import MultipleChoiceField

ZERO = Decimal("0.00")


def eur(amount) -> Money:
    return Money(Decimal(amount).quantize(Decimal("0.01")), "EUR")


class Programme(models.Model):
    name = models.CharField(_("Name"), max_length=200)
    code = models.CharField(
        _("Kürzel"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{2,10}$", _("2–10 Großbuchstaben oder Ziffern, z. B. IMP."))],
        help_text=_("Teil des Aktenzeichens, z. B. IMP in II-IMP-2026-0042."),
    )
    file_number_prefix = models.CharField(
        _("Präfix des Aktenzeichens"), max_length=20, default="II", help_text=_("z. B. II für Dezernat II.")
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    min_amount = MoneyField(
        _("Mindestbetrag je Antrag"), max_digits=12, decimal_places=2, default_currency="EUR",
        validators=[MinValueValidator(Money(0, "EUR"))],
    )
    max_amount = MoneyField(_("Höchstbetrag je Antrag"), max_digits=12, decimal_places=2, default_currency="EUR")
    eligible_applicant_types = MultipleChoiceField(
        _("Antragsberechtigte"), choices_class=ApplicantType
    )
    activity_types = MultipleChoiceField(_("Geförderte Maßnahmearten"), choices_class=ActivityType)
    funding_fields = MultipleChoiceField(_("Handlungsfelder"), choices_class=FundingField)
    financing_type = models.CharField(
        _("Finanzierungsart"), max_length=20, choices=FinancingType.choices, default=FinancingType.FIXED
    )
    payout_mode = models.CharField(
        _("Auszahlung"), max_length=20, choices=PayoutMode.choices, default=PayoutMode.FULL_ON_APPROVAL
    )
    settlement_deadline_months = models.PositiveSmallIntegerField(
        _("Frist für den Verwendungsnachweis (Monate nach Projektende)"), default=3
    )
    settlement_form = models.CharField(
        _("Form des Verwendungsnachweises"), max_length=20, choices=SettlementForm.choices,
        default=SettlementForm.SIMPLE,
    )
    staff_approval_limit = MoneyField(
        _("Bewilligungsgrenze Sachbearbeitung"), max_digits=12, decimal_places=2, default_currency="EUR",
        help_text=_("Bis zu diesem Betrag bewilligt die Sachbearbeitung, darüber die Amtsleitung."),
    )
    opens_on = models.DateField(_("Antragsfenster offen ab"))
    closes_on = models.DateField(_("Antragsfenster offen bis"))
    refund_due_days = models.PositiveSmallIntegerField(
        _("Zahlungsfrist für Rückforderungen (Tage)"), default=30
    )
    # Optional rules for funded posts (e.g. the Koordinierende Stelle); empty = rule not applied.
    min_post_fte = models.DecimalField(
        _("Mindeststellenumfang (VZÄ)"), max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("z. B. 0,50. Leer: kein Stellenumfang gefordert. Gesetzt: Antragstellende geben den Umfang an."),
    )
    personnel_costs_only = models.BooleanField(
        _("Nur Personalkosten zuwendungsfähig"), default=False,
        help_text=_("Alle Positionen des Kostenplans sind Personalkosten."),
    )
    cap_per_period = MoneyField(
        _("Obergrenze je Antragstellerin und Zeitraum"), max_digits=12, decimal_places=2, default_currency="EUR",
        null=True, blank=True, validators=[MinValueValidator(Money(0, "EUR"))],
        help_text=_("Summe der Bewilligungen mit sich überschneidenden Förderzeiträumen. Leer: keine Obergrenze."),
    )
    cap_period_months = models.PositiveSmallIntegerField(
        _("Förderzeitraum höchstens (Monate)"), default=12,
        validators=[MinValueValidator(1)],
        help_text=_("Gilt nur mit einer Obergrenze je Zeitraum: so lang darf ein Förderzeitraum höchstens sein."),
    )
    # Who decides (programmes.rules.deciding_body): staff up to their limit, the head of unit up to hers,
    # the committee above — or the committee always.
    head_approval_limit = MoneyField(
        _("Bewilligungsgrenze Amtsleitung"), max_digits=12, decimal_places=2, default_currency="EUR", null=True,
        blank=True, validators=[MinValueValidator(Money(0, "EUR"))],
        help_text=_("Bis zu diesem Betrag bewilligt die Amtsleitung, darüber beschließt der Ausschuss. Leer: die "
                    "Amtsleitung bewilligt ohne Grenze."),
    )
    committee_decides_all = models.BooleanField(
        _("Der Ausschuss beschließt über jeden Antrag"), default=False,
        help_text=_("Empfohlene Anträge kommen immer auf die Tagesordnung einer Ausschusssitzung."),
    )
    committee_name = models.CharField(
        _("Beschließender Ausschuss"), max_length=200, default="Sozialausschuss",
        help_text=_("Der Ausschuss, der über Anträge oberhalb der Bewilligungsgrenzen beschließt, z. B. "
                    "Sozialausschuss. Antragstellende lesen den Namen in den Regeln des Programms."),
    )
    # Share financing with municipal co-financing (e.g. Integrationslotsen: 1:1, at most 50 %).
    max_funding_share = models.DecimalField(
        _("Höchstanteil an den zuwendungsfähigen Kosten"), max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text=_("z. B. 0,50 für höchstens 50 %. Leer: kein Höchstanteil."),
    )
    matching_funds_required = models.BooleanField(
        _("Kofinanzierung 1:1 durch die Kommune"), default=False,
        help_text=_("Die Zuwendung ist höchstens so hoch wie der kommunale Eigenanteil; der Nachweis "
                    "(Gemeinderatsbeschluss oder Haushaltsstelle) ist als Anlage Pflicht."),
    )
    cap_per_municipality_year = MoneyField(
        _("Obergrenze je Kommune und Kalenderjahr"), max_digits=12, decimal_places=2, default_currency="EUR",
        null=True, blank=True, validators=[MinValueValidator(Money(Decimal("0.01"), "EUR"))],
        help_text=_("Summe aller Bewilligungen für dieselbe Kommune in einem Kalenderjahr, nach der "
                    "Jahresaufteilung der Anträge. Leer: keine Obergrenze."),
    )
    # The budget line the committee paper names (as in the Lörrach paper).
    budget_part = models.CharField(_("Teilhaushalt"), max_length=100, blank=True)
    product_group = models.CharField(_("Produktgruppe"), max_length=100, blank=True)
    product = models.CharField(_("Produkt"), max_length=100, blank=True)
    # Formula allocation (e.g. the Soforthilfe): the year's budget is the pot, shared by population.
    allocation_method = models.CharField(
        _("Vergabeart"), max_length=20, choices=AllocationMethod.choices, default=AllocationMethod.INDIVIDUAL,
        help_text=_("Formelzuweisung: Der Haushaltsansatz eines Jahres wird nach Einwohnerzahl auf die "
                    "förderfähigen Antragstellenden verteilt; beantragt wird kein Betrag."),
    )
    population_reference_date = models.DateField(
        _("Stichtag der Einwohnerzahlen"), null=True, blank=True,
        help_text=_("Nur Formelzuweisung: Einwohnerzahlen mit einem anderen Stichtag werden nicht verwendet."),
    )
    allocation_min_share = MoneyField(
        _("Mindestanteil"), max_digits=12, decimal_places=2, default_currency="EUR", null=True, blank=True,
        validators=[MinValueValidator(Money(0, "EUR"))],
        help_text=_("Nur Formelzuweisung: Wer rechnerisch weniger erhielte, scheidet aus; der Topf wird neu "
                    "verteilt. Leer: kein Mindestanteil."),
    )
    allocation_cap = MoneyField(
        _("Höchstbetrag je Antragsteller"), max_digits=12, decimal_places=2, default_currency="EUR", null=True,
        blank=True, validators=[MinValueValidator(Money(Decimal("0.01"), "EUR"))],
        help_text=_("Nur Formelzuweisung: Anteile darüber werden gekappt, der Rest neu verteilt. Leer: keine "
                    "Obergrenze."),
    )
    remainder_use = models.CharField(
        _("Anteile nicht förderfähiger Antragsteller"), max_length=20, choices=RemainderUse.choices,
        default=RemainderUse.RESHARE,
    )

    class Meta:
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_amount__gte=F("min_amount")), name="programme_bounds_ordered"
            ),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="programme_window_ordered"),
        ]
        # The money-deciding settings (programmes.terms.MONEY_TERMS) and the budgets: head of unit, administrator.
        permissions = [("change_money_terms", _("Geldentscheidende Einstellungen und Haushaltsansätze ändern"))]

    def __str__(self):
        return self.name

    def clean(self):
        if self.min_amount is not None and self.max_amount is not None and self.max_amount < self.min_amount:
            raise ValidationError({"max_amount": _("Der Höchstbetrag darf nicht unter dem Mindestbetrag liegen.")})
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("Das Antragsfenster endet vor seinem Beginn.")})
        if (self.allocation_min_share is not None and self.allocation_cap is not None
                and self.allocation_min_share > self.allocation_cap):
            raise ValidationError({"allocation_min_share": _("Der Mindestanteil liegt über dem Höchstbetrag.")})
        if (self.head_approval_limit is not None and self.staff_approval_limit is not None
                and self.head_approval_limit < self.staff_approval_limit):
            raise ValidationError({"head_approval_limit": _(
                "Die Grenze der Amtsleitung darf nicht unter der Grenze der Sachbearbeitung liegen.")})
        if self.is_formula and self.population_reference_date is None:
            raise ValidationError({"population_reference_date": _(
                "Eine Formelzuweisung braucht den Stichtag der Einwohnerzahlen.")})

    @property
    def is_formula(self) -> bool:
        return self.allocation_method == AllocationMethod.FORMULA

    def is_open(self, on: date) -> bool:
        return self.opens_on <= on <= self.closes_on


class ProgrammeBudget(models.Model):
    """A programme's budget for one year, with running totals kept under row lock.

    remaining = amount − committed + refunded; the constraint keeps it ≥ 0 even
    against a bulk update.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("Förderprogramm")
    )
    year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    amount = MoneyField(_("Haushaltsansatz"), max_digits=14, decimal_places=2, default_currency="EUR")
    committed = MoneyField(
        _("Gebunden (bewilligt)"), max_digits=14, decimal_places=2, default_currency="EUR", default=ZERO,
        editable=False,
    )
    paid = MoneyField(
        _("Ausgezahlt"), max_digits=14, decimal_places=2, default_currency="EUR", default=ZERO, editable=False
    )
    refunded = MoneyField(
        _("Zurückerstattet"), max_digits=14, decimal_places=2, default_currency="EUR", default=ZERO, editable=False
    )

    class Meta:
        verbose_name = _("Haushaltsansatz")
        verbose_name_plural = _("Haushaltsansätze")
        ordering = ["programme__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="one_budget_per_programme_year"),
            models.CheckConstraint(
                condition=Q(committed__lte=F("amount") + F("refunded")), name="budget_not_overcommitted"
            ),
            models.CheckConstraint(condition=Q(committed__gte=0), name="budget_committed_non_negative"),
            models.CheckConstraint(condition=Q(paid__gte=0), name="budget_paid_non_negative"),
            models.CheckConstraint(condition=Q(refunded__gte=0), name="budget_refunded_non_negative"),
        ]

    def __str__(self):
        return f"{self.programme} {self.year}"

    @property
    def remaining(self) -> Money:
        return self.amount - self.committed + self.refunded


RUN_IMMUTABLE = _("Ein gespeicherter Verteilungslauf ist unveränderlich; für eine Neuverteilung legen Sie einen neuen "
                  "Lauf an, der auf diesen folgt.")


class AllocationRunQuerySet(models.QuerySet):
    """Bulk paths bypass ``save``/``delete``; refuse them too (bulk_update goes through update)."""

    def update(self, **kwargs):
        raise PermissionDenied(RUN_IMMUTABLE)

    def delete(self):
        raise PermissionDenied(RUN_IMMUTABLE)


class AllocationRun(models.Model):
    """One fixed sharing of a total by weight: its inputs, rules, outputs and steps, never changed once saved.

    Serves the weighted staffing key (no programme; unit FTE or EUR) and the formula allocations of a
    programme such as the Soforthilfe (unit EUR). All amounts inside the JSON fields are strings with two
    places ("1234.50"), never floats, so a run reads back exactly as it was computed. ``input_hash`` is the
    SHA-256 of the canonical JSON of kind, unit, total, rules and inputs (``programmes.runs.input_hash``):
    two runs with the same inputs have the same hash, and ``programmes.runs.run_verify`` recomputes a run
    from its stored inputs to prove it. Unused money is re-shared by a new run that ``follows`` this one.
    """

    class Kind(models.TextChoices):
        STAFFING_KEY = "staffing_key", _("Stellenschlüssel")
        FORMULA_ALLOCATION = "formula_allocation", _("Formelzuweisung")

    class Unit(models.TextChoices):
        EUR = "EUR", _("Euro")
        FTE = "FTE", _("Vollzeitäquivalente")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="allocation_runs",
        verbose_name=_("Förderprogramm"), help_text=_("Leer bei einem Stellenschlüssel."),
    )
    title = models.CharField(_("Titel"), max_length=200)
    year = models.PositiveSmallIntegerField(_("Jahr"), null=True, blank=True)
    unit = models.CharField(_("Einheit"), max_length=3, choices=Unit.choices)
    total = models.DecimalField(_("Zu verteilende Gesamtmenge"), max_digits=14, decimal_places=2)
    # urban_factor, min_fte, min_share, cap, remainder policy … as strings; see programmes.runs.
    rules = models.JSONField(_("Regeln"), default=dict)
    # [{key (AGS), name, population, population_reference_date, is_urban, weight, fte?, eligible?}, …]
    inputs = models.JSONField(_("Eingaben"), default=list)
    # {key: {amount, percent, eligible, reason, step}, …}
    outputs = models.JSONField(_("Ergebnis"), default=dict)
    # [{number, kind, message, params, explanation, …}, …]
    steps = models.JSONField(_("Rechenschritte"), default=list)
    remainder = models.DecimalField(_("Nicht verteilter Rest"), max_digits=14, decimal_places=2, default=ZERO)
    input_hash = models.CharField(
        _("Prüfsumme der Eingaben (SHA-256)"), max_length=64, db_index=True,
        validators=[RegexValidator(r"^[0-9a-f]{64}$", _("64 Hexadezimalziffern."))],
    )
    follows = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="followed_by",
        verbose_name=_("folgt auf"), help_text=_("Der Lauf, dessen nicht verwendete Mittel dieser neu verteilt."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("erstellt von"),
    )
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True, db_index=True)

    objects = AllocationRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("Verteilungslauf")
        verbose_name_plural = _("Verteilungsläufe")
        ordering = ["-created_at", "-pk"]
        # A fixed run is never changed or deleted, so there are no such permissions to hand out.
        default_permissions = ("add", "view")
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="allocation_run_total_non_negative"),
            models.CheckConstraint(
                condition=Q(remainder__gte=0, remainder__lte=F("total")), name="allocation_run_remainder_within_total"
            ),
            models.CheckConstraint(condition=Q(unit__in=["EUR", "FTE"]), name="allocation_run_unit_known"),
            # A staffing key stands alone; a formula allocation always belongs to a programme and shares euros.
            models.CheckConstraint(
                condition=Q(kind="staffing_key", programme__isnull=True)
                | Q(kind="formula_allocation", programme__isnull=False, unit="EUR"),
                name="allocation_run_kind_fits_programme",
            ),
            # A formula programme's year has one first run; unused money is re-shared by runs that follow it,
            # one after the other (a chain): two staff fixing "the" run at once cannot share the pot twice.
            models.UniqueConstraint(
                fields=["programme", "year"], condition=Q(kind="formula_allocation", follows__isnull=True),
                name="one_first_formula_run_per_year",
            ),
            models.UniqueConstraint(fields=["follows"], name="one_follow_up_per_run"),
            models.CheckConstraint(
                condition=Q(kind="staffing_key") | Q(year__isnull=False), name="formula_run_has_year"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.created_at):%d.%m.%Y})" if self.created_at else self.title

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(RUN_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(RUN_IMMUTABLE)

    @property
    def hash_prefix(self) -> str:
        """The first twelve hex digits: enough to tell runs apart on screen and on paper."""
        return self.input_hash[:12]


class BaseRate(models.Model):
    """The Basiszinssatz (§ 247 BGB) from a date on; staff keep the table (it changes on 1 January and 1 July)."""

    valid_from = models.DateField(_("gilt ab"), unique=True)
    rate = models.DecimalField(
        _("Basiszinssatz (Prozent)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("-10.00")), MaxValueValidator(Decimal("20.00"))],
        help_text=_("Kann negativ sein, z. B. −0,88."),
    )

    class Meta:
        verbose_name = _("Basiszinssatz")
        verbose_name_plural = _("Basiszinssätze")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.valid_from:%d.%m.%Y}: {self.rate} %"


from .programme_log import ProgrammeLogEntry  # noqa: E402, F401  (the model lives in its own module)
