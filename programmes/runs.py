"""Allocation runs: the preview (what-if, stores nothing), the fixed run, and its re-computation.

A run is stored with everything needed to compute it again: the rules and the input rows as they were
(population table with reference dates, flags, weights), the outputs and the steps. ``input_hash`` is the
SHA-256 of the canonical JSON of kind, unit, total, rules and inputs — keys sorted, no spaces, UTF-8,
amounts and weights as strings with two places, dates as ISO strings — so the same inputs give the same
hash on every machine, and :func:`run_verify` proves a stored run still comes out the same.

Two kinds: the weighted staffing key (computed here) and formula allocations such as the Soforthilfe
(``programmes.formula_runs``; their inputs come from applications via ``grants.allocations``). Both share the
model, the hash and the JSON shapes; ``COMPUTERS`` names the compute function ``run_verify`` uses per kind.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integration_core.models import Municipality

from .allocation import amount_to_cents, apportion, cents_to_amount, integer_weights
from .allocation_rules import Reason
from .exports.steps import error_text
from .formula_runs import formula_compute
from .models import AllocationRun
from .selectors import VIEW_RUN
from .step_params import day, german, gettext_noop, listing, number, text
from .step_params import eur as money

ADD_RUN = "programmes.add_allocationrun"
__all__ = ["ADD_RUN", "VIEW_RUN", "Preview", "formula_preview", "input_hash", "run_verify", "staffing_key_preview",
           "staffing_key_save"]
METHOD = "hare_niemeyer"  # named in the rules, so a change of method would change the hash
MAX_URBAN_FACTOR = Decimal("10.00")
TWO_PLACES = Decimal("0.01")

Kind, Unit = AllocationRun.Kind, AllocationRun.Unit


# -- canonical form and hash -------------------------------------------------------------------------
def decimal_text(value: Decimal, label: str) -> str:
    """A non-negative amount with at most two places as its canonical string ("12.50"); ValueError otherwise.

    ``label`` is a German msgid (``gettext_noop``), named in the error.
    """
    return str(cents_to_amount(amount_to_cents(value, label)))


TOTAL_LABEL = gettext_noop("Die Gesamtmenge")


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def input_hash(*, kind: str, unit: str, total: Decimal, rules: dict, inputs: list[dict]) -> str:
    """SHA-256 (hex) of what determines a run's outputs; title, author and time are not part of it."""
    payload = {"kind": str(kind), "unit": str(unit), "total": decimal_text(total, TOTAL_LABEL),
               "rules": rules, "inputs": inputs}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


# -- figures for the stored explanations: language-neutral params, rendered when shown (step_params) --
def _quantity(value: Decimal, unit: str) -> dict:
    return text(gettext_noop("%(fte)s VZÄ"), fte=number(value)) if unit == Unit.FTE else money(value)


def _percent(amount: Decimal, total: Decimal) -> str:
    if not total:
        return "0.00"
    return str((amount * 100 / total).quantize(TWO_PLACES, rounding=ROUND_HALF_UP))


# -- the staffing key --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Preview:
    """A computed but unsaved run: the same fields an :class:`AllocationRun` stores."""

    kind: str
    unit: str
    total: Decimal
    rules: dict
    inputs: list[dict]
    outputs: dict[str, dict]
    steps: list[dict]
    remainder: Decimal
    input_hash: str

    @property
    def hash_prefix(self) -> str:
        return self.input_hash[:12]


def staffing_weight(population: int, is_urban: bool, urban_factor: Decimal) -> Decimal:
    """Population, times the urban factor for an urban municipality; exact, with two places."""
    weight = Decimal(population) * urban_factor if is_urban else Decimal(population)
    return weight.quantize(TWO_PLACES)


def _step(number: int, kind: str, message: str, pot: Decimal, among: list[str], /, **params) -> dict:
    params = {"step": number, **params}
    return {"number": number, "kind": kind, "pot": str(pot), "among": among, "message": message,
            "params": params, "explanation": german(message, params)}


