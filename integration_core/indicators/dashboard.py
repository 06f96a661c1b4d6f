"""The figures of one municipality's dashboard, beside the district: counselling and funding in one place.

``build_dashboard`` runs a fixed number of queries (municipalities, one per case source and consent rule,
goals by area, the funding providers' figures) and protects every case figure across *all* municipalities
of the district before picking the chosen one, so that no dashboard reveals what another one hides.
``build_breakdown`` adds one indicator by gender, age band or origin group (one query), protected over all
municipalities and categories and consistent with the dashboard's own totals (``compute.protect_breakdown``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import Municipality
from . import breakdowns, registry
from .compute import check_breakdowns, count_pairs, protect, protect_breakdown
from .periods import Period
from .providers import Measure, Totals, collect, summarise
from .registry import Breakdown, Indicator, Kind, Source
from .suppression import TOTAL, Cell, ProtectedShare, Reason

HISTORY_YEARS = 5
THOUSAND = Decimal(1000)


def per_thousand(value, population: int) -> Decimal | None:
    if value is None or not population:
        return None
    return (Decimal(value) * THOUSAND / population).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    local: Cell | ProtectedShare
    district: Cell | ProtectedShare
    local_rate: Cell | None = None  # counts: per 1,000 inhabitants
    district_rate: Cell | None = None

    @property
    def is_share(self) -> bool:
        return self.indicator.kind == Kind.SHARE


@dataclass(frozen=True)
class GoalAreaLine:
    label: str
    agreed: Cell
    achieved: Cell
    district_agreed: Cell
    district_achieved: Cell


@dataclass
class FundingLine:
    programme_code: str
    programme_name: str
    local: dict[Measure, Totals] = field(default_factory=dict)
    district: dict[Measure, Totals] = field(default_factory=dict)

    def amount(self, measure: Measure, *, district: bool = False) -> Decimal:
        return (self.district if district else self.local).get(measure, Totals()).amount

    def projects(self, *, district: bool = False) -> int:
        return (self.district if district else self.local).get(Measure.APPROVED, Totals()).count


@dataclass(frozen=True)
class HistoryLine:
    """Paid per programme and calendar year: the municipality and the district's average per municipality."""

    programme_name: str
    year: int
    local: Decimal
    district_average: Decimal


@dataclass
class Dashboard:
    municipality: Municipality
    period: Period
    municipality_ids: list[int]  # the district's, in display order
    population: int
    district_population: int
    case_lines: list[IndicatorLine]
    goal_lines: list[GoalAreaLine]
    funding_lines: list[FundingLine]
    history: list[HistoryLine]
    history_years: list[int]
    created_on: date

    @property
    def municipality_count(self) -> int:
        return len(self.municipality_ids)

    @property
    def any_suppressed(self) -> bool:
        cells = []
        for line in self.case_lines:
            cells += [line.local, line.district]
        for line in self.goal_lines:
            cells += [line.agreed, line.achieved, line.district_agreed, line.district_achieved]
        return any(
            (cell.share if isinstance(cell, ProtectedShare) else cell).suppressed for cell in cells
        )

    def funding_total(self, measure: Measure, *, district: bool = False) -> Decimal:
        return sum((line.amount(measure, district=district) for line in self.funding_lines), Decimal("0.00"))


def _rate(cell: Cell, population: int) -> Cell:
    if cell.suppressed:
        return Cell(None, Reason.SECONDARY)
    return Cell(per_thousand(cell.value, population))


def _case_lines(municipality, municipalities, period, population, district_population, today) -> list[IndicatorLine]:
    indicators = [i for i in registry.INDICATORS if i.source in (Source.CASES, Source.CHILDREN)]
    pairs = count_pairs(indicators, period, today=today)
    keys = [m.pk for m in municipalities]
    lines = []
    for indicator in indicators:
        cells = protect(indicator, pairs[indicator.code], [keys])
        local, district = cells[(municipality.pk,)], cells[(TOTAL,)]
        if indicator.kind == Kind.COUNT:
            lines.append(IndicatorLine(indicator, local, district, _rate(local, population),
                                       _rate(district, district_population)))
        else:
            lines.append(IndicatorLine(indicator, local, district))
    return lines


def _goal_lines(municipality, municipalities, period, today) -> list[GoalAreaLine]:
    # The areas include health (special-category data): the whole table takes the stricter threshold.
    agreed, achieved = (replace(registry.get(code), sensitive=True)
                        for code in ("goals_agreed", "goals_achieved"))
    pairs = count_pairs([agreed, achieved], period, (Breakdown.MUNICIPALITY, Breakdown.GOAL_AREA), today=today)
    areas = breakdowns.categories(Breakdown.GOAL_AREA)
    dimensions = [[m.pk for m in municipalities], [area.key for area in areas]]
    agreed_cells = protect(agreed, pairs[agreed.code], dimensions)
    achieved_cells = protect(achieved, pairs[achieved.code], dimensions)
    return [
        GoalAreaLine(str(area.label), agreed_cells[(municipality.pk, area.key)],
                     achieved_cells[(municipality.pk, area.key)], agreed_cells[(TOTAL, area.key)],
                     achieved_cells[(TOTAL, area.key)])
        for area in areas
    ]


