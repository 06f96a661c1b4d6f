"""The one place that reads a programme's rules.

Every check that depends on a programme setting goes through here, so a new
programme is configured, not coded.
"""

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from djmoney.money import Money

from .choices import CostKind, DecidingBody, FinancingType
from .models import Programme

ZERO = Money(Decimal("0.00"), "EUR")
CENT = Decimal("0.01")


def format_eur(money: Money) -> str:
    """German money format with two decimals: 3.000,00 €."""
    return f"{number_format(money.amount, decimal_pos=2, use_l10n=True, force_grouping=True)} €"


def amount_error(programme: Programme, amount: Money, *, decided: bool = False) -> str | None:
    """The message for an amount outside the programme's bounds, else None.

    ``decided``: the amount a decision grants (e.g. a committee's changed amount), worded as such rather than
    as the applicant's request.
    """
    figures = {"amount": format_eur(amount), "min": format_eur(programme.min_amount),
               "max": format_eur(programme.max_amount)}
    if amount < programme.min_amount:
        if decided:
            return _("Der beschlossene Betrag von %(amount)s liegt unter dem Mindestbetrag von %(min)s.") % figures
        return _("Der beantragte Betrag von %(amount)s liegt unter dem Mindestbetrag von %(min)s.") % figures
    if amount > programme.max_amount:
        if decided:
            return _("Der beschlossene Betrag von %(amount)s liegt über dem Höchstbetrag von %(max)s.") % figures
        return _("Der beantragte Betrag von %(amount)s liegt über dem Höchstbetrag von %(max)s.") % figures
    return None


def applicant_type_error(programme: Programme, applicant_type: str) -> str | None:
    if applicant_type not in programme.eligible_applicant_types:
        return _("Ihre Organisation gehört nicht zu den Antragsberechtigten dieses Programms.")
    return None


def window_error(programme: Programme, on: date) -> str | None:
    if not programme.is_open(on):
        return _("Das Antragsfenster ist geschlossen (offen vom %(start)s bis %(end)s).") % {
            "start": programme.opens_on.strftime("%d.%m.%Y"), "end": programme.closes_on.strftime("%d.%m.%Y")}
    return None


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def settlement_due_on(programme: Programme, project_end: date) -> date:
    return add_months(project_end, programme.settlement_deadline_months)


def refund_for_settlement(programme: Programme, *, granted: Money, eligible_costs: Money,
                          total_planned: Money | None = None) -> Money:
    """What the recipient must pay back after the settlement is checked.

    Festbetrag: savings do not reduce the grant while the eligible costs stay
    at or above it; below, the difference is reclaimed. Anteilfinanzierung:
    the grant is recomputed as the planned share of the actual costs.
    Fehlbedarf: savings reduce the grant in full.
    """
    if programme.financing_type == FinancingType.FIXED:
        return max(ZERO, granted - eligible_costs)
    if programme.financing_type == FinancingType.SHARE and programme.max_funding_share is not None:
        # Recomputed from the actual eligible costs at the programme's share, never above the grant.
        due = Money((eligible_costs.amount * programme.max_funding_share).quantize(CENT, rounding=ROUND_HALF_UP),
                    "EUR")
        return max(ZERO, granted - min(granted, due))
    if programme.financing_type == FinancingType.SHARE and total_planned and total_planned.amount > 0:
        share = granted.amount / total_planned.amount
        due = Money((eligible_costs.amount * share).quantize(Decimal("0.01")), "EUR")
        return max(ZERO, granted - min(granted, due))
    if total_planned is not None:
        return max(ZERO, min(granted, total_planned - eligible_costs))
    return max(ZERO, granted - eligible_costs)


# -- funded posts (e.g. the Koordinierende Stelle): FTE, personnel costs, a cap per period --------
def format_fte(fte: Decimal) -> str:
    """German post size with two decimals: 0,50 VZÄ."""
    return f"{number_format(fte, decimal_pos=2, use_l10n=True)} {_('VZÄ')}"


def post_fte_error(programme: Programme, fte: Decimal | None) -> str | None:
    """Missing or too small a post, when the programme asks for a minimum post size; else None."""
    if programme.min_post_fte is None:
        return None
    if fte is None:
        return _("Geben Sie den Stellenumfang der Stelle in Vollzeitäquivalenten (VZÄ) an.")
    if fte < programme.min_post_fte:
        return _("Der Stellenumfang von %(fte)s liegt unter dem Mindestumfang von %(min)s.") % {
            "fte": format_fte(fte), "min": format_fte(programme.min_post_fte)}
    return None


def cost_kind_error(programme: Programme, kinds) -> str | None:
    """Cost lines of a kind the programme does not fund (only personnel costs, if so configured)."""
    if programme.personnel_costs_only and any(kind != CostKind.PERSONNEL for kind in kinds):
        return _("In diesem Programm sind ausschließlich Personalkosten zuwendungsfähig; "
                 "entfernen Sie die Sachkosten aus dem Kostenplan.")
    return None