def _staffing_steps(total: Decimal, unit: str, factor: Decimal, inputs: list[dict], weights: dict[str, Decimal],
                    amounts: dict[str, Decimal]) -> list[dict]:
    keys = [row["key"] for row in inputs]
    urban = [row for row in inputs if row["is_urban"]]
    dates = sorted({row["population_reference_date"] for row in inputs})
    common = {"count": len(inputs), "weight_sum": number(sum(weights.values())),
              "dates": listing(day(d) for d in dates)}
    if urban:
        message = gettext_noop(
            "Schritt %(step)s – Gewichte: Das Gewicht einer Kommune ist ihre Einwohnerzahl (Stichtag %(dates)s); "
            "bei städtischen Kommunen (hier %(urban_count)s von %(count)s) zählt die Einwohnerzahl %(factor)s-fach. "
            "Summe der Gewichte: %(weight_sum)s.")
        common.update(urban_count=len(urban), factor=number(factor))
    else:
        message = gettext_noop(
            "Schritt %(step)s – Gewichte: Das Gewicht einer Kommune ist ihre Einwohnerzahl (Stichtag %(dates)s); "
            "keine der %(count)s Kommunen ist als städtisch gekennzeichnet. Summe der Gewichte: %(weight_sum)s.")
    steps = [_step(1, "weights", message, total, keys, **common)]
    empty = [row for row in inputs if not weights[row["key"]]]
    if empty:
        steps.append(_step(len(steps) + 1, "no_weight", gettext_noop(
            "Schritt %(step)s – Ohne Gewicht: %(names)s haben keine Einwohner und erhalten daher nichts."),
            total, [row["key"] for row in empty], names=listing(row["name"] for row in empty)))
    total_cents, scaled = amount_to_cents(total), integer_weights(weights)
    basis = sum(scaled.values())
    missing = total_cents - sum(total_cents * weight // basis for weight in scaled.values())
    params = {"total": _quantity(total, unit), "count": len(inputs),
              "granularity": text(gettext_noop("0,01 VZÄ") if unit == Unit.FTE else gettext_noop("den Cent")),
              "missing": text(gettext_noop("%(count)s × 0,01 VZÄ") if unit == Unit.FTE
                              else gettext_noop("%(count)s Cent"), count=missing),
              "sum": _quantity(sum(amounts.values()), unit)}
    message = gettext_noop(
        "Schritt %(step)s – Verteilung: %(total)s werden im Verhältnis der Gewichte auf die %(count)s Kommunen "
        "verteilt, auf %(granularity)s genau nach dem Verfahren der größten Reste (Hare–Niemeyer): Jede Kommune "
        "erhält zunächst ihren abgerundeten Anteil; die dann noch fehlenden %(missing)s gehen einzeln an die "
        "Kommunen mit den größten Rundungsresten (bei Gleichstand an das größere Gewicht, dann an den kleineren "
        "AGS). Die Anteile ergeben zusammen genau %(sum)s.")
    if not missing:
        message = gettext_noop(
            "Schritt %(step)s – Verteilung: %(total)s werden im Verhältnis der Gewichte auf die %(count)s Kommunen "
            "verteilt, auf %(granularity)s genau; alle Anteile gehen ohne Rundungsrest auf. Die Anteile ergeben "
            "zusammen genau %(sum)s.")
    steps.append(_step(len(steps) + 1, "share", message, total, keys, **params))
    return steps


def _staffing_compute(*, total: Decimal, unit: str, rules: dict, inputs: list[dict]):
    """Outputs, steps and remainder of a staffing key, from the stored rules and input rows only."""
    factor = Decimal(rules["urban_factor"])
    weights = {}
    for row in inputs:
        weight = staffing_weight(row["population"], row["is_urban"], factor)
        if str(weight) != row["weight"]:
            raise ValueError(f"Gewicht von {row['key']} passt nicht zu Einwohnerzahl und Faktor.")
        weights[row["key"]] = weight
    amounts = apportion(total, weights)
    steps = _staffing_steps(total, unit, factor, inputs, weights, amounts)
    decided_in = {step["kind"]: step["number"] for step in steps}
    outputs = {
        key: {"amount": str(amount), "percent": _percent(amount, total), "eligible": True,
              "reason": str(Reason.SHARED if weights[key] else Reason.NO_WEIGHT),
              "step": decided_in["share"] if weights[key] else decided_in["no_weight"]}
        for key, amount in amounts.items()
    }
    return outputs, steps, total - sum(amounts.values())


def _checked_figures(total: Decimal, unit: str, urban_factor: Decimal) -> tuple[Decimal, Decimal]:
    errors = {}
    if unit not in Unit.values:
        errors["unit"] = _("Bitte wählen Sie VZÄ oder Euro als Einheit.")
    try:
        total = Decimal(decimal_text(total, TOTAL_LABEL))
        if not total or total >= Decimal("1e12"):
            raise ValueError
    except (TypeError, ValueError):
        errors["total"] = _("Bitte geben Sie eine Gesamtmenge über null mit höchstens zwei Nachkommastellen an.")
    try:
        urban_factor = Decimal(decimal_text(urban_factor, gettext_noop("Der Faktor")))
        if not urban_factor or urban_factor > MAX_URBAN_FACTOR:
            raise ValueError
    except (TypeError, ValueError):
        errors["urban_factor"] = _("Der Faktor für städtische Kommunen muss über 0 und höchstens 10 liegen, mit "
                                   "höchstens zwei Nachkommastellen (z. B. 1,20).")
    if errors:
        raise ValidationError(errors)
    return total, urban_factor


def staffing_key_preview(*, total: Decimal, unit: str, urban_factor: Decimal,
                         municipalities: Iterable[Municipality]) -> Preview:
    """Share ``total`` FTE or euros among the municipalities by population, urban ones weighted by the factor.

    Pure: stores nothing. Input rows are sorted by AGS, so the choice order never changes the hash.
    Raises ValidationError (German, per field where it fits) for an invalid figure, no municipality, or
    municipalities without any inhabitants.
    """
    total, urban_factor = _checked_figures(total, unit, urban_factor)
    chosen = sorted({m.ags: m for m in municipalities}.values(), key=lambda m: m.ags)
    if not chosen:
        raise ValidationError({"municipalities": _("Bitte wählen Sie mindestens eine Kommune aus.")})
    if not any(m.population for m in chosen):
        raise ValidationError({"municipalities": _(
            "Die ausgewählten Kommunen haben zusammen keine Einwohner; es gibt nichts zu verteilen.")})
    rules = {"method": METHOD, "urban_factor": str(urban_factor)}
    inputs = [
        {"key": m.ags, "name": m.name, "population": m.population,
         "population_reference_date": m.population_reference_date.isoformat(), "is_urban": m.is_urban,
         "weight": str(staffing_weight(m.population, m.is_urban, urban_factor))}
        for m in chosen
    ]
    outputs, steps, remainder = _staffing_compute(total=total, unit=unit, rules=rules, inputs=inputs)
    return Preview(
        kind=Kind.STAFFING_KEY, unit=unit, total=total, rules=rules, inputs=inputs, outputs=outputs, steps=steps,
        remainder=remainder,
        input_hash=input_hash(kind=Kind.STAFFING_KEY, unit=unit, total=total, rules=rules, inputs=inputs),
    )


@transaction.atomic
def staffing_key_save(*, user, title: str, total: Decimal, unit: str, urban_factor: Decimal,
                      municipality_ids: Iterable[int], expected_hash: str | None = None) -> AllocationRun:
    """Compute the staffing key again from the current municipality table and store it as a fixed run.

    ``expected_hash``: the hash of the preview the user saw; if the inputs have changed since (a population
    was corrected, the form was edited), nothing is stored and ValidationError says so. Needs
    ``programmes.add_allocationrun`` (PermissionDenied otherwise).
    """
    if not user.has_perm(ADD_RUN):
        raise PermissionDenied(_("Sie dürfen keine Verteilungsläufe speichern."))
    ids = set(municipality_ids)
    municipalities = list(Municipality.objects.filter(pk__in=ids))
    if len(municipalities) != len(ids):
        raise ValidationError({"municipalities": _(
            "Mindestens eine ausgewählte Kommune gibt es nicht mehr; bitte laden Sie die Seite neu.")})
    preview = staffing_key_preview(total=total, unit=unit, urban_factor=urban_factor, municipalities=municipalities)
    if expected_hash is not None and expected_hash != preview.input_hash:
        raise ValidationError(_(
            "Die Angaben oder die Einwohnerzahlen haben sich seit der Vorschau geändert. Bitte prüfen Sie die "
            "neue Vorschau und speichern Sie dann."), code="stale_preview")
    run = AllocationRun(
        kind=preview.kind, title=(title or "").strip(), unit=preview.unit, total=preview.total, rules=preview.rules,
        inputs=preview.inputs, outputs=preview.outputs, steps=preview.steps, remainder=preview.remainder,
        input_hash=preview.input_hash, created_by=user,
    )
    run.full_clean()
    run.save()
    return run


# -- reproducibility ---------------------------------------------------------------------------------
COMPUTERS: dict[str, Callable[..., tuple[dict, list, Decimal]]] = {
    Kind.STAFFING_KEY: _staffing_compute,
    Kind.FORMULA_ALLOCATION: formula_compute,
}


def formula_preview(*, total: Decimal, rules: dict, inputs: list[dict]) -> Preview:
    """A formula allocation computed from prepared rules and input rows (``grants.allocations`` builds them).

    Pure: stores nothing. Rows are sorted by key so their order never changes the hash. ValueError from the
    engine (no applicants, no population) becomes a German ValidationError.
    """
    try:
        total = Decimal(decimal_text(total, gettext_noop("Der Topf")))
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {"total": _("Bitte geben Sie einen Betrag mit höchstens zwei Nachkommastellen an.")}) from exc
    inputs = sorted(inputs, key=lambda row: row["key"])
    if not inputs:
        raise ValidationError(_("Es gibt keine geprüften Anträge, unter denen verteilt werden könnte."))
    if not total:
        raise ValidationError({"total": _("Es gibt nichts zu verteilen: Der Betrag ist null.")})
    try:
        outputs, steps, remainder = formula_compute(total=total, unit=Unit.EUR, rules=rules, inputs=inputs)
    except ValueError as exc:
        raise ValidationError(_("Die Verteilung ist so nicht möglich: %(reason)s") % {"reason": error_text(exc)}
                              ) from exc
    return Preview(
        kind=Kind.FORMULA_ALLOCATION, unit=Unit.EUR, total=total, rules=rules, inputs=inputs, outputs=outputs,
        steps=steps, remainder=remainder,
        input_hash=input_hash(kind=Kind.FORMULA_ALLOCATION, unit=Unit.EUR, total=total, rules=rules, inputs=inputs),
    )


