"""The checks every approval runs, whoever approves: staff, the head of unit, or the committee's resolution.

``review.application_approve`` and ``committee_decisions`` both call ``approval_errors`` under the locks of
``lock_for_approval``, so each rule sits in one place and no path skips one: the programme's bounds, the
co-financing share, the cap per period of the same applicant, the cap per municipality and calendar year, and
the budget. Each reads the programme's terms as the application was recommended under them
(``Application.terms``), so a later change of a limit never alters it. The caps sum approvals already made;
the locks (grants.locks order) make two approvals for the same applicant or the same municipality wait for
each other before either sums.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from djmoney.money import Money

from programmes import rules as programme_rules
from programmes.models import ProgrammeBudget

from .. import rules as grant_rules
from ..locks import lock_municipalities, lock_organisations
from ..models import Application


def lock_for_approval(applications: list[Application]) -> None:
    """Lock what the caps of these applications are summed over (after the applications, before the budgets)."""
    lock_organisations(a.organisation_id for a in applications if a.terms.cap_per_period is not None)
    lock_municipalities(a.cofinancing_municipality_id for a in applications
                        if a.terms.cap_per_municipality_year is not None)


def approval_errors(application: Application, amount: Money, *, budget: ProgrammeBudget | None, year: int,
                    pending: Decimal = Decimal("0.00"), decided: bool = False) -> list[str]:
    """Why ``amount`` cannot be approved for ``application`` now, one German sentence each; [] if it can.

    ``budget``: the locked budget of ``year`` the amount is committed to (None: none entered). ``pending``: what
    the same recording commits to that budget before this one (the earlier items of a committee's agenda).
    ``decided``: the amount is a decision's (the committee's), worded as such.
    """
    programme = application.terms  # the terms it was recommended under (programmes.terms), not later changes
    errors = [programme_rules.amount_error(programme, amount, decided=decided),
              grant_rules.cofinancing_error(application, amount),
              grant_rules.period_cap_error(application, amount)]
    errors = [error for error in errors if error] + grant_rules.year_cap_errors(application, amount)
    if budget is None:
        errors.append(_("Für %(year)s ist für %(programme)s kein Haushaltsansatz angelegt.") % {
            "year": year, "programme": programme.name})
    elif amount.amount > budget.remaining.amount - pending:
        errors.append(_("Die Bewilligung von %(amount)s übersteigt die verbleibenden Haushaltsmittel von "
                        "%(remaining)s.") % {
            "amount": programme_rules.format_eur(amount),
            "remaining": programme_rules.format_eur(Money(budget.remaining.amount - pending, "EUR"))})
    return errors
