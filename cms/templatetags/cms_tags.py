"""Template helpers that show a programme's rules straight from the Programme object."""

from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes.choices import (
    ActivityType,
    ApplicantType,
    FinancingType,
    FundingField,
    PayoutMode,
    RemainderUse,
    SettlementForm,
)
from programmes.rules import committee_name, format_eur

register = template.Library()


@dataclass(frozen=True)
class Rule:
    label: str
    value: str = ""
    items: tuple[str, ...] = ()  # several values are shown as a list


def _labels(choices_class, values) -> tuple[str, ...]:
    known = dict(choices_class.choices)
    return tuple(str(known.get(value, value)) for value in values or [])


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


@register.filter
def eur(money) -> str:
    """3.000,00 € – the one money format of the portal (programmes.rules.format_eur)."""
    return format_eur(money) if money is not None else ""


@register.simple_tag
def amount_range(programme) -> str:
    return _("%(min)s bis %(max)s") % {"min": format_eur(programme.min_amount), "max": format_eur(programme.max_amount)}


@register.simple_tag
def application_window(programme) -> str:
    return _("%(start)s bis %(end)s") % {"start": _day(programme.opens_on), "end": _day(programme.closes_on)}


@register.simple_tag
def formula_pot(programme) -> str:
    """The pot of a formula programme this year, from its budget: "282.709,99 € (2026)"."""
    year = timezone.localdate().year
    budget = programme.budgets.filter(year=year).first()
    if budget is None:
        return _("für %(year)d noch nicht festgelegt") % {"year": year}
    return _("%(amount)s (%(year)d)") % {"amount": format_eur(budget.amount), "year": year}


def formula_rules(programme) -> list[Rule]:
    """How a formula programme (e.g. the Soforthilfe) shares its pot, instead of amount bounds."""
    rules = [
        Rule(_("Fördertopf je Jahr"), formula_pot(programme)),
        Rule(_("Verteilung"), _(
            "nach der Einwohnerzahl der antragstellenden Kommunen (bei einem Verbund die Summe seiner "
            "Mitgliedskommunen), auf den Cent genau")),
    ]
    if programme.population_reference_date:
        rules.append(Rule(_("Stichtag der Einwohnerzahlen"), _day(programme.population_reference_date)))
    if programme.min_post_fte is not None:
        rules.append(Rule(_("Voraussetzung"), _(
            "eine geförderte Stelle mit mindestens %(fte)s Vollzeitäquivalenten (VZÄ)") % {
            "fte": number_format(programme.min_post_fte, decimal_pos=2)}))
    if programme.allocation_min_share is not None:
        rules.append(Rule(_("Mindestanteil"), _(
            "%(amount)s; wer rechnerisch weniger erhielte, scheidet aus") % {
            "amount": format_eur(programme.allocation_min_share)}))
    if programme.allocation_cap is not None:
        rules.append(Rule(_("Höchstbetrag je Antragsteller"), format_eur(programme.allocation_cap)))
    rules.append(Rule(_("Anteile nicht förderfähiger Antragsteller"),
                      str(dict(RemainderUse.choices).get(programme.remainder_use, ""))))
    return rules


def committee_rules(programme) -> list[Rule]:
    """Share, 1:1 co-financing, the cap per municipality and year, and who decides: only what the programme sets."""
    rules = []
    if programme.max_funding_share is not None:
        rules.append(Rule(_("Förderanteil"), _("höchstens %(percent)s %% der zuwendungsfähigen Kosten") % {
            "percent": number_format(programme.max_funding_share * 100, decimal_pos=0)}))
    if programme.matching_funds_required:
        rules.append(Rule(_("Kofinanzierung"), _(
            "Die Kommune trägt mindestens so viel wie der Landkreis (1:1); der Nachweis (Gemeinderatsbeschluss "
            "oder Haushaltsstelle) gehört zum Antrag.")))
    if programme.cap_per_municipality_year is not None:
        rules.append(Rule(_("Obergrenze je Kommune und Kalenderjahr"), _(
            "%(cap)s, zusammengerechnet über alle Bewilligungen für dieselbe Kommune") % {
            "cap": format_eur(programme.cap_per_municipality_year)}))
    if programme.committee_decides_all:
        rules.append(Rule(_("Entscheidung"), _("Der %(committee)s des Landkreises beschließt über jeden Antrag.") % {
            "committee": committee_name(programme)}))
    elif programme.head_approval_limit is not None:
        rules.append(Rule(_("Entscheidung"), _(
            "bis %(staff)s die Sachbearbeitung, bis %(head)s die Amtsleitung, darüber der %(committee)s des "
            "Landkreises") % {"staff": format_eur(programme.staff_approval_limit),
                              "head": format_eur(programme.head_approval_limit),
                              "committee": committee_name(programme)}))
    return rules


def programme_rules(programme) -> list[Rule]:
    months = programme.settlement_deadline_months
    if programme.is_formula:
        amounts = formula_rules(programme)
        project = []
    else:
        amounts = [Rule(_("Förderbetrag je Antrag"), amount_range(programme))]
        project = [
            Rule(_("Gefördert werden"), items=_labels(ActivityType, programme.activity_types)),
            Rule(_("Handlungsfelder"), items=_labels(FundingField, programme.funding_fields)),
            Rule(_("Finanzierungsart"), str(dict(FinancingType.choices).get(programme.financing_type, ""))),
            *committee_rules(programme),
        ]
    return [
        *amounts,
        Rule(_("Antragsberechtigt"), items=_labels(ApplicantType, programme.eligible_applicant_types)),
        *project,
        Rule(_("Auszahlung"), str(dict(PayoutMode.choices).get(programme.payout_mode, ""))),
        Rule(
            _("Verwendungsnachweis"),
            ngettext(
                "%(form)s, spätestens %(months)d Monat nach Projektende",
                "%(form)s, spätestens %(months)d Monate nach Projektende",
                months,
            ) % {"form": dict(SettlementForm.choices).get(programme.settlement_form, ""), "months": months},
        ),
        Rule(_("Antragsfenster"), application_window(programme)),
    ]


@register.inclusion_tag("cms/includes/programme_rules.html")
def programme_rules_list(programme):
    return {"rules": programme_rules(programme)}


@register.inclusion_tag("cms/includes/programme_badge.html")
def programme_badge(programme, today=None):
    return {"is_open": programme.is_open(today or timezone.localdate())}
