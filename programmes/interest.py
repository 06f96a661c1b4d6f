"""Interest on refunds (§ 49a Abs. 3 VwVfG): 5 percentage points above the base rate, per year.

From the day staff set (the day the grant decision lost its effect) up to, not including, the day the money
arrives. The base rate (§ 247 BGB) changes on 1 January and 1 July; each stretch of days is charged at the
rate valid on those days. Day count act/365: interest = amount × rate/100 × days/365 per stretch, summed
exactly and rounded half up to the cent once at the end, so the result does not depend on how the period
is cut into stretches.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MARGIN = Decimal("5.00")  # percentage points above the base rate
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Stretch:
    start: date
    end: date  # exclusive
    base_rate: Decimal

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def rate(self) -> Decimal:
        return self.base_rate + MARGIN


def stretches(start: date, end: date, table: list[tuple[date, Decimal]]) -> list[Stretch]:
    """Cut [start, end) where the base rate changes. ``table``: (valid_from, rate) pairs in any order.

    ValueError if the table has no rate for ``start`` (staff must enter the rate first).
    """
    rows = sorted(table)
    if end <= start:
        return []
    current = [rate for valid_from, rate in rows if valid_from <= start]
    if not current:
        raise ValueError(f"Für den {start:%d.%m.%Y} ist kein Basiszinssatz eingetragen.")
    result, cursor, rate = [], start, current[-1]
    for valid_from, next_rate in rows:
        if cursor < valid_from < end:
            result.append(Stretch(cursor, valid_from, rate))
            cursor = valid_from
        if valid_from <= cursor:
            rate = next_rate
    result.append(Stretch(cursor, end, rate))
    return result


def interest(amount: Decimal, start: date, end: date, table: list[tuple[date, Decimal]]) -> Decimal:
    """Interest in euros (to the cent) on ``amount`` from ``start`` up to the day before ``end``; never negative."""
    exact = sum((amount * s.rate / 100 * s.days / 365 for s in stretches(start, end, table)), Decimal("0"))
    return max(exact, Decimal("0")).quantize(CENT, rounding=ROUND_HALF_UP)


