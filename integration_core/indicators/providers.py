"""Figure providers: how other parts of the portal report figures into the monitoring.

``integration_core`` must not import the grant code (imports point one way). So the grant side
registers a *provider* here — a callable returning ready-made figures — and the dashboard, the PDF
and the benchmark only ever call :func:`collect`. A provider is registered once per process from its
app's ``ready()`` (``grants.apps`` → ``grants.figures``).

Contract of a provider::

    provider(*, period: Period, municipality_ids: Collection[int] | None,
             measures: Collection[Measure] | None) -> Iterable[FundingFigure]

one figure per (municipality, programme, calendar year, measure) within the period, computed with a
constant number of database aggregates (never one query per row). ``municipality_ids=None`` means
all municipalities, ``measures=None`` all measures (the dashboard's five-year history asks for the
payouts only). Amounts are Decimal (euros, two places), counts int; nothing is suppressed —
funding figures are about organisations, not persons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .periods import Period


class Measure(StrEnum):
    APPROVED = "approved"
    PAID = "paid"
    SETTLED = "settled"
    REFUNDED = "refunded"


MEASURE_LABELS = {
    Measure.APPROVED: _("bewilligt"),
    Measure.PAID: _("ausgezahlt"),
    Measure.SETTLED: _("abgerechnet"),
    Measure.REFUNDED: _("zurückgefordert"),
}


@dataclass(frozen=True)
class FundingFigure:
    municipality_id: int
    programme_code: str
    programme_name: str
    year: int
    measure: Measure
    amount: Decimal
    count: int  # applications (projects) behind the amount


FigureProvider = Callable[..., Iterable[FundingFigure]]

_registry: dict[str, FigureProvider] = {}


def register(name: str, provider: FigureProvider) -> FigureProvider:
    """Register ``provider`` under ``name``; registering the same callable again is harmless.

    A different callable under a taken name is refused: two apps claiming one name is a bug.
    """
    current = _registry.get(name)
    if current is not None and current is not provider:
        raise ValueError(f"figure provider {name!r} is already registered")
    _registry[name] = provider
    return provider


def unregister(name: str) -> None:
    _registry.pop(name, None)


def lookup(name: str) -> FigureProvider:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"no figure provider {name!r}") from None


def registered() -> dict[str, FigureProvider]:
    return dict(_registry)


def collect(period: Period, municipality_ids: Collection[int] | None = None, *,
            measures: Collection[Measure] | None = None) -> list[FundingFigure]:
    """All providers' figures for the period (only ``measures``, if given), in a stable order."""
    figures = []
    for name in sorted(_registry):
        figures.extend(_registry[name](period=period, municipality_ids=municipality_ids, measures=measures))
    return sorted(figures, key=lambda f: (f.programme_code, f.year, f.municipality_id, f.measure))


@dataclass
class Totals:
    amount: Decimal = Decimal("0.00")
    count: int = 0

    def add(self, figure: FundingFigure) -> None:
        self.amount += figure.amount
        self.count += figure.count


def summarise(figures: Iterable[FundingFigure], *, by: tuple[str, ...]) -> dict[tuple, Totals]:
    """Sums of amount and count grouped by the named attributes, e.g. ``by=("programme_code", "measure")``."""
    result: dict[tuple, Totals] = defaultdict(Totals)
    for figure in figures:
        result[tuple(getattr(figure, name) for name in by)].add(figure)
    return dict(result)
