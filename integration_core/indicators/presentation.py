"""A dashboard as rows of display strings and charts — the one shape the HTML page and the PDF both render.

Hidden cells become "·" here and nowhere else; a hidden cell's value never reaches a template.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import CounsellingType
from .charts import Chart, fmt, horizontal_bars
from .dashboard import BreakdownTable, Dashboard, per_thousand
from .providers import Measure
from .registry import BREAKDOWN_LABELS, INDICATORS, LEVEL_LABELS, REFERENCE_LABELS, Kind, Source
from .suppression import SUPPRESSED, Cell, ProtectedShare, default_threshold, sensitive_threshold


def show(cell: Cell, *, places: int = 0, unit: str = "") -> str:
    if cell.suppressed:
        return SUPPRESSED
    if cell.value is None:
        return "–"
    return fmt(cell.value, places=places, unit=unit)


def euro(amount) -> str:
    return fmt(amount, places=2, unit="€")


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[str]
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    headings: list[str]
    rows: list[Row]
    chart: Chart | None = None
    caption: str = ""


def _share_section(dashboard: Dashboard) -> Section:
    lines = [line for line in dashboard.case_lines if line.is_share]
    rows = []
    for line in lines:
        local: ProtectedShare = line.local
        district: ProtectedShare = line.district
        rows.append(Row(str(line.indicator.title), [
            show(local.numerator), show(local.denominator), show(local.share, places=1, unit="%"),
            show(district.numerator), show(district.denominator), show(district.share, places=1, unit="%"),
        ], note=str(line.indicator.description)))
    chart = horizontal_bars(
        chart_id="chart-shares", title=_("Anteile: Kommune und Landkreis"),
        description=_("Balkendiagramm der Anteile in Prozent je Kennzahl, für %(name)s und den Landkreis; "
                      "die Werte stehen in der Tabelle daneben.") % {"name": dashboard.municipality.name},
        series=[dashboard.municipality.name, _("Landkreis")],
        groups=[(str(line.indicator.title), [line.local.share.shown, line.district.share.shown]) for line in lines],
        unit="%", maximum=100,
    )
    return Section(
        title=_("Beratung: Anteile zum Stichtag %(date)s") % {"date": f"{dashboard.period.reference_date:%d.%m.%Y}"},
        headings=[_("Kennzahl"), _("Zähler"), _("Nenner"), _("Anteil"), _("Zähler Landkreis"), _("Nenner Landkreis"),
                  _("Anteil Landkreis")],
        rows=rows, chart=chart, caption=_("Anteile in %(name)s und im Landkreis") % {
            "name": dashboard.municipality.name},
    )


def _count_section(dashboard: Dashboard) -> Section:
    rows = [
        Row(str(line.indicator.title), [show(line.local), show(line.local_rate, places=2), show(line.district),
                                        show(line.district_rate, places=2)], note=str(line.indicator.description))
        for line in dashboard.case_lines if not line.is_share
    ]
    return Section(
        title=_("Beratung: Fallzahlen"), headings=[_("Kennzahl"), _("Kommune"), _("je 1.000 Einw."), _("Landkreis"),
                                                  _("je 1.000 Einw. Landkreis")],
        rows=rows, caption=_("Fallzahlen in %(name)s und im Landkreis") % {"name": dashboard.municipality.name},
    )


def _goal_section(dashboard: Dashboard) -> Section:
    rows = [Row(line.label, [show(line.agreed), show(line.achieved), show(line.district_agreed),
                             show(line.district_achieved)]) for line in dashboard.goal_lines]
    chart = horizontal_bars(
        chart_id="chart-goals", title=_("Ziele nach Bereich"),
        description=_("Balkendiagramm: vereinbarte und erreichte Ziele je Bereich in %(name)s im Zeitraum; "
                      "die Werte stehen in der Tabelle daneben.") % {"name": dashboard.municipality.name},
        series=[_("vereinbart"), _("erreicht")],
        groups=[(line.label, [line.agreed.shown, line.achieved.shown]) for line in dashboard.goal_lines],
        places=0,
    )
    return Section(
        title=_("Zielvereinbarungen (Teil B) nach Bereich"),
        headings=[_("Bereich"), _("vereinbart"), _("erreicht"), _("vereinbart Landkreis"), _("erreicht Landkreis")],
        rows=rows, chart=chart, caption=_("Ziele nach Bereich im Zeitraum"),
    )


def _funding_section(dashboard: Dashboard) -> Section:
    population, district_population = dashboard.population, dashboard.district_population
    rows = []
    for line in dashboard.funding_lines:
        rows.append(Row(line.programme_name, [
            str(line.projects()), euro(line.amount(Measure.APPROVED)), euro(line.amount(Measure.PAID)),
            euro(line.amount(Measure.SETTLED)), euro(line.amount(Measure.REFUNDED)),
            fmt(per_thousand(line.amount(Measure.PAID), population), places=2, unit="€"),
            fmt(per_thousand(line.amount(Measure.PAID, district=True), district_population), places=2, unit="€"),
        ]))
    rows.append(Row(_("Summe"), [
        str(sum(line.projects() for line in dashboard.funding_lines)),
        *(euro(dashboard.funding_total(m)) for m in (Measure.APPROVED, Measure.PAID, Measure.SETTLED,
                                                      Measure.REFUNDED)),
        fmt(per_thousand(dashboard.funding_total(Measure.PAID), population), places=2, unit="€"),
        fmt(per_thousand(dashboard.funding_total(Measure.PAID, district=True), district_population), places=2,
            unit="€"),
    ]))
    return Section(
        title=_("Fördermittel im Zeitraum"),
        headings=[_("Programm"), _("geförderte Projekte"), _("bewilligt"), _("ausgezahlt"), _("abgerechnet"),
                  _("zurückgefordert"), _("ausgezahlt je 1.000 Einw."), _("Landkreis je 1.000 Einw.")],
        rows=rows, caption=_("Fördermittel für %(name)s nach Programm") % {"name": dashboard.municipality.name},
    )


def _history_section(dashboard: Dashboard) -> Section:
    rows = [Row(f"{line.programme_name} {line.year}", [euro(line.local), euro(line.district_average)])
            for line in dashboard.history]
    chart = horizontal_bars(
        chart_id="chart-funding", title=_("Ausgezahlte Fördermittel je Programm und Jahr"),
        description=_("Balkendiagramm: ausgezahlte Fördermittel je Programm und Jahr für %(name)s und im "
                      "Durchschnitt der Kreiskommunen; die Werte stehen in der Tabelle daneben.") % {
            "name": dashboard.municipality.name},
        series=[dashboard.municipality.name, _("Durchschnitt je Kommune")],
        groups=[(f"{line.programme_name} {line.year}", [line.local, line.district_average])
                for line in dashboard.history],
        unit="€", places=0,
    )
    return Section(
        title=_("Mittelabruf %(first)s–%(last)s") % {"first": dashboard.history_years[0],
                                                       "last": dashboard.history_years[-1]},
        headings=[_("Programm und Jahr"), _("ausgezahlt"), _("Durchschnitt je Kommune")],
        rows=rows, chart=chart if rows else None, caption=_("Ausgezahlte Fördermittel je Programm und Jahr"),
    )


def sections(dashboard: Dashboard) -> list[Section]:
    return [_funding_section(dashboard), _history_section(dashboard), _share_section(dashboard),
            _count_section(dashboard), _goal_section(dashboard)]


def breakdown_section(dashboard: Dashboard, table: BreakdownTable) -> Section:
    """One indicator by gender, age band or origin group: the municipality beside the district."""
    name = dashboard.municipality.name
    if table.indicator.kind == Kind.SHARE:
        headings = [_("Zähler"), _("Nenner"), _("Anteil"), _("Zähler Landkreis"), _("Nenner Landkreis"),
                    _("Anteil Landkreis")]
        rows = [Row(line.label, [show(line.local.numerator), show(line.local.denominator),
                                 show(line.local.share, places=1, unit="%"), show(line.district.numerator),
                                 show(line.district.denominator), show(line.district.share, places=1, unit="%")])
                for line in table.lines]
    else:
        headings = [name, _("Landkreis")]
        rows = [Row(line.label, [show(line.local), show(line.district)]) for line in table.lines]
    by = BREAKDOWN_LABELS[table.breakdown]
    return Section(
        title=_("%(indicator)s nach %(breakdown)s") % {"indicator": table.indicator.title, "breakdown": by},
        headings=[str(by), *headings], rows=rows,
        caption=_("%(indicator)s in %(name)s und im Landkreis nach %(breakdown)s") % {
            "indicator": table.indicator.title, "name": name, "breakdown": by},
    )


def suppression_note() -> str:
    return _("„·“: Wert nicht ausgewiesen. Zahlen unter %(min)d Personen (bei Gesundheitsangaben unter "
             "%(sensitive)d) werden nicht gezeigt, ebenso Anteile, deren Zähler oder Gegenstück so klein ist, und "
             "weitere Werte, aus denen sich ein verborgener Wert über die Summe des Landkreises zurückrechnen "
             "ließe.") % {"min": default_threshold(), "sensitive": sensitive_threshold()}


@dataclass(frozen=True)
class RegistryRow:
    code: str
    title: str
    level: str
    numerator: str
    denominator: str
    reference: str
    counselling_types: str
    breakdowns: str
    smallest_shown: str


def registry_rows() -> list[RegistryRow]:
    """The registry in words, one row per indicator, in registry order."""
    type_labels = dict(CounsellingType.choices)
    rows = []
    for indicator in INDICATORS:
        funding = indicator.source == Source.FUNDING
        rows.append(RegistryRow(
            code=indicator.code, title=str(indicator.title), level=str(LEVEL_LABELS[indicator.level]),
            numerator=str(indicator.numerator_words),
            denominator=str(indicator.denominator_text) if indicator.kind == Kind.SHARE else "–",
            reference=str(REFERENCE_LABELS[indicator.reference]),
            counselling_types=_("– (Förderdaten)") if funding else ", ".join(
                str(type_labels[kind]) for kind in indicator.counselling_types),
            breakdowns=", ".join(str(BREAKDOWN_LABELS[b]) for b in indicator.breakdowns),
            # Funding figures are about organisations, not persons: nothing is hidden.
            smallest_shown="–" if funding else str(indicator.threshold),
        ))
    return rows
