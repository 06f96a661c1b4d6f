"""Zuwendungsbescheid: the approval letter with purpose, period, amount, cost plan, conditions and remedies."""

from django.utils.translation import gettext as _
from reportlab.platypus import KeepTogether, Spacer

from programmes import rules as programme_rules
from programmes.choices import FinancingType, PayoutMode

from ..models import DocumentKind
from . import committee, formula
from .blocks import (
    day_of,
    eur,
    facts_table,
    fmt_date,
    heading,
    legal_remedies,
    letter,
    money_table,
    para,
    signature,
    subject_lines,
)
from .layout import format_iban


def _financing_note(financing_type: str) -> str:
    # Worded per financing type (a programme setting), never per programme.
    notes = {
        FinancingType.FIXED: _(
            "Die Zuwendung wird als Festbetrag gewährt. Einsparungen mindern sie nicht, solange die "
            "zuwendungsfähigen Ausgaben den Festbetrag nicht unterschreiten; liegen sie darunter, ist der "
            "Unterschied zu erstatten."
        ),
        FinancingType.SHARE: _(
            "Die Zuwendung wird als Anteil der zuwendungsfähigen Ausgaben gewährt. Sie wird nach Prüfung des "
            "Verwendungsnachweises anhand der tatsächlichen Ausgaben neu berechnet; zu viel gezahlte Beträge "
            "sind zu erstatten."
        ),
        FinancingType.DEFICIT: _(
            "Die Zuwendung deckt den Fehlbedarf, der nach Einsatz der Eigen- und Drittmittel verbleibt. "
            "Einsparungen und Mehreinnahmen mindern die Zuwendung in voller Höhe."
        ),
    }
    return notes.get(financing_type, "")


def _granted(application):
    """The amount this letter grants: a formula grant's from its run, so a later increase is not in it."""
    if formula.decided_by_run(application):
        return formula.first_run_amount(application)
    return application.approved_amount


def _decision(application) -> list:
    programme = application.terms
    facts = [
        (_("Zuwendungsempfängerin"), application.organisation.name, False),
        (_("Finanzierungsart"), programme.get_financing_type_display(), False),
        (_("Bewilligungszeitraum"), _("%(start)s bis %(end)s") % {
            "start": fmt_date(application.planned_start), "end": fmt_date(application.planned_end)}, False),
        (_("Bewilligter Betrag"), eur(_granted(application)), True),
    ]
    if application.cofinancing_municipality_id:
        facts.insert(1, (_("Kofinanzierende Kommune"), application.cofinancing_municipality.name, False))
    split = committee.year_split_text(application, application.approved_amount)
    if split:
        facts.append((_("davon je Kalenderjahr"), split, False))
    return [
        heading(_("1. Bewilligung")),
        *committee.committee_paragraphs(application, approved=True),
        para(_("Für das unten bezeichnete Vorhaben wird Ihnen aus dem Förderprogramm „%(programme)s“ eine "
               "Zuwendung in Höhe von %(amount)s bewilligt.") % {
            "programme": programme.name, "amount": eur(_granted(application))}),
        facts_table(facts),
    ]


def _purpose(application) -> list:
    items = [
        heading(_("2. Zuwendungszweck")),
        para(_("Die Zuwendung ist ausschließlich für folgendes Vorhaben zu verwenden:")),
        para(application.title, "subject"),
    ]
    if application.summary:
        items.append(para(application.summary))
    details = []
    if application.activity_type:
        details.append(_("Art der Maßnahme: %(type)s") % {"type": application.get_activity_type_display()})
    if application.place_id:
        details.append(_("Ort: %(place)s") % {"place": application.place.name})
    if details:
        items.append(para(" · ".join(details)))
    return items


def _period_and_financing(application) -> list:
    programme = application.terms
    return [
        heading(_("3. Bewilligungszeitraum")),
        para(_("Der Bewilligungszeitraum beginnt am %(start)s und endet am %(end)s. Ausgaben außerhalb dieses "
               "Zeitraums sind nicht zuwendungsfähig.") % {
            "start": fmt_date(application.planned_start), "end": fmt_date(application.planned_end)}),
        heading(_("4. Finanzierungsart und Höhe der Zuwendung")),
        para(_("Finanzierungsart: %(type)s. Höhe der Zuwendung: %(amount)s.") % {
            "type": programme.get_financing_type_display(), "amount": eur(_granted(application))}),
        # A share with a maximum (e.g. 50 %) is stated with its ceiling and the recomputation at settlement.
        *(committee.share_paragraphs(application, _granted(application)) if committee.is_capped_share(programme)
          else [para(_financing_note(programme.financing_type))]),
    ]


