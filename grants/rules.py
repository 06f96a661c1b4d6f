"""An application's rules as its programme's settings make them, in plain German: completeness, the caps, the kind
of each cost line, and what a checked settlement does to the grant."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from djmoney.money import Money

from programmes import rules as programme_rules
from programmes.choices import ApplicantType, CostKind, FinancingType

from .states import State

# Applications whose approved amount stands: they count against a programme's cap per period.
COMMITTED_STATES = [State.APPROVED, State.PAID, State.SETTLEMENT_SUBMITTED, State.REFUND_CLAIMED, State.CLOSED]


def committed_in_overlapping_periods(application) -> Money:
    """Approved amounts of the same organisation in the same programme whose period overlaps this one.

    No pro-rating: an approval whose period overlaps this application's period by a single day counts in
    full against the same cap (the cap is per funding period of the post, not per calendar month). The
    approved amount is taken as granted, before any later refund. The application itself is left out.
    """
    start, end = application.planned_start, application.planned_end
    if start is None or end is None:
        return Money(Decimal("0.00"), "EUR")
    total = (
        type(application).objects.filter(
            programme_id=application.programme_id, organisation_id=application.organisation_id,
            state__in=COMMITTED_STATES, planned_start__lte=end, planned_end__gte=start,
        )
        .exclude(pk=application.pk)
        .aggregate(total=Sum("approved_amount"))["total"]
    )
    return Money(total or Decimal("0.00"), "EUR")


def period_cap_error(application, amount: Money) -> str | None:
    """The programme's cap per period for ``amount`` on top of the overlapping approvals; None without a cap."""
    terms = application.terms
    if terms.cap_per_period is None:
        return None  # no query for programmes without a cap
    return programme_rules.period_cap_error(terms, amount, committed_in_overlapping_periods(application))


# -- the cap per municipality and calendar year (co-financed programmes) ----------------------------------
def amounts_by_year(application, amount: Money) -> dict[int, Money]:
    """``amount`` split over calendar years as the application's plan says, exact to the cent.

    Without a plan the whole amount falls into the year the period starts. An amount different from the
    plan's sum (the committee approved less) is split in the plan's proportions (``apportion``).
    """
    from programmes.allocation import apportion

    plan = {row.year: row.amount.amount for row in application.year_amounts.all()}
    if not plan or not any(plan.values()):
        year = application.planned_start.year if application.planned_start else timezone.localdate().year
        return {year: amount}
    if sum(plan.values()) == amount.amount:
        return {year: Money(value, "EUR") for year, value in plan.items()}
    return {year: Money(value, "EUR") for year, value in apportion(amount.amount, plan).items()}


def approved_by_year(application, years) -> dict[int, Money]:
    """Approved in this programme for the same co-financing municipality, per year (the application left out)."""
    from .models import PlannedYearAmount

    if application.cofinancing_municipality_id is None:
        return {}
    others = type(application).objects.filter(
        programme_id=application.programme_id, cofinancing_municipality_id=application.cofinancing_municipality_id,
        state__in=COMMITTED_STATES,
    ).exclude(pk=application.pk).prefetch_related(
        models.Prefetch("year_amounts", queryset=PlannedYearAmount.objects.order_by("year")))
    totals: dict[int, Money] = {}
    for other in others:
        for year, value in amounts_by_year(other, other.approved_amount).items():
            if year in years:
                totals[year] = totals.get(year, Money(Decimal("0.00"), "EUR")) + value
    return totals


def year_cap_errors(application, amount: Money) -> list[str]:
    """The programme's cap per municipality and year for ``amount`` on top of that year's approvals."""
    programme = application.terms
    if programme.cap_per_municipality_year is None or application.cofinancing_municipality_id is None:
        return []
    by_year = amounts_by_year(application, amount)
    return programme_rules.year_cap_errors(
        programme, municipality=application.cofinancing_municipality.name, by_year=by_year,
        already=approved_by_year(application, set(by_year)))


def cofinancing_error(application, amount: Money) -> str | None:
    return programme_rules.cofinancing_error(application.terms, amount, eligible_costs=application.total_costs,
                                             own_funds=application.own_funds)


# -- the cost plan by kind (personnel, material) -------------------------------------------------------------
def cost_kinds_asked(programme) -> bool:
    """Whether each cost line states its kind: where the grant is a share of the eligible costs (Anteilfinanzierung,
    e.g. the pilots' allowances and their training), the cost plan shows personnel and material costs apart.

    Not where only personnel costs are funded: every line is personnel costs there anyway.
    """
    if programme.personnel_costs_only:
        return False
    return programme.financing_type == FinancingType.SHARE or programme.max_funding_share is not None


