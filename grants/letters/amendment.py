"""Änderungsbescheid: a follow-up allocation run raises an approved grant (``GrantIncrease``).

The letter changes the original Zuwendungsbescheid only in its amount: it names that letter (date, file
number), the increase and the new total, shows how the follow-up run computed the increase, says how it is
paid, keeps every other provision, and carries its own instructions on legal remedies (it is an
administrative act of its own).
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from djmoney.money import Money

from ..models import DocumentKind
from . import formula
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


def amounts(increase) -> tuple[Money, Money, Money]:
    """(granted before this increase, the increase, the new total), from the stored rows only.

    The application's approved amount already holds every increase raised so far, possibly later ones too if
    this letter is rendered late; the amount before is the original grant plus the increases raised earlier.
    """
    application = increase.application
    increases = list(application.increases.order_by("created_at", "pk"))
    original = application.approved_amount - sum((i.amount for i in increases), Money(Decimal(0), "EUR"))
    earlier = [i for i in increases if (i.created_at, i.pk) < (increase.created_at, increase.pk)]
    before = original + sum((i.amount for i in earlier), Money(Decimal(0), "EUR"))
    return before, increase.amount, before + increase.amount


def _change(increase, before: Money, new_total: Money) -> list:
    application = increase.application
    return [
        heading(_("1. Änderung der Zuwendung")),
        para(_("Der Zuwendungsbescheid vom %(date)s (Aktenzeichen %(number)s) wird wie folgt geändert: Die "
               "Zuwendung wird um %(increase)s auf insgesamt %(total)s erhöht.") % {
            "date": fmt_date(application.decided_at), "number": application.file_number,
            "increase": eur(increase.amount), "total": eur(new_total)}),
        money_table([
            (_("Bisher bewilligte Zuwendung"), eur(before), False),
            (_("Erhöhung durch diesen Bescheid"), eur(increase.amount), False),
            (_("Neue Gesamtzuwendung"), eur(new_total), True),
        ]),
    ]


def _reasons(increase) -> list:
    run, key = increase.allocation_run, increase.application.file_number
    output = run.outputs[key]
    intro = _("Nach dem Verteilungslauf „%(previous)s“ sind Mittel frei geworden (zum Beispiel durch einen "
              "Verzicht oder eine Erstattung). Der Verteilungslauf „%(title)s“ (Prüfsumme %(hash)s) verteilt "
              "%(total)s nach der Einwohnerzahl neu unter den Zuwendungsempfängern, die ihre Zuwendung noch "
              "halten. Auf Sie entfallen %(amount)s, das sind %(percent)s der neu verteilten Mittel.") % {
        "previous": run.follows.title if run.follows_id else "–", "title": run.title, "hash": run.hash_prefix,
        "total": formula.money_text(run.total), "amount": eur(increase.amount),
        "percent": formula.percent(Decimal(output["percent"]))}
    return formula.calculation(run, key, title=_("2. Begründung und Berechnung"), intro=intro)


def _payout(increase, new_total: Money) -> list:
    organisation = increase.application.organisation
    if increase.paid_with_grant:
        return [heading(_("3. Auszahlung")), para(_(
            "Die Zuwendung war bei der Erhöhung noch nicht ausgezahlt. Die Erhöhung wird zusammen mit der "
            "Zuwendung ausgezahlt; die Auszahlung umfasst den neuen Gesamtbetrag von %(total)s.") % {
            "total": eur(new_total)})]
    account = [(_("Kontoinhaber:in"), organisation.account_holder, False),
               (_("IBAN"), format_iban(organisation.iban), False)]
    if organisation.bic:
        account.append((_("BIC"), organisation.bic, False))
    return [
        heading(_("3. Auszahlung")),
        para(_("Die Zuwendung ist bereits ausgezahlt worden. Die Erhöhung von %(increase)s wird gesondert auf "
               "folgendes Konto ausgezahlt:") % {"increase": eur(increase.amount)}),
        facts_table(account),
    ]


def _other_provisions(application) -> list:
    return [
        heading(_("4. Übrige Bestimmungen")),
        para(_("Alle übrigen Bestimmungen des Zuwendungsbescheids vom %(date)s, insbesondere Zuwendungszweck, "
               "Bewilligungszeitraum, Finanzierungsart, Nebenbestimmungen, Verwendungsnachweis und "
               "Widerrufsvorbehalt, gelten unverändert fort. Die Erhöhung ist im Verwendungsnachweis mit "
               "nachzuweisen.") % {"date": fmt_date(application.decided_at)}),
    ]


def build(increase) -> bytes:
    application = increase.application
    before, _increase, new_total = amounts(increase)
    title = str(DocumentKind.AMENDMENT.label)
    body = [
        *subject_lines(title, application),
        para(_("Sehr geehrte Damen und Herren,")),
        para(_("mit Zuwendungsbescheid vom %(date)s (Aktenzeichen %(number)s) wurde Ihnen aus dem Förderprogramm "
               "„%(programme)s“ für das Vorhaben „%(title)s“ eine Zuwendung bewilligt. Hierzu ergeht folgender "
               "Änderungsbescheid:") % {
            "date": fmt_date(application.decided_at), "number": application.file_number,
            "programme": application.programme.name, "title": application.title}),
        *_change(increase, before, new_total),
        *_reasons(increase),
        *_payout(increase, new_total),
        *_other_provisions(application),
        *legal_remedies(),
        *signature(increase.created_by),
    ]
    return letter(application=application, title=title, letter_date=day_of(increase.created_at), body=body)
