"""What the form and the detail page show of a co-financed or committee programme.

The figures come from the rules the decision uses (``grants.rules``: share, 1:1 co-financing, the cap per
municipality and calendar year), so the applicant sees before submitting what staff and committee will see.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from djmoney.money import Money

from grants import rules as grant_rules
from grants.models import AgendaItem
from portal.forms.cofinancing import cofinancing_rules, is_cofinanced, spans_years

from .display import eur


def split_problem(application) -> str | None:
    """A period over two calendar years needs the requested amount split per year (the cap counts per year)."""
    if not is_cofinanced(application.programme) or not spans_years(application):
        return None
    if application.year_amounts.exists():
        return None
    return _("Teilen Sie den beantragten Betrag auf die Kalenderjahre %(start)s bis %(end)s auf.") % {
        "start": application.planned_start.year, "end": application.planned_end.year}


def _limits(application) -> list[str]:
    """The highest grant the applicant's current figures allow, rule by rule."""
    programme, lines = application.programme, []
    if programme.max_funding_share is not None and application.total_costs.amount > 0:
        share = (application.total_costs.amount * programme.max_funding_share).quantize(Decimal("0.01"))
        lines.append(_("%(percent)s %% der Gesamtkosten von %(costs)s: höchstens %(limit)s") % {
            "percent": f"{programme.max_funding_share * 100:.0f}", "costs": eur(application.total_costs),
            "limit": eur(Money(share, "EUR"))})
    if programme.matching_funds_required:
        lines.append(_("Kommunaler Eigenanteil: höchstens %(own)s") % {"own": eur(application.own_funds)})
    return lines


def _approved_years(application) -> list[str]:
    """Already approved for the co-financing municipality in the years of this application (the cap's basis)."""
    programme = application.programme
    if programme.cap_per_municipality_year is None or application.cofinancing_municipality_id is None:
        return []
    years = sorted(grant_rules.amounts_by_year(application, application.requested_amount))
    already = grant_rules.approved_by_year(application, set(years))
    zero = Money(Decimal("0.00"), "EUR")
    cap = programme.cap_per_municipality_year
    return [
        _("%(year)s: für %(municipality)s bereits %(already)s bewilligt, noch höchstens %(rest)s möglich") % {
            "year": year, "municipality": application.cofinancing_municipality.name,
            "already": eur(already.get(year, zero)), "rest": eur(max(zero, cap - already.get(year, zero)))}
        for year in years
    ]


def cofinancing_form_context(programme, application) -> dict | None:
    """The rules next to the co-financing fields and, for a saved application, its figures against them."""
    if not is_cofinanced(programme):
        return None
    context = {"rules": cofinancing_rules(programme), "limits": [], "approved_years": [], "warnings": []}
    if application is not None and application.requested_amount.amount > 0:
        context["limits"] = _limits(application)
        context["approved_years"] = _approved_years(application)
        error = grant_rules.cofinancing_error(application, application.requested_amount)
        context["warnings"] = ([error] if error else []) + grant_rules.year_cap_errors(
            application, application.requested_amount)
    return context


def committee_decisions(application) -> list[dict]:
    """The committee's decisions on this application, and a frozen agenda it waits on (the meeting is public)."""
    items = application.agenda_items.select_related("meeting").order_by("meeting__date", "pk")
    rows = []
    for item in items:
        if not item.outcome and not item.meeting.is_frozen:
            continue  # staff still prepare the agenda
        amount = item.decided_amount if item.outcome in (AgendaItem.Outcome.APPROVED,
                                                         AgendaItem.Outcome.APPROVED_CHANGED) else None
        rows.append({
            "committee": item.meeting.committee, "date": item.meeting.date, "position": item.position,
            "outcome": item.get_outcome_display() if item.outcome else _("Beratung vorgesehen"),
            "amount": eur(amount) if amount else "", "decided": bool(item.outcome),
        })
    return rows


def cofinancing_detail_context(application) -> dict:
    programme = application.programme
    context = {"committee_decisions": committee_decisions(application), "cofinancing": None}
    if is_cofinanced(programme):
        context["cofinancing"] = {
            "municipality": application.cofinancing_municipality,
            "own": eur(application.own_funds),
            "years": [(str(row.year), eur(row.amount)) for row in application.year_amounts.all()],
            "rules": cofinancing_rules(programme),
            "cap": eur(programme.cap_per_municipality_year) if programme.cap_per_municipality_year else "",
        }
    return context