def run_verify(run: AllocationRun | Preview) -> bool:
    """True if the run's hash matches its stored inputs and recomputing them gives the stored outputs.

    Proves reproducibility: nothing but the stored rules and input rows go into the recomputation, so a
    later change to the municipality table cannot change what a run says — and tampering shows. Steps are
    compared by what they decided (pot, who shared, who dropped or was capped), not by their wording.
    """
    expected = input_hash(kind=run.kind, unit=run.unit, total=run.total, rules=run.rules, inputs=run.inputs)
    if expected != run.input_hash:
        return False
    compute = COMPUTERS.get(run.kind)
    if compute is None:
        raise NotImplementedError(f"Für die Art {run.kind!r} gibt es noch keine Neuberechnung.")
    try:
        outputs, steps, remainder = compute(total=run.total, unit=run.unit, rules=run.rules, inputs=run.inputs)
    except (ArithmeticError, KeyError, TypeError, ValueError):
        return False
    amounts = sum(Decimal(output["amount"]) for output in run.outputs.values())
    return ((outputs, _substance(steps), remainder) == (run.outputs, _substance(run.steps), run.remainder)
            and amounts + remainder == run.total)


# What a step decided, without its wording: the texts of the explanations may be improved (translatable
# params, a clearer sentence) without a run fixed earlier failing its check.
STEP_SUBSTANCE = ("number", "kind", "pot", "among", "dropped", "capped", "reason")


def _substance(steps: list[dict]) -> list[dict]:
    return [{key: step.get(key) for key in STEP_SUBSTANCE} for step in steps]