def _cost_plan(application) -> list:
    rows = [(line.description, eur(line.amount), False) for line in application.cost_lines.all()]
    rows += [
        (_("Zuwendungsfähige Gesamtausgaben"), eur(application.total_costs), True),
        (_("abzüglich Eigenmittel"), eur(application.own_funds), False),
        (_("abzüglich Drittmittel"), eur(application.third_party_funds), False),
        (_("Beantragte Zuwendung"), eur(application.requested_amount), False),
        (_("Bewilligte Zuwendung"), eur(application.approved_amount), True),
    ]
    # Together where it fits; a long plan still splits, repeating its header row.
    return [KeepTogether([
        heading(_("5. Zuwendungsfähige Ausgaben (Finanzierungsplan)")),
        para(_("Der folgende Finanzierungsplan ist verbindlich und Bestandteil dieses Bescheids:")),
        money_table(rows, header=(_("Ausgabenposition"), _("Betrag"))),
        Spacer(1, 4),
    ])]


def _payout(application) -> list:
    organisation = application.organisation
    if application.terms.payout_mode == PayoutMode.FULL_ON_APPROVAL:
        text = _("Die Zuwendung wird nach Bekanntgabe dieses Bescheids in einer Summe auf das Konto der "
                 "Zuwendungsempfängerin ausgezahlt:")
    else:
        text = _("Die Zuwendung wird auf Anforderung (Mittelabruf) ausgezahlt. Sie darf nur insoweit und nicht "
                 "eher angefordert werden, als sie alsbald nach der Auszahlung für fällige Zahlungen benötigt "
                 "wird (Nr. 1.4 ANBest-P). Auszahlungskonto:")
    account = [
        (_("Kontoinhaber:in"), organisation.account_holder, False),
        (_("IBAN"), format_iban(organisation.iban), False),
    ]
    if organisation.bic:
        account.append((_("BIC"), organisation.bic, False))
    return [KeepTogether([heading(_("6. Auszahlung")), para(text), facts_table(account)])]


def _conditions(application) -> list:
    programme = application.programme
    due = (programme_rules.settlement_due_on(programme, application.planned_end)
           if application.planned_end else None)
    items = [
        heading(_("7. Nebenbestimmungen")),
        para(_("Die Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung (ANBest-P) gelten "
               "entsprechend und sind Bestandteil dieses Bescheids, soweit hier nichts Abweichendes bestimmt ist.")),
        para(_("Verwendungsnachweis: Die Verwendung der Zuwendung ist bis zum %(due)s nachzuweisen. Form: "
               "%(form)s. Der Nachweis wird im Förderportal eingereicht.") % {
            "due": fmt_date(due), "form": programme.get_settlement_form_display()}),
        para(_("Belege und Verträge sind fünf Jahre nach Vorlage des Verwendungsnachweises aufzubewahren und auf "
               "Verlangen vorzulegen.")),
        *committee.condition_paragraphs(application),
    ]
    if application.early_start_requested:
        items.append(para(_("Vorzeitiger Maßnahmebeginn: Sie haben den vorzeitigen Beginn der Maßnahme beantragt. "
                            "Ausgaben ab dem geplanten Beginn am %(start)s sind im Rahmen dieses Bescheids "
                            "zuwendungsfähig.") % {"start": fmt_date(application.planned_start)}))
        if application.early_start_reason:
            items.append(para(_("Ihre Begründung: %(reason)s") % {"reason": application.early_start_reason}))
    return items


def _revocation() -> list:
    return [
        heading(_("8. Widerrufsvorbehalt")),
        para(_("Dieser Bescheid ergeht unter dem Vorbehalt des Widerrufs. Er kann nach § 49 VwVfG ganz oder "
               "teilweise, auch mit Wirkung für die Vergangenheit, widerrufen werden, insbesondere wenn die "
               "Zuwendung nicht, nicht rechtzeitig oder nicht mehr für den bestimmten Zweck verwendet wird oder "
               "Nebenbestimmungen nicht erfüllt werden. Bereits ausgezahlte Beträge sind dann nach § 49a VwVfG "
               "zu erstatten und vom Eintritt der Unwirksamkeit an mit fünf Prozentpunkten über dem "
               "Basiszinssatz jährlich zu verzinsen.")),
    ]


def build(application) -> bytes:
    title = str(DocumentKind.APPROVAL.label)
    body = [
        *subject_lines(title, application),
        para(_("Sehr geehrte Damen und Herren,")),
        para(_("auf Ihren Antrag vom %(date)s ergeht folgender Bescheid:") % {
            "date": fmt_date(application.submitted_at)}),
        *_decision(application),
        *_purpose(application),
        *_period_and_financing(application),
        # A formula grant has no cost plan: its amount follows from the run, shown with the applicant's figures.
        *(formula.approval_block(application, 5) if formula.decided_by_run(application) else _cost_plan(application)),
        *_payout(application),
        *_conditions(application),
        *_revocation(),
        *legal_remedies(),
        *signature(application.decided_by),
    ]
    return letter(application=application, title=title, letter_date=day_of(application.decided_at), body=body)
