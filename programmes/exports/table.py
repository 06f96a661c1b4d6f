"""One allocation run as a table — rows, sums and German display strings — shared by the page, XLSX and PDF.

Works for a saved :class:`~programmes.models.AllocationRun` and for an unsaved
:class:`~programmes.runs.Preview` alike: both carry kind, unit, total, rules, inputs, outputs and steps.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from djmoney.money import Money

from ..allocation_rules import REASON_LABELS, Reason
from ..models import AllocationRun
from ..rules import format_eur
from .steps import explain_step

Unit = AllocationRun.Unit


def format_number(value: Decimal | int, places: int = 0) -> str:
    """German grouping and decimal comma in the active language: 12.345 or 1.234,50."""
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_quantity(value: Decimal, unit: str) -> str:
    """3.000,00 € or 12,50 VZÄ."""
    if unit == Unit.EUR:
        return format_eur(Money(value, "EUR"))
    fte = _("VZÄ")
    return f"{format_number(value, 2)} {fte}"


def format_percent(value: Decimal) -> str:
    return f"{format_number(value, 2)} %"


def unit_heading(unit: str) -> str:
    return _("Betrag (€)") if unit == Unit.EUR else _("Stellen (VZÄ)")


def rules_in_words(run) -> str:
    """The rules of a run as one German sentence or two, for the page head and the PDF."""
    granularity = _("den Cent") if run.unit == Unit.EUR else _("0,01 VZÄ")
    if run.kind == AllocationRun.Kind.STAFFING_KEY:
        return _(
            "Verteilt werden %(total)s im Verhältnis der Gewichte. Gewicht ist die Einwohnerzahl; bei städtischen "
            "Kommunen zählt sie %(factor)s-fach. Gerundet wird auf %(granularity)s genau nach dem Verfahren der "
            "größten Reste (Hare–Niemeyer), sodass die Anteile zusammen genau die Gesamtmenge ergeben."
        ) % {"total": format_quantity(run.total, run.unit),
             "factor": format_number(Decimal(run.rules["urban_factor"]), 2), "granularity": granularity}
    if run.kind == AllocationRun.Kind.FORMULA_ALLOCATION:
        from .formula_table import formula_rules_text  # formula_table builds on this module's helpers

        return formula_rules_text(run.rules, run.total)
    return _("Verteilt werden %(total)s im Verhältnis der Gewichte, auf %(granularity)s genau.") % {
        "total": format_quantity(run.total, run.unit), "granularity": granularity}


def step_explanations(steps: list[dict]) -> list[str]:
    """Each step in the active language and its number formats; the stored German text is the fallback."""
    return [explain_step(step) for step in steps]


@dataclass(frozen=True)
class RunRow:
    key: str
    name: str
    population: int
    reference_date: date
    is_urban: bool
    weight: Decimal
    percent: Decimal
    amount: Decimal
    eligible: bool
    reason: str
    unit: str

    @property
    def population_display(self) -> str:
        return format_number(self.population)

    @property
    def weight_display(self) -> str:
        return format_number(self.weight, 2)

    @property
    def percent_display(self) -> str:
        return format_percent(self.percent)

    @property
    def amount_display(self) -> str:
        return format_quantity(self.amount, self.unit)

    @property
    def urban_display(self) -> str:
        return _("ja") if self.is_urban else _("nein")

    @property
    def reason_label(self) -> str:
        try:
            return _(REASON_LABELS[Reason(self.reason)])
        except ValueError:
            return self.reason


@dataclass(frozen=True)
class RunTable:
    unit: str
    total: Decimal
    remainder: Decimal
    rows: list[RunRow]
    steps: list[str]
    rules_text: str

    @property
    def population_sum(self) -> int:
        return sum(row.population for row in self.rows)

    @property
    def weight_sum(self) -> Decimal:
        return sum((row.weight for row in self.rows), Decimal("0.00"))

    @property
    def amount_sum(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal("0.00"))

    @property
    def amount_heading(self) -> str:
        return unit_heading(self.unit)

    @property
    def population_sum_display(self) -> str:
        return format_number(self.population_sum)

    @property
    def weight_sum_display(self) -> str:
        return format_number(self.weight_sum, 2)

    @property
    def amount_sum_display(self) -> str:
        return format_quantity(self.amount_sum, self.unit)

    @property
    def total_display(self) -> str:
        return format_quantity(self.total, self.unit)

    @property
    def remainder_display(self) -> str:
        return format_quantity(self.remainder, self.unit)

    @property
    def amount_sum_percent(self) -> Decimal:
        """The amounts' share of the total: 100 % unless a remainder was kept back."""
        if not self.total:
            return Decimal("0.00")
        return (self.amount_sum * 100 / self.total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def amount_sum_percent_display(self) -> str:
        return format_percent(self.amount_sum_percent)

    @property
    def has_ineligible(self) -> bool:
        return any(not row.eligible for row in self.rows)


def run_table(run) -> RunTable:
    """Rows in the stored input order (by AGS), each joined with its output."""
    rows = []
    for row in run.inputs:
        output = run.outputs[row["key"]]
        rows.append(RunRow(
            key=row["key"], name=row["name"], population=row["population"],
            reference_date=date.fromisoformat(row["population_reference_date"]), is_urban=row["is_urban"],
            weight=Decimal(row["weight"]), percent=Decimal(output["percent"]), amount=Decimal(output["amount"]),
            eligible=output["eligible"], reason=output["reason"], unit=run.unit,
        ))
    return RunTable(unit=run.unit, total=run.total, remainder=run.remainder, rows=rows,
                    steps=step_explanations(run.steps), rules_text=rules_in_words(run))


def author_name(run) -> str:
    user = run.created_by
    return user.get_full_name() or user.email
