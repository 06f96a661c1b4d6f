"""Apportionment engine: a fixed pot shared by weight, exact to the cent (Hare–Niemeyer).

Used by every formula programme (Soforthilfe by population, weighted staffing key). Pure Python and
exact arithmetic only — no floats, no Django — so a run gives the same cents on every machine.
The iterative programme rules (minimum FTE, minimum share, cap, remainder) live in
``programmes.allocation_rules`` and build on :func:`apportion`.
"""

from collections.abc import Hashable, Mapping
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import TypeVar

from .step_params import AllocationError, gettext_noop, text

K = TypeVar("K", bound=Hashable)
Weight = int | Decimal

NO_POSITIVE_WEIGHT = gettext_noop(
    "Mindestens ein Gewicht muss größer als null sein; sonst gibt es nichts zu verteilen.")
TOTAL_LABEL = gettext_noop("Der zu verteilende Betrag")


def amount_to_cents(amount: Decimal | int, label: str = TOTAL_LABEL) -> int:
    """Whole cents of a euro amount; ValueError if it is negative, not finite or finer than a cent.

    The precision check is by value: ``Decimal("10.500")`` is 1050 cents, ``Decimal("10.005")`` is refused.
    ``label`` is a German msgid (marked with ``gettext_noop``), so the error can be shown translated.
    The ValueErrors are :class:`~programmes.step_params.AllocationError`: German text, template and params.
    """
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        raise TypeError(f"{label} muss ein Decimal sein (nie float), erhalten: {amount!r}")
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise AllocationError(gettext_noop("%(label)s muss eine endliche Zahl sein, erhalten: %(value)s"),
                              label=text(label), value=str(amount))
    if amount < 0:
        raise AllocationError(gettext_noop("%(label)s darf nicht negativ sein, erhalten: %(value)s"),
                              label=text(label), value=str(amount))
    numerator, denominator = amount.as_integer_ratio()
    cents, rest = divmod(numerator * 100, denominator)
    if rest:
        raise AllocationError(gettext_noop(
            "%(label)s hat mehr als zwei Nachkommastellen (Cent), erhalten: %(value)s"),
            label=text(label), value=str(amount))
    return cents


def cents_to_amount(cents: int) -> Decimal:
    """Cents as a euro Decimal with exactly two places (built from a string: no context rounding)."""
    return Decimal(f"{cents}e-2")


def integer_weights(weights: Mapping[K, Weight]) -> dict[K, int]:
    """The weights scaled by one common factor to integers, so every ratio between them stays exact.

    ``{"a": Decimal("1.2"), "b": 3}`` becomes ``{"a": 6, "b": 15}`` (factor 5). Raises ValueError for a
    negative or non-finite weight and TypeError for a float or bool.
    """
    ratios: dict[K, tuple[int, int]] = {}
    for key, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int | Decimal | Fraction):
            raise TypeError(f"Das Gewicht für {key!r} muss int oder Decimal sein (nie float), erhalten: {weight!r}")
        if isinstance(weight, Decimal) and not weight.is_finite():
            raise AllocationError(gettext_noop(
                "Das Gewicht für %(key)s muss eine endliche Zahl sein, erhalten: %(value)s"),
                key=repr(key), value=str(weight))
        if weight < 0:
            raise AllocationError(gettext_noop("Das Gewicht für %(key)s darf nicht negativ sein, erhalten: %(value)s"),
                                  key=repr(key), value=str(weight))
        ratios[key] = weight.as_integer_ratio()
    scale = lcm(*{denominator for _numerator, denominator in ratios.values()}) if ratios else 1
    return {key: numerator * (scale // denominator) for key, (numerator, denominator) in ratios.items()}


def largest_remainder(total_cents: int, weights: Mapping[K, int]) -> dict[K, int]:
    """Hare–Niemeyer on integer cents and integer weights (see :func:`apportion`), in input key order.

    The exact share of a key is ``total_cents * weight / W`` with ``W`` the sum of the weights; integer
    ``divmod`` gives its floor and a remainder that all keys share the denominator ``W`` of, so remainders
    compare exactly without ever forming a fraction.
    """
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        raise AllocationError(NO_POSITIVE_WEIGHT)
    cents: dict[K, int] = {}
    candidates = []
    for key, weight in weights.items():
        floor, rest = divmod(total_cents * weight, weight_sum)
        cents[key] = floor
        if rest:
            # Sorted ascending: largest remainder first, then larger weight, then smaller key.
            candidates.append((-rest, -weight, key))
    leftover = total_cents - sum(cents.values())
    if leftover:
        candidates.sort()
        for _rest, _weight, key in candidates[:leftover]:
            cents[key] += 1
    return cents


def apportion(total: Decimal, weights: Mapping[K, Weight]) -> dict[K, Decimal]:
    """Share ``total`` among the keys in proportion to their weights, exact to the cent.

    Interface
        ``total``: euros, a ``Decimal`` (or int) of at least 0 with at most two decimals.
        ``weights``: key → weight (``int`` or ``Decimal``, e.g. a population, or population × 1.2 for an
        urban municipality), each at least 0 and at least one above 0. Keys must be hashable and mutually
        orderable (AGS strings, ids), because the last tie-break compares them.
        Returns key → amount as a ``Decimal`` with exactly two places, in the input key order; the amounts
        add up to ``total`` exactly. A key with weight 0 gets ``Decimal("0.00")``.

    Method: largest remainder (Hare–Niemeyer) on integer cents
        1. The exact share of each key in cents is ``total_cents × weight / sum of weights``, computed with
           integers (Decimal weights are first scaled to integers by one common factor), never with floats.
        2. Every key gets the floor of its exact share.
        3. The cents still missing (fewer than the number of keys) go one each to the keys with the largest
           remainders; equal remainders go to the larger weight first, then to the smaller key.
        So no key is a cent or more away from its exact share, a larger weight never gets less than a smaller
        one, and the result does not depend on the order of the input, the run or the machine.

    Errors (ValueError with a German message; a subclass that also keeps template and params for
    translation, ``programmes.step_params.AllocationError``): negative, infinite or NaN total; total with
    more than two decimals
    (by value: ``Decimal("1.000")`` is fine, ``Decimal("1.001")`` is not); negative, infinite or NaN weight;
    no weight above 0 (including no keys at all). A float or bool total or weight raises TypeError.

    Example: 10.00 € by weights 1 : 1 : 1 → exact 333⅓ cents each; floors 333 + 333 + 333 = 999; the one
    missing cent goes, remainders and weights being equal, to the smallest key: 3.34, 3.33, 3.33.
    """
    total_cents = amount_to_cents(total)
    cents = largest_remainder(total_cents, integer_weights(weights))
    return {key: cents_to_amount(value) for key, value in cents.items()}