def cost_kind_sums(programme, lines) -> list[tuple[str, Money]]:
    """(label, sum) per cost kind, in the order of the choices, for a cost plan that shows its kinds; else []."""
    if not (cost_kinds_asked(programme) or programme.personnel_costs_only):
        return []
    sums = {kind: Money(Decimal("0.00"), "EUR") for kind in CostKind.values}
    for line in lines:
        sums[line.kind] += line.amount
    return [(str(CostKind(kind).label), amount) for kind, amount in sums.items()]


# -- settlement: the rule of the financing type and what it gives for given eligible costs --------------------
def settlement_rule(programme) -> str:
    """How the checked costs of a settlement change the grant, in the programme's financing type."""
    if programme.financing_type == FinancingType.SHARE and programme.max_funding_share is not None:
        return _("Anteilfinanzierung: Die Zuwendung wird aus den anerkannten zuwendungsfähigen Ausgaben neu "
                 "berechnet – %(percent)s %% davon, höchstens der bewilligte Betrag. Die Differenz zum bewilligten "
                 "Betrag wird zurückgefordert.") % {
            "percent": number_format(programme.max_funding_share * 100, decimal_pos=0)}
    if programme.financing_type == FinancingType.SHARE:
        return _("Anteilfinanzierung: Die Zuwendung wird mit dem bewilligten Anteil an den geplanten Gesamtkosten "
                 "aus den anerkannten Ausgaben neu berechnet, höchstens der bewilligte Betrag. Die Differenz zum "
                 "bewilligten Betrag wird zurückgefordert.")
    if programme.financing_type == FinancingType.DEFICIT:
        return _("Fehlbedarfsfinanzierung: Minderausgaben gegenüber dem Kostenplan mindern die Zuwendung in voller "
                 "Höhe; die Differenz wird zurückgefordert.")
    return _("Festbetragsfinanzierung: Es wird nur der Betrag zurückgefordert, um den die anerkannten Ausgaben unter "
             "dem bewilligten Betrag liegen; sonst wird der Antrag abgeschlossen.")


@dataclass(frozen=True)
class SettlementPreview:
    """What accepting a settlement with ``eligible_costs`` would do: the grant that stands and the refund."""

    granted: Money
    eligible_costs: Money
    grant_after: Money
    refund: Money
    rule: str
    share_percent: str | None  # share financing with a maximum share: «50»


def settlement_preview(application, eligible_costs: Money) -> SettlementPreview:
    """The same computation as ``services.settlements.settlement_accept`` (programmes.rules), shown beforehand."""
    programme = application.terms
    refund = programme_rules.refund_for_settlement(programme, granted=application.granted,
                                                   eligible_costs=eligible_costs,
                                                   total_planned=application.total_costs)
    share = programme.max_funding_share if programme.financing_type == FinancingType.SHARE else None
    return SettlementPreview(
        granted=application.granted, eligible_costs=eligible_costs, grant_after=application.granted - refund,
        refund=refund, rule=settlement_rule(programme),
        share_percent=number_format(share * 100, decimal_pos=0) if share is not None else None)


def missing_items(application, today: date | None = None) -> list[str]:
    """Everything that keeps the application from being submitted, one sentence each.

    What is asked depends on the programme's allocation method: a project with a cost plan and a requested
    amount, or (formula allocation) the funded posts and a contact — the amount then comes from the run.
    """
    today = today or timezone.localdate()
    programme = application.programme
    missing = _text_items(application, formula=programme.is_formula)
    missing += _period_items(application, today)
    missing += _formula_items(application) if programme.is_formula else _project_items(application)
    type_error = programme_rules.applicant_type_error(programme, application.organisation.applicant_type)
    if type_error:
        missing.append(type_error)
    declarations = [
        application.declaration_truthful, application.declaration_not_started,
        application.declaration_privacy, application.declaration_conditions,
    ]
    if not all(declarations):
        missing.append(_("Bestätigen Sie alle Erklärungen am Ende des Antrags."))
    return missing


def _text_items(application, *, formula: bool) -> list[str]:
    required_text = [
        ("title", _("Geben Sie einen Titel an.")),
        ("summary", _("Beschreiben Sie das Vorhaben kurz.")),
    ]
    if formula:
        required_text += [
            ("contact_name", _("Nennen Sie eine Ansprechperson für den Antrag.")),
            ("contact_email", _("Geben Sie die E-Mail-Adresse der Ansprechperson an.")),
        ]
    else:
        required_text += [
            ("goals", _("Nennen Sie die Ziele des Vorhabens.")),
            ("target_group", _("Beschreiben Sie die Zielgruppe.")),
            ("activity_type", _("Wählen Sie die Art der Maßnahme.")),
            ("funding_field", _("Wählen Sie das Handlungsfeld.")),
        ]
    return [message for field, message in required_text if not (getattr(application, field) or "").strip()]


