"""The programme rules: bounds, window, deadlines and refund arithmetic, exact to the cent."""

import calendar
from datetime import date
from decimal import Decimal

import pytest
from djmoney.money import Money
from hypothesis import given
from hypothesis import strategies as st

from programmes import rules
from programmes.choices import ApplicantType, FinancingType
from programmes.models import Programme


def eur(amount) -> Money:
    return Money(Decimal(amount), "EUR")


def programme(**kwargs) -> Programme:
    """An unsaved programme: the rules read fields only."""
    values = {
        "min_amount": eur("200.00"), "max_amount": eur("3000.00"), "financing_type": FinancingType.FIXED,
        "settlement_deadline_months": 3, "opens_on": date(2026, 1, 1), "closes_on": date(2026, 6, 30),
        "eligible_applicant_types": [ApplicantType.ASSOCIATION, ApplicantType.MUNICIPALITY],
    }
    return Programme(**{**values, **kwargs})


cents = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("99999999.99"), places=2,
                    allow_nan=False, allow_infinity=False)


# -- money format and bounds ---------------------------------------------------------------------
@pytest.mark.parametrize(("amount", "text"), [
    ("3000", "3.000,00 €"), ("0.5", "0,50 €"), ("199.99", "199,99 €"), ("1234567.89", "1.234.567,89 €"),
])
def test_euros_are_written_the_german_way(amount, text):
    assert rules.format_eur(eur(amount)) == text


@pytest.mark.parametrize(("amount", "error"), [
    ("199.99", "Der beantragte Betrag von 199,99 € liegt unter dem Mindestbetrag von 200,00 €."),
    ("200.00", None),
    ("3000.00", None),
    ("3000.01", "Der beantragte Betrag von 3.000,01 € liegt über dem Höchstbetrag von 3.000,00 €."),
])
def test_bounds_are_inclusive(amount, error):
    assert rules.amount_error(programme(), eur(amount)) == error


@pytest.mark.parametrize(("day", "is_open"), [
    (date(2025, 12, 31), False), (date(2026, 1, 1), True), (date(2026, 6, 30), True), (date(2026, 7, 1), False),
])
def test_the_window_includes_its_first_and_last_day(day, is_open):
    error = rules.window_error(programme(), day)
    assert (error is None) == is_open
    if error:
        assert error == "Das Antragsfenster ist geschlossen (offen vom 01.01.2026 bis 30.06.2026)."


def test_applicant_types_come_from_the_programme():
    assert rules.applicant_type_error(programme(), ApplicantType.ASSOCIATION) is None
    assert "Antragsberechtigten" in rules.applicant_type_error(programme(), ApplicantType.LOCAL_NETWORK)


# -- settlement deadline -------------------------------------------------------------------------
@pytest.mark.parametrize(("end", "months", "due"), [
    (date(2026, 8, 31), 3, date(2026, 11, 30)),  # no 31 November: the last day of the month
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
    (date(2026, 11, 15), 3, date(2027, 2, 15)),  # across the year
    (date(2026, 12, 31), 12, date(2027, 12, 31)),
    (date(2026, 10, 31), 0, date(2026, 10, 31)),
    (date(2026, 1, 31), 25, date(2028, 2, 29)),
])
def test_settlement_due_on_counts_calendar_months(end, months, due):
    assert rules.settlement_due_on(programme(settlement_deadline_months=months), end) == due


@given(end=st.dates(min_value=date(2000, 1, 1), max_value=date(2200, 12, 31)), months=st.integers(0, 36))
def test_settlement_due_on_lands_in_the_right_month_never_later_in_it(end, months):
    due = rules.add_months(end, months)
    assert (due.year * 12 + due.month) - (end.year * 12 + end.month) == months
    assert due.day <= end.day
    assert due.day == min(end.day, calendar.monthrange(due.year, due.month)[1])  # clamped to the month's end


# -- refund arithmetic ---------------------------------------------------------------------------
@pytest.mark.parametrize(("granted", "eligible", "refund"), [
    ("1000.00", "800.00", "200.00"),
    ("1000.00", "999.99", "0.01"),
    ("1000.00", "1000.00", "0.00"),
    ("1000.00", "1500.00", "0.00"),  # savings above the fixed amount stay with the recipient
    ("3000.00", "0.00", "3000.00"),
    ("200.00", "0.01", "199.99"),
])
def test_fixed_amount_refund_is_the_part_not_covered_by_eligible_costs(granted, eligible, refund):
    result = rules.refund_for_settlement(programme(), granted=eur(granted), eligible_costs=eur(eligible))
    assert result == eur(refund)
    assert str(result.amount) == refund  # exactly two places, no float noise


@given(granted=cents, eligible=cents)
def test_fixed_amount_refund_plus_kept_is_the_grant(granted, eligible):
    refund = rules.refund_for_settlement(programme(), granted=eur(granted), eligible_costs=eur(eligible))
    kept = min(eur(granted), eur(eligible))
    assert refund + kept == eur(granted)
    assert eur("0.00") <= refund <= eur(granted)
    assert refund.amount.as_tuple().exponent == -2


@pytest.mark.parametrize(("financing", "eligible", "refund"), [
    (FinancingType.SHARE, "800.00", "100.00"),  # 50 % of 800 = 400 due, 500 granted
    (FinancingType.SHARE, "1200.00", "0.00"),  # the grant never grows
    (FinancingType.DEFICIT, "900.00", "100.00"),  # savings reduce the grant in full
    (FinancingType.DEFICIT, "400.00", "500.00"),  # but never more than the grant
])
def test_other_financing_types(financing, eligible, refund):
    result = rules.refund_for_settlement(
        programme(financing_type=financing), granted=eur("500.00"), eligible_costs=eur(eligible),
        total_planned=eur("1000.00"),
    )
    assert result == eur(refund)


@given(granted=cents, eligible=cents, planned=cents, financing=st.sampled_from(FinancingType.values))
def test_no_financing_type_reclaims_more_than_the_grant_or_less_than_nothing(granted, eligible, planned, financing):
    refund = rules.refund_for_settlement(
        programme(financing_type=financing), granted=eur(granted), eligible_costs=eur(eligible),
        total_planned=eur(planned),
    )
    assert eur("0.00") <= refund <= eur(granted)
    assert refund.amount == refund.amount.quantize(Decimal("0.01"))
