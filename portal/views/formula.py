"""What the detail page shows of a formula application: posts, contact, and once decided the run's figures."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from djmoney.money import Money

from grants.states import UNDECIDED
from programmes.allocation_rules import REASON_LABELS, Reason

from .display import eur


def _allocation(application) -> dict | None:
    """This applicant's line of the run that decided it: population, share, amount, reason, run checksum.

    Read from the run's stored inputs and outputs by file number, so the page shows exactly what was fixed.
    """
    run = application.allocation_run
    if run is None or application.state in UNDECIDED:
        return None
    output = run.outputs.get(application.file_number)
    row = next((row for row in run.inputs if row.get("key") == application.file_number), None)
    if output is None or row is None:
        return None
    try:
        reason = _(REASON_LABELS[Reason(output["reason"])])
    except (KeyError, ValueError):
        reason = ""
    reference = run.rules.get("population_reference_date")
    return {
        "run": run,
        "population": row["population"],
        "municipalities": row.get("municipalities") or [],
        "reference_date": date.fromisoformat(reference) if reference else None,
        "percent": Decimal(output["percent"]),
        "amount": eur(Money(Decimal(output["amount"]), "EUR")),
        "eligible": output.get("eligible", False),
        "reason": reason,
        "hash_prefix": run.hash_prefix,
        "total": eur(Money(run.total, "EUR")),
    }


def formula_context(application) -> dict:
    increases = list(application.increases.select_related("allocation_run", "document").order_by("created_at"))
    return {
        "posts": list(application.posts.all()),
        "allocation": _allocation(application),
        "increases": [
            {"increase": increase, "amount": eur(increase.amount), "run": increase.allocation_run,
             "document": getattr(increase, "document", None)}
            for increase in increases
        ],
    }
