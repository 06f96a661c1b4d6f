"""The yearly indicator table (Kennzahlentabelle) for the Regierungspräsidium, per provider (Träger).

Counted in the reporting year (1.1.–31.12.): cases active in the year by counselling type, new cases,
plans with Part A and with Part B, goals agreed in the year by area and achievement, the status at
the last reporting date of the year, and "eigenständiges Leben" among the open cases with Part A at
31.12. Figures from the content of Part A / B count only cases with a valid statistics consent; the
counts by type and the status count every case (reporting obligation). Four grouped queries. Each
group is protected as a table (categories × providers, with the providers' and the district's totals),
so small cells are hidden and cannot be recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from ..cases.consent import cases_usable_for_statistics
from ..cases.independence import independent_living_q
from ..models import Achievement, Case, CounsellingType, Goal, GoalArea, PlanStatus, Provider, ReportingStatus
from .running import active_q, running_q
from .suppression import TOTAL, Cell, protect_share_cube, protect_table, sensitive_threshold

NO_STATUS = "none"


@dataclass(frozen=True)
class TableRow:
    group: str
    label: str
    cells: list[Cell]  # one per provider, then the district total
    kind: str = "count"  # "count" or "share" (percent, one decimal)

    @property
    def display(self) -> list[str]:
        from .presentation import show

        places, unit = (1, "") if self.kind == "share" else (0, "")
        return [show(cell, places=places, unit=unit) for cell in self.cells]


@dataclass(frozen=True)
class IndicatorTable:
    year: int
    reference_date: date
    providers: list[str]
    rows: list[TableRow]

    @property
    def reference_date_display(self) -> str:
        return f"{self.reference_date:%d.%m.%Y}"


def _rows(group: str, categories: list[tuple], counts: dict, provider_ids: list[int], *,
          threshold: int | None = None, total_label: str | None = None) -> list[TableRow]:
    """``categories`` = [(key, label)]; ``counts[(key, provider_id)]``; protected with all margins."""
    keys = [key for key, _label in categories]
    table = protect_table(counts, rows=keys, columns=provider_ids, threshold=threshold)
    labelled = [*categories, (TOTAL, total_label)] if total_label else categories
    return [TableRow(group, str(label), [table[(key, p)] for p in [*provider_ids, TOTAL]]) for key, label in labelled]


def build_table(year: int, *, today: date) -> IndicatorTable:
    """``today``: the day the table is made; Part A/B content counts only cases whose statistics consent is
    valid then (counts by type and the status are the reporting obligation and count every case)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    consented = Q(pk__in=cases_usable_for_statistics(today).values("pk"))
    providers = list(Provider.objects.order_by("name", "pk").values_list("pk", "name"))
    ids = [pk for pk, _name in providers]
    # Never-closed cases count until their permitted end (3 years, or the extension), not for ever.
    active = active_q(start, end)
    open_at_end = running_q(end)
    with_a = open_at_end & consented & Q(counselling_type__in=[CounsellingType.SIMPLE, CounsellingType.FULL],
                                         competences__isnull=False)
    has_goals = Exists(Goal.objects.filter(case=OuterRef("pk")))
    cases = (Case.objects.values("provider_id", "counselling_type").annotate(
        active=Count("pk", filter=active), new=Count("pk", filter=Q(first_contact_on__range=(start, end))),
        part_a=Count("pk", filter=active & consented & Q(competences__isnull=False)),
        part_b=Count("pk", filter=active & consented & has_goals),
        with_a=Count("pk", filter=with_a), independent=Count("pk", filter=with_a & independent_living_q()),
    ).order_by())
    sums: dict[str, dict] = {name: {} for name in ("active", "new", "part_a", "part_b", "with_a", "independent")}
    for row in cases:
        for name, per_key in sums.items():
            per_key[(row["counselling_type"], row["provider_id"])] = row[name]
    types = list(CounsellingType.choices)
    rows = _rows(_("Fälle im Berichtsjahr nach Art der Beratung"), types, sums["active"], ids,
                 total_label=_("zusammen"))
    rows += _rows(_("Neue Fälle (Erstkontakt im Berichtsjahr)"), types, sums["new"], ids, total_label=_("zusammen"))
    # Part A and Part B overlap (a full plan has both): two separate lines, no common total.
    rows += _rows(_("Integrationspläne"), [(None, _("mit Teil A (Kompetenzerfassung)"))], _collapse(sums["part_a"]),
                  ids)
    rows += _rows(_("Integrationspläne"), [(None, _("mit Teil B (Zielvereinbarung)"))], _collapse(sums["part_b"]),
                  ids)
    rows += _goal_rows(start, end, ids, consented)
    rows += _status_rows(start, end, ids, active)
    rows += _independence_rows(sums, ids)
    return IndicatorTable(year=year, reference_date=end, providers=[name for _pk, name in providers], rows=rows)


def _collapse(per_type: dict) -> dict:
    """{(type, provider): n} → {(None, provider): n summed over types}."""
    result: dict = {}
    for (_type, provider), count in per_type.items():
        result[(None, provider)] = result.get((None, provider), 0) + count
    return result


def _goal_rows(start: date, end: date, ids: list[int], consented: Q) -> list[TableRow]:
    case_ids = Case.objects.filter(consented).values("pk")
    goals = (Goal.objects.filter(agreed_on__range=(start, end), case__in=case_ids)
             .values("case__provider_id", "area", "achieved").annotate(n=Count("pk")).order_by())
    counts = {((row["area"], row["achieved"]), row["case__provider_id"]): row["n"] for row in goals}
    categories = [((area, state), f"{area_label} – {state_label}")
                  for area, area_label in GoalArea.choices for state, state_label in Achievement.choices]
    # Health goals are special-category data: the whole goal table takes the stricter threshold.
    return _rows(_("Ziele (vereinbart im Berichtsjahr) nach Bereich und Erreichung"), categories, counts, ids,
                 threshold=sensitive_threshold(), total_label=_("zusammen"))


def _status_rows(start: date, end: date, ids: list[int], active: Q) -> list[TableRow]:
    latest = (ReportingStatus.objects.filter(case=OuterRef("pk"), reporting_date__range=(start, end))
              .order_by("-reporting_date").values("status")[:1])
    statuses = (Case.objects.filter(active).annotate(status=Subquery(latest)).values("provider_id", "status")
                .annotate(n=Count("pk")).order_by())
    counts = {(row["status"] or NO_STATUS, row["provider_id"]): row["n"] for row in statuses}
    categories = [*PlanStatus.choices, (NO_STATUS, _("kein Stand erfasst"))]
    return _rows(_("Stand zum letzten Stichtag des Berichtsjahres"), categories, counts, ids,
                 total_label=_("zusammen"))


def _independence_rows(sums: dict, ids: list[int]) -> list[TableRow]:
    numerators, denominators = _collapse(sums["independent"]), _collapse(sums["with_a"])
    pairs = {(p,): (numerators.get((None, p), 0), denominators.get((None, p), 0)) for p in ids}
    shares = protect_share_cube(pairs, dimensions=[ids])
    keys = [(p,) for p in ids] + [(TOTAL,)]
    group = _("„Eigenständiges Leben“ (laufende Fälle mit Teil A am 31.12.)")
    return [
        TableRow(group, _("Fälle mit Teil A"), [shares[k].denominator for k in keys]),
        TableRow(group, _("davon eigenständiges Leben erreicht"), [shares[k].numerator for k in keys]),
        replace(TableRow(group, _("Anteil in %"), [shares[k].share for k in keys]), kind="share"),
    ]
