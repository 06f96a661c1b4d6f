"""A formula allocation run (e.g. the Soforthilfe) as a table, shared by the admin page, the XLSX and the PDF.

Built only from what a run stores (rules, inputs, outputs, steps, remainder), so it reads a fixed
:class:`~programmes.models.AllocationRun` and an unsaved :class:`~programmes.runs.Preview` alike and never
needs ``grants``: the input rows carry each applicant's file number, name, municipalities and posts.
Rows keep the stored order (by file number), the order of the hash.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from djmoney.money import Money

from ..allocation_rules import REASON_LABELS, Reason
from ..choices import RemainderUse
from ..rules import format_eur
from .table import format_number, format_percent, step_explanations

ZERO = Decimal("0.00")


def eur(value: Decimal) -> str:
    return format_eur(Money(value, "EUR"))


def _date(text: str | None) -> str:
    return date.fromisoformat(text).strftime("%d.%m.%Y") if text else "–"


@dataclass(frozen=True)
class Member:
    ags: str
    name: str
    population: int
    reference_date: date


@dataclass(frozen=True)
class FormulaRow:
    key: str  # the file number
    application_id: int | None
    name: str
    members: list[Member]
    population: int
    fte: Decimal | None  # the largest post, the one the eligibility rule looks at
    fte_total: Decimal
    cap: Decimal | None  # own ceiling in a follow-up run
    previous_amount: Decimal
    percent: Decimal
    amount: Decimal
    eligible: bool
    reason: str
    step: int

    @property
    def municipalities_display(self) -> str:
        return ", ".join(member.name for member in self.members)

    @property
    def ags_display(self) -> str:
        return ", ".join(member.ags for member in self.members)

    @property
    def is_association(self) -> bool:
        """A Verbund: its population is the sum of several members'."""
        return len(self.members) > 1

    @property
    def population_display(self) -> str:
        return format_number(self.population)

    @property
    def fte_display(self) -> str:
        return "–" if self.fte is None else f"{format_number(self.fte, 2)} {_('VZÄ')}"

    @property
    def percent_display(self) -> str:
        return format_percent(self.percent)

    @property
    def amount_display(self) -> str:
        return eur(self.amount)

    @property
    def eligible_display(self) -> str:
        return _("ja") if self.eligible else _("nein")

    @property
    def reason_label(self) -> str:
        try:
            return _(REASON_LABELS[Reason(self.reason)])
        except ValueError:
            return self.reason

    @property
    def reason_display(self) -> str:
        """The reason and the step that decided it: «Anteil nach Gewicht (Schritt 3)»."""
        return _("%(reason)s (Schritt %(step)s)") % {"reason": self.reason_label, "step": self.step}