def period_end_limit(programme: Programme, start: date) -> date:
    """The last day a funding period beginning on ``start`` may end on (12 months: 1.1. → 31.12.)."""
    return add_months(start, programme.cap_period_months) - timedelta(days=1)


def period_length_error(programme: Programme, start: date | None, end: date | None) -> str | None:
    """A period longer than the cap period; only programmes with a cap per period limit the length."""
    if programme.cap_per_period is None or start is None or end is None:
        return None
    if end > period_end_limit(programme, start):
        return _("Der Förderzeitraum darf höchstens %(months)s Monate umfassen.") % {
            "months": programme.cap_period_months}
    return None


def period_cap_error(programme: Programme, amount: Money, already_committed: Money) -> str | None:
    """The amount on top of what is already approved for overlapping periods must stay within the cap.

    ``already_committed``: the approved amounts of the same applicant in this programme whose period
    overlaps this one (grants.rules.committed_in_overlapping_periods). Any overlap counts in full.
    """
    cap = programme.cap_per_period
    if cap is None or already_committed + amount <= cap:
        return None
    figures = {"amount": format_eur(amount), "cap": format_eur(cap), "months": programme.cap_period_months,
               "committed": format_eur(already_committed)}
    if not already_committed:
        return _("Der Betrag von %(amount)s übersteigt die Obergrenze von %(cap)s je %(months)s Monate.") % figures
    return _("Für diese Stelle sind im Zeitraum bereits %(committed)s bewilligt; mit %(amount)s würde die "
             "Obergrenze von %(cap)s je %(months)s Monate überschritten.") % figures


# -- who decides, co-financing, the cap per municipality and calendar year ----------------------------
DEFAULT_COMMITTEE = "Sozialausschuss"


def committee_name(programme: Programme) -> str:
    """The committee that decides above the authority limits, as the programme names it (e.g. Sozialausschuss)."""
    return (programme.committee_name or "").strip() or DEFAULT_COMMITTEE


def deciding_body(programme: Programme, amount: Money | None) -> str:
    """Staff up to their limit, the head of unit up to hers (no limit if none set), the committee above."""
    if programme.committee_decides_all:
        return DecidingBody.COMMITTEE
    if amount is None or amount <= programme.staff_approval_limit:
        return DecidingBody.STAFF
    if programme.head_approval_limit is None or amount <= programme.head_approval_limit:
        return DecidingBody.HEAD
    return DecidingBody.COMMITTEE


def cofinancing_error(programme: Programme, amount: Money, *, eligible_costs: Money, own_funds: Money) -> str | None:
    """The grant may not exceed the programme's share of the eligible costs, nor (1:1) the municipal share."""
    if programme.max_funding_share is not None:
        limit = Money((eligible_costs.amount * programme.max_funding_share).quantize(CENT, rounding=ROUND_HALF_UP),
                      "EUR")
        if amount > limit:
            return _("Der Betrag von %(amount)s übersteigt %(percent)s %% der zuwendungsfähigen Kosten von "
                     "%(costs)s, also %(limit)s.") % {
                "amount": format_eur(amount), "costs": format_eur(eligible_costs), "limit": format_eur(limit),
                "percent": number_format(programme.max_funding_share * 100, decimal_pos=0)}
    if programme.matching_funds_required and amount > own_funds:
        return _("Der Landkreis zahlt höchstens so viel, wie die Kommune selbst beiträgt: Der Betrag von "
                 "%(amount)s übersteigt den kommunalen Eigenanteil von %(own)s.") % {
            "amount": format_eur(amount), "own": format_eur(own_funds)}
    return None


def year_cap_errors(programme: Programme, *, municipality: str, by_year: dict[int, Money],
                    already: dict[int, Money]) -> list[str]:
    """Per calendar year: what this application adds on top of what is approved for the municipality.

    ``by_year``: this application's amount per year (its plan); ``already``: approved that year for the same
    municipality in this programme (grants.rules.approved_by_year). One message per year over the cap.
    """
    cap = programme.cap_per_municipality_year
    if cap is None:
        return []
    errors = []
    for year, amount in sorted(by_year.items()):
        before = already.get(year, ZERO)
        if before + amount > cap:
            errors.append(_(
                "Obergrenze von %(cap)s je Kommune und Kalenderjahr überschritten: Für %(municipality)s sind %(year)s "
                "bereits %(already)s bewilligt; mit %(amount)s wären es %(sum)s.") % {
                "cap": format_eur(cap), "municipality": municipality, "year": year, "already": format_eur(before),
                "amount": format_eur(amount), "sum": format_eur(before + amount)})
    return errors
