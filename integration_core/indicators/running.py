"""Which cases are in counselling on a day or within a year: the one definition every figure uses.

A case runs from its first contact until it ends (``ended_on``, that day included). A case nobody closed
runs until its permitted end under the duration rule (3 years, or the extension) and no longer — decided
by the rule's own past-end filter (``cases.duration.past_end_q``), the end the anonymisation reads too.
That holds for anonymised cases as well (anonymisation keeps the month of each date), so a run-out case never counts
as running, whether or not it was anonymised since.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from ..cases.duration import past_end_q


def run_out_q(on: date, *, prefix: str = "") -> Q:
    """The permitted end lies before ``on``: ``past_end_q`` without its "still open" part.

    ``past_end_q`` asks for open cases only (not ended, not anonymised); the callers here state whether a
    case was closed themselves and count an anonymised case by its dates like any other.
    """
    rule = past_end_q(today=on, prefix=prefix)
    still_open = [(f"{prefix}ended_on__isnull", True), (f"{prefix}anonymised_at__isnull", True)]
    rest = [child for child in rule.children if child not in still_open]
    if rule.connector != Q.AND or rule.negated or len(rest) != len(rule.children) - len(still_open):
        # Fails loudly in the tests should the duration rule ever be written differently.
        raise ImproperlyConfigured("cases.duration.past_end_q changed its form; adapt indicators.running")
    return Q(*rest)


def _never_closed_running(on: date, prefix: str) -> Q:
    return Q(**{f"{prefix}ended_on__isnull": True}) & ~run_out_q(on, prefix=prefix)


def running_q(on: date, *, prefix: str = "") -> Q:
    """Cases in counselling on ``on`` (the reference date of stock figures). ``prefix`` leads to the case."""
    return Q(**{f"{prefix}first_contact_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__gte": on}) | _never_closed_running(on, prefix))


def active_q(start: date, end: date, *, prefix: str = "") -> Q:
    """Cases in counselling on at least one day of ``start``–``end`` (e.g. the reporting year)."""
    return Q(**{f"{prefix}first_contact_on__lte": end}) & (
        Q(**{f"{prefix}ended_on__gte": start}) | _never_closed_running(start, prefix))
