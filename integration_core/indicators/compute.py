"""Indicator arithmetic in the database: one grouped aggregate per source, whatever the data size.

``count_pairs`` returns raw (numerator, denominator) counts per breakdown key; nothing here is fit to
show — ``protect`` turns them into protected cells (``suppression``) before they leave this package.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import Count, Q

from ..cases.consent import cases_usable_for_statistics
from ..models import Case, Child, Goal
from . import breakdowns
from .periods import Period
from .registry import CASE_PATH, Breakdown, Indicator, Kind, Reference, Source
from .suppression import Cell, ProtectedShare, protect_cube, protect_share_cube

MODELS = {Source.CASES: Case, Source.GOALS: Goal, Source.CHILDREN: Child}
Pairs = dict[tuple, tuple[int, int]]


def base_q(indicator: Indicator, period: Period) -> Q:
    """The rows an indicator looks at: counselling types, and open at the reference date or dated in the period."""
    path = CASE_PATH[indicator.source]
    base = Q(**{f"{path}counselling_type__in": list(indicator.counselling_types)})
    if indicator.reference == Reference.STOCK:
        reference = period.reference_date
        still_open = Q(**{f"{path}ended_on__isnull": True}) | Q(**{f"{path}ended_on__gte": reference})
        return base & Q(**{f"{path}first_contact_on__lte": reference}) & still_open
    field = indicator.date_field
    return base & Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def consent_q(source: Source, today: date) -> Q:
    """Only cases whose statistics consent is valid today (for content figures, see the registry)."""
    return Q(**{f"{CASE_PATH[source]}pk__in": cases_usable_for_statistics(today).values("pk")})


def _filters(indicator: Indicator, period: Period) -> tuple[Q, Q]:
    """(numerator filter, denominator filter) including the base."""
    population = base_q(indicator, period)
    if indicator.kind == Kind.SHARE and indicator.denominator is not None:
        population &= indicator.denominator
    numerator = population & indicator.numerator if indicator.numerator is not None else population
    return numerator, population


def count_pairs(
    indicators: Iterable[Indicator], period: Period, group_by: Sequence[Breakdown] = (Breakdown.MUNICIPALITY,),
    *, today: date,
) -> dict[str, Pairs]:
    """Raw counts ``{code: {key: (numerator, denominator)}}``, one query per source involved.

    ``key`` has one value per ``group_by`` breakdown; combinations without rows are absent (count 0).
    For count indicators the denominator is the base population (not shown). ``today``: the day the figures
    are made, for the statistics consent.
    """
    # One query per source and consent rule: the consent goes into WHERE, where the database checks it once
    # per row (a semi-join), not once per aggregate.
    by_source: dict[tuple[Source, bool], list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        if indicator.source == Source.FUNDING:
            raise ValueError("funding indicators come from the figure providers, not from here")
        by_source[(indicator.source, indicator.consent_required)].append(indicator)
    result: dict[str, Pairs] = {}
    for (source, needs_consent), members in by_source.items():
        path = CASE_PATH[source]
        names = [f"g_{index}" for index in range(len(group_by))]
        expressions = {
            name: breakdowns.expression(breakdown, case_path=path, reference_year=period.reference_date.year)
            for name, breakdown in zip(names, group_by, strict=True)
        }
        # Indicators sharing a filter (e.g. the denominator of all Part A shares) share one aggregate.
        aggregates, aliases, bases = {}, {}, {}
        for indicator in members:
            numerator, denominator = _filters(indicator, period)
            base = (indicator.reference, indicator.counselling_types, indicator.date_field, id(indicator.denominator))
            for part, condition, key in (("n", numerator, (*base, id(indicator.numerator))), ("d", denominator, base)):
                alias = aliases.setdefault(key, f"a_{len(aliases)}")
                aggregates[alias] = Count("pk", filter=condition)
                aliases[(indicator.code, part)] = alias
            bases.setdefault(base[:3], base_q(indicator, period))
        # Only rows some indicator looks at (open at the reference date, or dated in the period).
        rows_wanted = Q()
        for condition in bases.values():
            rows_wanted |= condition
        queryset = MODELS[source].objects.filter(rows_wanted)
        if needs_consent:
            queryset = queryset.filter(consent_q(source, today))
        rows = queryset.annotate(**expressions).values(*names).annotate(**aggregates).order_by()
        for indicator in members:
            result[indicator.code] = {}
        for row in rows:
            key = tuple(row[name] for name in names)
            for indicator in members:
                pair = (row[aliases[(indicator.code, "n")]], row[aliases[(indicator.code, "d")]])
                if pair != (0, 0):
                    result[indicator.code][key] = pair
    return result


def protect(indicator: Indicator, pairs: Pairs, dimensions: Sequence[Sequence]) -> dict[tuple, Cell | ProtectedShare]:
    """Protected cells for every key and margin (TOTAL) of the given dimensions.

    Counts become ``Cell``s, shares ``ProtectedShare``s, under the indicator's threshold. Keys outside
    the dimensions (e.g. a municipality of another district) are left out.
    """
    allowed = [set(dimension) for dimension in dimensions]
    inside = {key: pair for key, pair in pairs.items()
              if all(value in members for value, members in zip(key, allowed, strict=True))}
    if indicator.kind == Kind.SHARE:
        return protect_share_cube(inside, dimensions=dimensions, threshold=indicator.threshold)
    counts = {key: numerator for key, (numerator, _denominator) in inside.items()}
    return dict(protect_cube(counts, dimensions=dimensions, threshold=indicator.threshold).cells)
