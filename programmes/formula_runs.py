"""Formula allocation runs (e.g. the Soforthilfe): the stored rules and input rows in, outputs and steps out.

Pure and deterministic, so ``programmes.runs.run_verify`` can recompute a fixed run from what it stored.
Shapes (all amounts and weights are strings with two places, never floats):

rules  = {"method", "min_fte", "min_share", "cap", "remainder", "population_reference_date", "follow_up"}
         (min_fte / min_share / cap may be None = rule not applied; remainder "reshare" or "keep")
inputs = [{"key" (file number), "application_id", "name", "municipalities": [{"ags", "name", "population",
          "population_reference_date"}], "population", "weight", "fte" (largest post; None if none),
          "fte_total", "cap" (own ceiling in a follow-up run, else None), "previous_amount"}, …]

The weight is the population (for a Verbund the sum of its members'), checked against the rows so a stored
run cannot carry a weight that its own population figures contradict.
"""

from decimal import Decimal

from .allocation_rules import AllocationRules, Applicant, allocate
from .step_params import gettext_noop

TWO_PLACES = Decimal("0.01")


def _optional(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def formula_weight(row: dict) -> Decimal:
    population = sum(int(m["population"]) for m in row["municipalities"])
    if population != int(row["population"]):
        raise ValueError(f"Einwohnerzahl von {row['key']} passt nicht zur Summe ihrer Kommunen.")
    weight = Decimal(population).quantize(TWO_PLACES)
    if str(weight) != row["weight"]:
        raise ValueError(f"Gewicht von {row['key']} passt nicht zur Einwohnerzahl.")
    return weight


def _step_dict(step) -> dict:
    return {
        "number": step.number, "kind": str(step.kind), "pot": str(step.pot), "among": list(step.among),
        "message": step.message, "params": dict(step.params), "explanation": step.explanation,
        "dropped": list(step.dropped), "capped": list(step.capped),
        "reason": str(step.reason) if step.reason else None,
    }


def formula_compute(*, total: Decimal, unit: str, rules: dict, inputs: list[dict]):
    """Outputs, steps and remainder of a formula allocation, from the stored rules and input rows only."""
    if unit != "EUR":
        raise ValueError("Eine Formelzuweisung verteilt Euro.")
    applicants = {
        row["key"]: Applicant(weight=formula_weight(row), fte=_optional(row.get("fte")), name=row["name"],
                              cap=_optional(row.get("cap")))
        for row in inputs
    }
    result = allocate(total, applicants, AllocationRules(
        min_fte=_optional(rules.get("min_fte")), min_share=_optional(rules.get("min_share")),
        cap=_optional(rules.get("cap")), remainder=rules.get("remainder") or "reshare",
    ), key_label=gettext_noop("Aktenzeichen"))  # the keys are file numbers: the last tie-break compares them
    outputs = {
        key: {"amount": str(outcome.amount), "percent": str(outcome.percent), "eligible": outcome.eligible,
              "reason": str(outcome.reason), "step": outcome.step}
        for key, outcome in result.outcomes.items()
    }
    return outputs, [_step_dict(step) for step in result.steps], result.remainder
