"""Indicator arithmetic in the database: one grouped aggregate query per source and consent rule.

``count_pairs`` returns raw (numerator, denominator) counts per breakdown key; nothing here is fit to
show — ``protect`` / ``protect_breakdown`` turn them into protected cells (``suppression``) before they
leave this package.

How a query is shaped (the dashboard's time goes here): the rows the indicators of a query look at (their
*base*: counselling types and running on the reference date, or dated in the period) are the WHERE; a
base or population all of them share is checked there once and not again in each aggregate (the Part A
shares), and indicators sharing a filter share one aggregate. The statistics consent is checked once per
row in WHERE as well: on cases as one list of consented cases, on goal and child rows (fewer, joined to
their case) as a look-up per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from ..cases.consent import valid_purpose_q
from ..models import Case, Child, ConsentPurpose, ConsentPurposeKind, Goal
from . import breakdowns
from .periods import Period
from .registry import ALL_TYPES, BREAKDOWN_LABELS, CASE_PATH, Breakdown, Indicator, Kind, Reference, Source
from .running import running_q
from .suppression import TOTAL, Cell, ProtectedShare, protect_cube, protect_share_cube, share_table

MODELS = {Source.CASES: Case, Source.GOALS: Goal, Source.CHILDREN: Child}
CHILD_PATH = "competences__children__"  # from a case to its children
Pairs = dict[tuple, tuple[int, int]]


class BreakdownNotAllowed(ValueError):
    """An indicator asked for by a breakdown its registry entry does not allow."""


def check_breakdowns(indicator: Indicator, group_by: Sequence[Breakdown]) -> None:
    refused = [breakdown for breakdown in group_by if breakdown not in indicator.breakdowns]
    if refused:
        raise BreakdownNotAllowed(_("Die Kennzahl „%(title)s“ darf nicht nach %(breakdowns)s aufgeschlüsselt "
                                    "werden.") % {"title": indicator.title,
                                                  "breakdowns": ", ".join(str(BREAKDOWN_LABELS[b]) for b in refused)})


def base_q(indicator: Indicator, period: Period, *, path: str | None = None) -> Q:
    """The rows an indicator looks at: counselling types, and running on the reference date or dated in the period.

    ``path`` leads from the queried model to the case (default: from the indicator's source).
    """
    path = CASE_PATH[indicator.source] if path is None else path
    every_type = set(indicator.counselling_types) >= set(ALL_TYPES)
    base = Q() if every_type else Q(**{f"{path}counselling_type__in": list(indicator.counselling_types)})
    if indicator.reference == Reference.STOCK:
        return base & running_q(period.reference_date, prefix=path)
    field = indicator.date_field
    return base & Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def consent_q(source: Source, today: date) -> Q:
    """Only cases whose statistics consent is valid today (for content figures, see the registry).

    The rule of ``cases_usable_for_statistics`` on the consent purposes straight away (that function wraps
    it in one more subquery over all cases); a test checks both give the same cases. Cases: one list of
    the consented cases, probed per case. Goal and child rows: a look-up of their case's consent per row,
    cheaper than building that list for the few rows of a period.
    """
    usable = ConsentPurpose.objects.filter(valid_purpose_q(today), purpose=ConsentPurposeKind.STATISTICS)
    if source == Source.CASES:
        return Q(pk__in=usable.values("consent__case_id"))
    return Q(Exists(usable.filter(consent__case_id=OuterRef(f"{CASE_PATH[source]}pk"))))


def count_pairs(
    indicators: Iterable[Indicator], period: Period, group_by: Sequence[Breakdown] = (Breakdown.MUNICIPALITY,),
    *, today: date,
) -> dict[str, Pairs]:
    """Raw counts ``{code: {key: (numerator, denominator)}}``, one query per source and consent rule.

    ``key`` has one value per ``group_by`` breakdown; combinations without rows are absent (count 0).
    For count indicators the denominator is the base population (not shown). ``today``: the day the figures
    are made, for the statistics consent. A breakdown the registry does not allow for an indicator is
    refused (``BreakdownNotAllowed``). Child figures asked for with case figures of the same consent rule
    are counted in the case query (children hang below a case's Part A): one pass and one consent check.
    """
    by_source: dict[tuple[Source, bool], list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        if indicator.source == Source.FUNDING:
            raise ValueError("funding indicators come from the figure providers, not from here")
        check_breakdowns(indicator, group_by)
        by_source[(indicator.source, indicator.consent_required)].append(indicator)
    for consent in (True, False):
        children = by_source.get((Source.CHILDREN, consent), [])
        stock = [indicator for indicator in children if indicator.reference == Reference.STOCK]
        if (Source.CASES, consent) in by_source and stock:
            by_source[(Source.CASES, consent)] += stock
            rest = [indicator for indicator in children if indicator.reference != Reference.STOCK]
            if rest:
                by_source[(Source.CHILDREN, consent)] = rest
            else:
                del by_source[(Source.CHILDREN, consent)]
    result: dict[str, Pairs] = {}
    for (source, needs_consent), members in by_source.items():
        result.update(_count_source(source, members, period, group_by, today if needs_consent else None))
    return result


def _under(condition: Q | None, prefix: str) -> Q | None:
    """A filter over a child row as seen from its case: every lookup behind ``prefix``."""
    if condition is None or not prefix:
        return condition
    parts = []
    for part in condition.children:
        if isinstance(part, Q):
            parts.append(_under(part, prefix))
        elif isinstance(part, tuple):
            parts.append((f"{prefix}{part[0]}", part[1]))
        else:
            raise ValueError("only plain lookups can be counted from the case")
    return Q(*parts, _connector=condition.connector, _negated=condition.negated)


def _count_source(source: Source, members: list[Indicator], period: Period, group_by: Sequence[Breakdown],
                  consent_on: date | None) -> dict[str, Pairs]:
    """One grouped query. On cases, child members (if any) are counted over the case's children."""
    path = CASE_PATH[source]
    names = [f"g_{index}" for index in range(len(group_by))]
    expressions = {
        name: breakdowns.expression(breakdown, case_path=path, reference_year=period.reference_date.year)
        for name, breakdown in zip(names, group_by, strict=True)
    }
    # Children counted from the case (stock figures only: their base is the case's): the join repeats a case
    # once per child, so case counts are distinct.
    below = {indicator.code: CHILD_PATH for indicator in members
             if source == Source.CASES and indicator.source == Source.CHILDREN}
    own = [indicator for indicator in members if indicator.code not in below]
    bases: dict[tuple, Q] = {}
    for indicator in members:
        bases.setdefault(_base_key(indicator), base_q(indicator, period, path=path))

    def population(indicator: Indicator) -> Q | None:
        return indicator.denominator if indicator.kind == Kind.SHARE else None

    rows_wanted = Q()
    for condition in bases.values():
        rows_wanted |= condition
    queryset = MODELS[source].objects.filter(rows_wanted)
    # One base and one population for all (the Part A shares): both in WHERE only, not in every aggregate.
    # Children need a Part A anyway, so they do not stand in the way of that population.
    single = len(bases) == 1
    common = population(own[0]) if single and len({id(population(i)) for i in own}) == 1 else None
    if common is not None:
        queryset = queryset.filter(common)
    if consent_on is not None:
        queryset = queryset.filter(consent_q(source, consent_on))

    aggregates: dict[str, Count] = {}
    aliases: dict[tuple, str] = {}

    def aggregate(prefix: str, base: Q | None, *conditions: Q | None) -> str:
        """A count of rows (``prefix``: of children) meeting ``base`` (on the case) and ``conditions`` (on the row)."""
        wanted = [condition for condition in conditions if condition is not None]
        key = (prefix, id(base), *(id(condition) for condition in wanted))
        if key not in aliases:
            aliases[key] = f"a_{len(aliases)}"
            combined = base if base is not None else Q()
            for condition in wanted:
                combined &= _under(condition, prefix)
            target, distinct = (f"{prefix}pk", False) if prefix else ("pk", bool(below))
            aggregates[aliases[key]] = Count(target, distinct=distinct, filter=combined if combined else None)
        return aliases[key]

    columns = {}
    for indicator in members:
        prefix = below.get(indicator.code, "")
        base = None if single else bases[_base_key(indicator)]
        extra = None if common is not None and not prefix else population(indicator)
        columns[indicator.code] = (aggregate(prefix, base, extra, indicator.numerator),
                                   aggregate(prefix, base, extra))
    rows = queryset.annotate(**expressions).values(*names).annotate(**aggregates).order_by()
    result: dict[str, Pairs] = {indicator.code: {} for indicator in members}
    for row in rows:
        key = tuple(row[name] for name in names)
        for indicator in members:
            numerator_alias, denominator_alias = columns[indicator.code]
            pair = (row[numerator_alias], row[denominator_alias])
            if pair != (0, 0):
                result[indicator.code][key] = pair
    return result


def _base_key(indicator: Indicator) -> tuple:
    date_field = indicator.date_field if indicator.reference == Reference.FLOW else ""
    return (indicator.reference, indicator.counselling_types, date_field)


def _inside(pairs: Pairs, dimensions: Sequence[Sequence]) -> Pairs:
    """Keys outside the dimensions (e.g. a municipality of another district) are left out."""
    allowed = [set(dimension) for dimension in dimensions]
    return {key: pair for key, pair in pairs.items()
            if all(value in members for value, members in zip(key, allowed, strict=True))}


def protect(indicator: Indicator, pairs: Pairs, dimensions: Sequence[Sequence]) -> dict[tuple, Cell | ProtectedShare]:
    """Protected cells for every key and margin (TOTAL) of the given dimensions.

    Counts become ``Cell``s, shares ``ProtectedShare``s, under the indicator's threshold.
    """
    inside = _inside(pairs, dimensions)
    if indicator.kind == Kind.SHARE:
        return protect_share_cube(inside, dimensions=dimensions, threshold=indicator.threshold)
    counts = {key: numerator for key, (numerator, _denominator) in inside.items()}
    return dict(protect_cube(counts, dimensions=dimensions, threshold=indicator.threshold).cells)


def protect_breakdown(indicator: Indicator, pairs: Pairs, municipalities: Sequence, categories: Sequence
                      ) -> dict[tuple, Cell | ProtectedShare]:
    """Protected cells of municipality × category (``pairs`` keyed so) with all margins.

    The municipalities' totals are published on the dashboard already (protected along the municipalities
    only), so that protection is carried over: what it hides stays hidden here, what it shows cannot be
    hidden here — and secondary suppression within the categories works around what is known.
    """
    inside = _inside(pairs, [municipalities, categories])
    per_town: dict[tuple, tuple[int, int]] = {}
    for (town, _category), (numerator, denominator) in inside.items():
        before = per_town.get((town,), (0, 0))
        per_town[(town,)] = (before[0] + numerator, before[1] + denominator)
    threshold = indicator.threshold
    if indicator.kind == Kind.SHARE:
        published = share_table(per_town, dimensions=[municipalities], threshold=threshold)
        known = {(key[0], TOTAL, *key[1:]): cell.suppressed for key, cell in published.cells.items()}
        return protect_share_cube(inside, dimensions=[municipalities, categories], threshold=threshold, known=known)
    published = protect_cube({key: numerator for key, (numerator, _d) in per_town.items()},
                             dimensions=[municipalities], threshold=threshold)
    known = {(key[0], TOTAL): cell.suppressed for key, cell in published.cells.items()}
    counts = {key: numerator for key, (numerator, _denominator) in inside.items()}
    return dict(protect_cube(counts, dimensions=[municipalities, categories], threshold=threshold,
                             known=known).cells)
