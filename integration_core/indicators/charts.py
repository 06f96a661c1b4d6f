"""Bar charts as server-rendered SVG: geometry here, markup in ``includes/bar_chart.html``.

No JavaScript, no CDN. Each chart carries its own data table (rendered beside it), the SVG has
``role="img"`` with ``<title>`` and ``<desc>``; hidden values draw no bar and are labelled "·".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

from .suppression import SUPPRESSED

LABEL_WIDTH = 270
PLOT_WIDTH = 330
VALUE_WIDTH = 90
BAR_HEIGHT = 13
BAR_GAP = 3
GROUP_GAP = 12
TOP = 8
SERIES_CLASSES = ("monitoring-bar--local", "monitoring-bar--district", "monitoring-bar--third")
SERIES_COLOURS = ("#0b5fa5", "#9aa5b1", "#e0a526")  # also used by the PDF


@dataclass(frozen=True)
class Bar:
    series: int
    css_class: str
    colour: str
    y: int
    width: float
    label: str  # the value as shown ("·" when hidden)
    label_x: float


@dataclass(frozen=True)
class Group:
    label: str
    y: int  # baseline of the group label
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    description: str
    series: list[tuple[str, str, str]]  # (label, css class, colour)
    groups: list[Group]
    width: int
    height: int
    plot_x: int


def fmt(value, *, places: int = 1, unit: str = "") -> str:
    if value is None:
        return SUPPRESSED
    text = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0{unit}" if unit else text


def horizontal_bars(
    *, chart_id: str, title: str, description: str, series: list[str],
    groups: list[tuple[str, list[Decimal | int | None]]], unit: str = "", places: int = 1,
    maximum: Decimal | int | None = None,
) -> Chart:
    """One group per label, one bar per series; ``None`` is a hidden value (no bar, label "·")."""
    values = [value for _label, row in groups for value in row if value is not None]
    top = Decimal(maximum if maximum is not None else max(values, default=0)) or Decimal(1)
    plot_x = LABEL_WIDTH
    result, y = [], TOP
    for label, row in groups:
        bars = []
        for index, value in enumerate(row):
            width = float(Decimal(value) / top * PLOT_WIDTH) if value is not None else 0.0
            bars.append(Bar(series=index, css_class=SERIES_CLASSES[index % 3], colour=SERIES_COLOURS[index % 3],
                            y=y + index * (BAR_HEIGHT + BAR_GAP), width=round(max(width, 0.0), 1),
                            label=fmt(value, places=places, unit=unit), label_x=round(plot_x + width + 4, 1)))
        group_height = len(row) * (BAR_HEIGHT + BAR_GAP)
        result.append(Group(label=label, y=y + BAR_HEIGHT - 2, bars=bars))
        y += group_height + GROUP_GAP
    legend = [(name, SERIES_CLASSES[i % 3], SERIES_COLOURS[i % 3]) for i, name in enumerate(series)]
    return Chart(chart_id=chart_id, title=title, description=description, series=legend, groups=result,
                 width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, height=y + TOP, plot_x=plot_x)
