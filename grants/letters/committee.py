"""Letter passages for committee decisions and co-financed share financing (e.g. Integrationslotsen).

Worded from the decision records (the AgendaItem with its outcome, the deciding body of the decisive event) and
the programme settings (share, 1:1 co-financing), never per programme.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from programmes.choices import DecidingBody, FinancingType

from .. import rules as grant_rules
from ..models import AgendaItem
from .blocks import eur, fmt_date, para

DECISION_ACTIONS = ("approve", "approve_by_committee", "reject", "reject_by_committee")
Outcome = AgendaItem.Outcome


def committee_item(application) -> AgendaItem | None:
    """The agenda item on which the committee decided (approved or rejected, not deferred), if any."""
    return (application.agenda_items.filter(outcome__in=[Outcome.APPROVED, Outcome.APPROVED_CHANGED,
                                                         Outcome.REJECTED])
            .select_related("meeting").order_by("-meeting__date", "-pk").first())


def _decisive_event(application):
    return application.events.filter(action__in=DECISION_ACTIONS).order_by("created_at", "pk").last()


def decided_by_committee(application) -> bool:
    event = _decisive_event(application)
    if event is not None and event.deciding_body == DecidingBody.COMMITTEE:
        return True
    return committee_item(application) is not None


def committee_paragraphs(application, *, approved: bool) -> list:
    """"Der Sozialausschuss des Landkreises hat in seiner Sitzung am … (TOP n) beschlossen …"; [] for staff."""
    if not decided_by_committee(application):
        return []
    item = committee_item(application)
    if item is None:  # a committee decision recorded without an agenda item: name it as the event does
        event = _decisive_event(application)
        return [para(_("Dieser Bescheid beruht auf einem Beschluss des Ausschusses des Landkreises (%(note)s).")
                     % {"note": event.note if event else ""})]
    values = {"committee": item.meeting.committee, "date": fmt_date(item.meeting.date), "position": item.position,
              "amount": eur(item.decided_amount)}
    if approved:
        text = _("Der %(committee)s des Landkreises hat in seiner Sitzung am %(date)s (TOP %(position)s) "
                 "beschlossen, Ihnen eine Zuwendung von %(amount)s zu bewilligen.") % values
    else:
        text = _("Der %(committee)s des Landkreises hat in seiner Sitzung am %(date)s (TOP %(position)s) "
                 "beschlossen, Ihren Antrag abzulehnen.") % values
    items = [para(text)]
    if approved and item.outcome == Outcome.APPROVED_CHANGED and item.decision_note:
        items.append(para(_("Abweichend vom Antrag: %(note)s") % {"note": item.decision_note}))
    return items


def _percent(share) -> str:
    return number_format(share * 100, decimal_pos=0)


def is_capped_share(programme) -> bool:
    return programme.financing_type == FinancingType.SHARE and programme.max_funding_share is not None


def share_paragraphs(application, granted) -> list:
    """Share financing with a maximum share: the share, the ceiling, and the recomputation at settlement."""
    programme = application.terms
    percent = _percent(programme.max_funding_share)
    return [
        para(_("Die Zuwendung wird als Anteilfinanzierung gewährt: höchstens %(percent)s %% der zuwendungsfähigen "
               "Ausgaben, höchstens %(amount)s.") % {"percent": percent, "amount": eur(granted)}),
        para(_("Die Zuwendung wird nach Prüfung des Verwendungsnachweises aus den tatsächlichen zuwendungsfähigen "
               "Ausgaben neu berechnet (%(percent)s %% davon, höchstens der bewilligte Betrag). Zu viel gezahlte "
               "Beträge sind zu erstatten.") % {"percent": percent}),
    ]


def year_split_text(application, granted) -> str:
    """The granted amount per calendar year as the plan says ("2026: 6.000,00 €; 2027: 4.000,00 €"), or ""."""
    if granted is None or not application.year_amounts.exists():
        return ""
    by_year = grant_rules.amounts_by_year(application, granted)
    return "; ".join(f"{year}: {eur(amount)}" for year, amount in sorted(by_year.items()))


def condition_paragraphs(application) -> list:
    """The municipal contribution as a condition (1:1 co-financing), and the conditions of the assessment."""
    programme, items = application.terms, []
    if programme.matching_funds_required:
        municipality = application.cofinancing_municipality
        items.append(para(_(
            "Bedingung: Die Kommune %(municipality)s trägt einen Eigenanteil (Kofinanzierung) von %(own)s. Die "
            "Zuwendung des Landkreises ist höchstens so hoch wie dieser Eigenanteil; wird er nicht in voller Höhe "
            "erbracht, wird die Zuwendung entsprechend gekürzt.") % {
            "municipality": municipality.name if municipality else "–", "own": eur(application.own_funds)}))
    if programme.cap_per_municipality_year is not None:
        items.append(para(_("Die Zuwendungen an eine Kommune aus diesem Förderprogramm betragen höchstens %(cap)s je "
                            "Kalenderjahr.") % {"cap": eur(programme.cap_per_municipality_year)}))
    assessment = getattr(application, "assessment", None)
    if assessment is not None and assessment.conditions.strip():
        items.append(para(_("Besondere Nebenbestimmungen: %(conditions)s") % {
            "conditions": assessment.conditions.strip()}))
    return items
