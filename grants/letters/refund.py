"""Rückforderungsbescheid: revocation and refund claim with amount, due date, transfer details and interest."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from programmes.interest import MARGIN
from programmes.models import BaseRate

from ..models import DocumentKind, Refund
from .blocks import (
    day_of,
    district_account_lines,
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


def _eligible_costs(application):
    try:
        return application.settlement.eligible_costs
    except ObjectDoesNotExist:  # a full refund (purpose failed) may come without a settlement
        return None


def _grounds(application, refund: Refund, eligible) -> list:
    if refund.reason == Refund.Reason.PURPOSE_FAILED:
        finding = _("Der Zuwendungszweck wurde nicht erreicht. Die Zuwendung ist deshalb vollständig zu erstatten.")
    else:
        finding = _("Nach Prüfung Ihres Verwendungsnachweises wurden zuwendungsfähige Ausgaben von %(eligible)s "
                    "anerkannt. Der Teil der Zuwendung, der danach nicht für den Zuwendungszweck benötigt wurde, "
                    "ist zu erstatten.") % {"eligible": eur(eligible)}
    items = [
        heading(_("1. Widerruf und Erstattung")),
        para(finding),
        para(_("Der Zuwendungsbescheid vom %(date)s wird daher nach § 49 Abs. 3 VwVfG in Höhe von %(amount)s mit "
               "Wirkung für die Vergangenheit widerrufen. Der Betrag ist nach § 49a Abs. 1 VwVfG zu erstatten.") % {
            "date": fmt_date(application.decided_at), "amount": eur(refund.amount)}),
    ]
    if refund.explanation:
        items += [heading(_("Begründung")), para(refund.explanation)]
    rows = [(_("Bewilligte Zuwendung"), eur(application.approved_amount), False)]
    if eligible is not None:
        rows.append((_("Anerkannte zuwendungsfähige Ausgaben"), eur(eligible), False))
    rows += [
        (_("Zu erstattender Betrag"), eur(refund.amount), True),
        (_("Fällig am"), fmt_date(refund.due_on), False),
    ]
    items.append(money_table(rows))
    return items


def _payment(application, refund: Refund) -> list:
    account = [(label, value, False) for label, value in district_account_lines(application.file_number or "")]
    return [
        heading(_("2. Zahlung")),
        para(_("Bitte überweisen Sie %(amount)s bis zum %(due)s auf folgendes Konto. Geben Sie als "
               "Verwendungszweck das Aktenzeichen an, damit wir Ihre Zahlung zuordnen können.") % {
            "amount": eur(refund.amount), "due": fmt_date(refund.due_on)}),
        facts_table(account),
        heading(_("3. Zinsen")),
        *_interest(refund),
    ]


def _current_base_rate(day):
    return BaseRate.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def _interest(refund: Refund) -> list:
    """§ 49a Abs. 3 VwVfG: interest from the date staff set, or the waiver with its reason, or the general note."""
    if refund.interest_waived:
        return [para(_("Von der Erhebung von Zinsen nach § 49a Abs. 3 VwVfG wird abgesehen. Begründung: "
                       "%(reason)s") % {"reason": refund.interest_waiver_reason})]
    if refund.interest_from is None:
        return [para(_("Der Erstattungsbetrag ist nach § 49a Abs. 3 VwVfG vom Eintritt der Unwirksamkeit des "
                       "Zuwendungsbescheids an mit fünf Prozentpunkten über dem Basiszinssatz jährlich zu verzinsen. "
                       "Über die Zinsen ergeht gegebenenfalls ein gesonderter Bescheid. Von der Zinsforderung kann "
                       "abgesehen werden, wenn Sie die Umstände, die zur Rückforderung geführt haben, nicht zu "
                       "vertreten haben und den Betrag fristgerecht zahlen."))]
    items = [para(_("Der Erstattungsbetrag ist nach § 49a Abs. 3 VwVfG vom %(start)s an mit fünf Prozentpunkten über "
                    "dem Basiszinssatz jährlich zu verzinsen, bis zum Tag vor dem Eingang Ihrer Zahlung. Die Zinsen "
                    "werden nach Zahlungseingang berechnet und gesondert angefordert.") % {
        "start": fmt_date(refund.interest_from)})]
    rate = _current_base_rate(day_of(refund.claimed_at))
    if rate is not None:
        items.append(para(_("Der Basiszinssatz beträgt seit dem %(valid_from)s %(rate)s %%; der Zinssatz beträgt "
                            "damit %(total)s %% jährlich. Ändert sich der Basiszinssatz, gilt ab der Änderung der "
                            "neue Satz.") % {
            "valid_from": fmt_date(rate.valid_from), "rate": number_format(rate.rate, decimal_pos=2),
            "total": number_format(rate.rate + MARGIN, decimal_pos=2)}))
    return items


def build(application) -> bytes:
    refund = application.refund
    title = str(DocumentKind.REFUND_NOTICE.label)
    body = [
        *subject_lines(title, application),
        para(_("Sehr geehrte Damen und Herren,")),
        para(_("mit Bescheid vom %(date)s wurde Ihnen für das Vorhaben „%(title)s“ eine Zuwendung von %(amount)s "
               "bewilligt.") % {"date": fmt_date(application.decided_at), "title": application.title,
                                "amount": eur(application.approved_amount)}),
        *_grounds(application, refund, _eligible_costs(application)),
        *_payment(application, refund),
        *legal_remedies(),
        *signature(refund.claimed_by),
    ]
    return letter(application=application, title=title, letter_date=day_of(refund.claimed_at), body=body)