def _period_items(application, today: date) -> list[str]:
    missing = []
    if not application.planned_start or not application.planned_end:
        return [_("Geben Sie den geplanten Beginn und das geplante Ende an.")]
    if application.planned_end < application.planned_start:
        missing.append(_("Das geplante Ende liegt vor dem Beginn."))
    # The application date as the district's calendar shows it (not UTC's).
    start_reference = timezone.localdate(application.submitted_at) if application.submitted_at else today
    if application.planned_start < start_reference and not application.early_start_requested:
        missing.append(_(
            "Der Beginn liegt vor dem Antragsdatum. Beantragen Sie den vorzeitigen Maßnahmebeginn "
            "oder verschieben Sie den Beginn."))
    length_error = programme_rules.period_length_error(
        application.programme, application.planned_start, application.planned_end)
    if length_error:
        missing.append(length_error)
    if application.early_start_requested and not application.early_start_reason.strip():
        missing.append(_("Begründen Sie den vorzeitigen Maßnahmebeginn."))
    return missing


def _formula_items(application) -> list[str]:
    """A formula allocation asks for the posts; whether they reach the minimum FTE decides the run, not this."""
    missing = []
    if not application.posts.exists():
        missing.append(_("Geben Sie mindestens eine geförderte Stelle mit ihrem Stellenumfang an."))
    organisation = application.organisation
    if (organisation.applicant_type == ApplicantType.MUNICIPAL_ASSOCIATION
            and not organisation.member_municipalities.exists()):
        missing.append(_("Tragen Sie im Profil Ihres Verbunds die Mitgliedskommunen ein; ihre Einwohnerzahlen "
                         "bestimmen den Anteil."))
    return missing


def _project_items(application) -> list[str]:
    missing = []
    programme = application.programme
    if application.activity_type and application.activity_type not in programme.activity_types:
        missing.append(_("Diese Art der Maßnahme wird in diesem Programm nicht gefördert."))
    if application.funding_field and application.funding_field not in programme.funding_fields:
        missing.append(_("Dieses Handlungsfeld wird in diesem Programm nicht gefördert."))
    if not application.expected_participants:
        missing.append(_("Geben Sie die erwartete Zahl der Teilnehmenden an."))
    if application.place_id is None:
        missing.append(_("Wählen Sie den Ort (die Kreiskommune) der Maßnahme."))
    fte_error = programme_rules.post_fte_error(programme, application.post_fte)
    if fte_error:
        missing.append(fte_error)
    if not application.cost_lines.exists():
        missing.append(_("Legen Sie einen Kostenplan mit mindestens einer Position an."))
        return missing
    error = programme_rules.amount_error(programme, application.requested_amount)
    if error:
        missing.append(error)
    if programme.personnel_costs_only:
        kind_error = programme_rules.cost_kind_error(programme, application.cost_lines.values_list("kind", flat=True))
        if kind_error:
            missing.append(kind_error)
    if application.planned_start and application.planned_end:
        cap_error = period_cap_error(application, application.requested_amount)
        if cap_error:
            missing.append(cap_error)
    return missing + _cofinancing_items(application)


def _cofinancing_items(application) -> list[str]:
    """Co-financed programmes: the municipality named, the share and the cap kept, the evidence attached."""
    from .models import AttachmentKind

    programme = application.programme
    if not (programme.matching_funds_required or programme.cap_per_municipality_year is not None
            or programme.max_funding_share is not None):
        return []
    missing = []
    if application.cofinancing_municipality_id is None:
        missing.append(_("Nennen Sie die Kommune, die das Vorhaben kofinanziert."))
    error = cofinancing_error(application, application.requested_amount)
    if error:
        missing.append(error)
    missing += year_cap_errors(application, application.requested_amount)
    plan = list(application.year_amounts.all())
    if (application.planned_start and application.planned_end
            and application.planned_start.year != application.planned_end.year and not plan):
        missing.append(_("Teilen Sie den beantragten Betrag auf die Kalenderjahre %(start)s bis %(end)s auf.")
                       % {"start": application.planned_start.year, "end": application.planned_end.year})
    if plan and sum(row.amount.amount for row in plan) != application.requested_amount.amount:
        missing.append(_("Die Aufteilung auf Kalenderjahre ergibt nicht den beantragten Betrag von %(amount)s.")
                       % {"amount": programme_rules.format_eur(application.requested_amount)})
    if programme.matching_funds_required and not application.attachments.filter(
            kind=AttachmentKind.COFINANCING).exists():
        missing.append(_("Fügen Sie den Nachweis der Kofinanzierung bei (Gemeinderatsbeschluss oder "
                         "Haushaltsstelle)."))
    return missing