@dataclass(frozen=True)
class FormulaTable:
    total: Decimal
    remainder: Decimal
    rules: dict
    rows: list[FormulaRow]
    steps: list[str]

    @property
    def is_follow_up(self) -> bool:
        return bool(self.rules.get("follow_up"))

    @property
    def population_sum(self) -> int:
        return sum(row.population for row in self.rows)

    @property
    def amount_sum(self) -> Decimal:
        return sum((row.amount for row in self.rows), ZERO)

    @property
    def amount_sum_percent(self) -> Decimal:
        if not self.total:
            return ZERO
        return (self.amount_sum * 100 / self.total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def eligible_count(self) -> int:
        return sum(1 for row in self.rows if row.eligible)

    @property
    def funded_count(self) -> int:
        return sum(1 for row in self.rows if row.amount)

    @property
    def population_sum_display(self) -> str:
        return format_number(self.population_sum)

    @property
    def amount_sum_display(self) -> str:
        return eur(self.amount_sum)

    @property
    def amount_sum_percent_display(self) -> str:
        return format_percent(self.amount_sum_percent)

    @property
    def total_display(self) -> str:
        return eur(self.total)

    @property
    def remainder_display(self) -> str:
        return eur(self.remainder)

    @property
    def reference_date_display(self) -> str:
        return _date(self.rules.get("population_reference_date"))

    @property
    def rule_items(self) -> list[tuple[str, str]]:
        return formula_rule_items(self.rules, self.total)

    @property
    def rules_text(self) -> str:
        return formula_rules_text(self.rules, self.total)


def _optional_eur(value: str | None, missing: str) -> str:
    return missing if value in (None, "") else eur(Decimal(value))


def formula_rule_items(rules: dict, total: Decimal | None = None) -> list[tuple[str, str]]:
    """The rules of a run (or a programme's, in the same shape) as label/value pairs in German."""
    follow_up = bool(rules.get("follow_up"))
    items = []
    if total is not None:
        label = _("Neu verteilter Betrag") if follow_up else _("Topf (Haushaltsansatz des Jahres)")
        items.append((label, eur(total)))
    items.append((_("Stichtag der Einwohnerzahlen"), _date(rules.get("population_reference_date"))))
    if follow_up:
        items.append((_("Art des Laufs"), _(
            "Neuverteilung frei gewordener Mittel unter den Empfängern der bisherigen Läufe; Mindeststellenumfang "
            "und Mindestanteil werden nicht erneut geprüft")))
    min_fte = rules.get("min_fte")
    items.append((_("Mindeststellenumfang (größte Stelle)"),
                  _("keiner") if min_fte in (None, "") else f"{format_number(Decimal(min_fte), 2)} {_('VZÄ')}"))
    if not follow_up:
        items.append((_("Mindestanteil"), _optional_eur(rules.get("min_share"), _("keiner"))))
    cap = _optional_eur(rules.get("cap"), _("keiner"))
    if follow_up and rules.get("cap") not in (None, ""):
        cap = _("%(cap)s, abzüglich der bisherigen Zuwendung") % {"cap": cap}
    items.append((_("Höchstbetrag je Antragsteller"), cap))
    remainder = rules.get("remainder") or RemainderUse.RESHARE
    try:
        remainder_label = str(RemainderUse(remainder).label)
    except ValueError:
        remainder_label = remainder
    items.append((_("Anteile nicht förderfähiger Antragsteller"), remainder_label))
    items.append((_("Verfahren"), _("im Verhältnis der Einwohnerzahlen, auf den Cent genau nach dem Verfahren der "
                                    "größten Reste (Hare–Niemeyer)")))
    return items


def formula_rules_text(rules: dict, total: Decimal | None = None) -> str:
    return ". ".join(f"{label}: {value}" for label, value in formula_rule_items(rules, total)) + "."


def _row(row: dict, output: dict) -> FormulaRow:
    members = [
        Member(ags=m["ags"], name=m["name"], population=int(m["population"]),
               reference_date=date.fromisoformat(m["population_reference_date"]))
        for m in row.get("municipalities", [])
    ]
    return FormulaRow(
        key=row["key"], application_id=row.get("application_id"), name=row["name"], members=members,
        population=int(row["population"]),
        fte=None if row.get("fte") in (None, "") else Decimal(row["fte"]),
        fte_total=Decimal(row.get("fte_total") or "0.00"),
        cap=None if row.get("cap") in (None, "") else Decimal(row["cap"]),
        previous_amount=Decimal(row.get("previous_amount") or "0.00"),
        percent=Decimal(output["percent"]), amount=Decimal(output["amount"]), eligible=bool(output["eligible"]),
        reason=output["reason"], step=int(output["step"]),
    )


def formula_table(run) -> FormulaTable:
    """The table of a formula run or preview, from its stored JSON only (never recomputed)."""
    rows = [_row(row, run.outputs[row["key"]]) for row in run.inputs]
    return FormulaTable(total=Decimal(run.total), remainder=Decimal(run.remainder), rules=dict(run.rules),
                        rows=rows, steps=step_explanations(run.steps))


def formula_filename(run, extension: str) -> str:
    """verteilungsliste-SOF-2026-1f9cd7764dc3.pdf: ASCII only, programme code, year and hash prefix."""
    code = run.programme.code if run.programme_id else "lauf"
    return f"verteilungsliste-{code}-{run.year}-{run.hash_prefix}.{extension}"