def _funding_lines(municipality, keys, period) -> list[FundingLine]:
    figures = [f for f in collect(period) if f.municipality_id in keys]
    lines: dict[str, FundingLine] = {}
    for (code, name, municipality_id, measure), totals in summarise(
            figures, by=("programme_code", "programme_name", "municipality_id", "measure")).items():
        line = lines.setdefault(code, FundingLine(code, name))
        line.district.setdefault(measure, Totals()).amount += totals.amount
        line.district[measure].count += totals.count
        if municipality_id == municipality.pk:
            line.local[measure] = totals
    return [lines[code] for code in sorted(lines)]


def _history(municipality, keys, period) -> tuple[list[HistoryLine], list[int]]:
    years = list(range(period.end.year - HISTORY_YEARS + 1, period.end.year + 1))
    span = Period(date(years[0], 1, 1), date(years[-1], 12, 31))
    paid = [f for f in collect(span, measures=(Measure.PAID,)) if f.municipality_id in keys]
    local = summarise([f for f in paid if f.municipality_id == municipality.pk], by=("programme_name", "year"))
    district = summarise(paid, by=("programme_name", "year"))
    count = len(keys) or 1
    lines = [
        HistoryLine(name, year, local.get((name, year), Totals()).amount,
                    (district[(name, year)].amount / count).quantize(Decimal("0.01")))
        for name in sorted({name for name, _year in district})
        for year in years
        if (name, year) in district
    ]
    return lines, years


def build_dashboard(municipality: Municipality, period: Period, *, today: date,
                    municipalities: list[Municipality] | None = None) -> Dashboard:
    """``municipalities``: the district's, ordered by name, if the caller has them already."""
    if municipalities is None:
        municipalities = list(Municipality.objects.filter(district_id=municipality.district_id)
                              .order_by("name", "pk"))
    keys = {m.pk for m in municipalities}
    district_population = sum(m.population for m in municipalities)
    history, years = _history(municipality, keys, period)
    return Dashboard(
        municipality=municipality, period=period, municipality_ids=[m.pk for m in municipalities],
        population=municipality.population, district_population=district_population,
        case_lines=_case_lines(municipality, municipalities, period, municipality.population, district_population,
                               today),
        goal_lines=_goal_lines(municipality, municipalities, period, today),
        funding_lines=_funding_lines(municipality, keys, period), history=history, history_years=years,
        created_on=today,
    )


# Breakdowns of one indicator that the dashboard offers (municipality is the dashboard itself).
OFFERED_BREAKDOWNS = (Breakdown.GENDER, Breakdown.AGE_BAND, Breakdown.ORIGIN)


def breakdown_indicators() -> list[Indicator]:
    """Case indicators the registry allows to break down by at least one of the offered breakdowns."""
    return [indicator for indicator in registry.INDICATORS if indicator.source != Source.FUNDING
            and any(breakdown in indicator.breakdowns for breakdown in OFFERED_BREAKDOWNS)]


@dataclass(frozen=True)
class BreakdownLine:
    label: str
    local: Cell | ProtectedShare
    district: Cell | ProtectedShare


@dataclass(frozen=True)
class BreakdownTable:
    indicator: Indicator
    breakdown: Breakdown
    lines: list[BreakdownLine]  # one per category, the totals last


def build_breakdown(dashboard: Dashboard, indicator: Indicator, breakdown: Breakdown, *, today: date
                    ) -> BreakdownTable:
    """``indicator`` by ``breakdown`` for the dashboard's municipality and the district (BreakdownNotAllowed
    if the registry does not allow it)."""
    group_by = (Breakdown.MUNICIPALITY, breakdown)
    check_breakdowns(indicator, group_by)
    pairs = count_pairs([indicator], dashboard.period, group_by, today=today)[indicator.code]
    categories = breakdowns.categories(breakdown)
    cells = protect_breakdown(indicator, pairs, dashboard.municipality_ids, [c.key for c in categories])
    town = dashboard.municipality.pk
    lines = [BreakdownLine(str(c.label), cells[(town, c.key)], cells[(TOTAL, c.key)]) for c in categories]
    lines.append(BreakdownLine(_("zusammen"), cells[(town, TOTAL)], cells[(TOTAL, TOTAL)]))
    return BreakdownTable(indicator, breakdown, lines)
