"""§ 49a interest on refunds (base-rate table, waiver with reason) and the share-financing settlement."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grants.models import ApplicationEvent, Refund
from grants.services import settlements
from grants.services.interest import refund_set_interest
from programmes import rules
from programmes.interest import interest, stretches
from programmes.models import BaseRate
from tests.factories import ProgrammeFactory
from tests.grants.journey import application_in, make_cast

from .builder import eur

TABLE = [(date(2026, 1, 1), Decimal("2.27")), (date(2026, 7, 1), Decimal("1.27")), (date(2025, 7, 1),
                                                                                      Decimal("-0.88"))]


def test_interest_is_charged_per_stretch_of_the_base_rate_and_rounded_once():
    # 10,000 € × 7.27 % × 122/365 = 242.9973 … plus 10,000 € × 6.27 % × 62/365 = 106.5041 … = 349.50 €
    assert interest(Decimal("10000.00"), date(2026, 3, 1), date(2026, 9, 1), TABLE) == Decimal("349.50")
    parts = stretches(date(2026, 3, 1), date(2026, 9, 1), TABLE)
    assert [(s.days, s.rate) for s in parts] == [(122, Decimal("7.27")), (62, Decimal("6.27"))]


def test_a_negative_base_rate_still_gives_five_points_above_it():
    # 1,000 € × 4.12 % × 30/365 = 3.3863 … → 3.39 €
    assert interest(Decimal("1000.00"), date(2025, 8, 1), date(2025, 8, 31), TABLE) == Decimal("3.39")


def test_no_interest_for_no_days_and_a_missing_rate_is_named():
    assert interest(Decimal("1000.00"), date(2026, 3, 1), date(2026, 3, 1), TABLE) == Decimal("0.00")
    with pytest.raises(ValueError, match=r"01\.01\.2020"):
        interest(Decimal("1000.00"), date(2020, 1, 1), date(2020, 2, 1), TABLE)


@pytest.mark.django_db
def test_staff_set_interest_and_the_receipt_records_it():
    BaseRate.objects.bulk_create(BaseRate(valid_from=d, rate=r) for d, r in TABLE)
    cast = make_cast()
    app = application_in("refund_claimed", cast)
    refund = Refund.objects.get(application=app)
    with pytest.raises(ValidationError):  # a waiver needs its reason
        refund_set_interest(user=cast.recommender, application_id=app.pk, interest_from=None, waived=True)
    paid_on = timezone.localdate(app.paid_at)
    refund_set_interest(user=cast.recommender, application_id=app.pk, interest_from=paid_on)
    received_on = paid_on + timedelta(days=30)
    settlements.refund_record_received(user=cast.cashier, application_id=app.pk, received_on=received_on)
    refund.refresh_from_db()
    expected = interest(refund.amount.amount, paid_on, refund.received_on, TABLE)
    assert refund.interest.amount == expected
    assert expected > 0
    assert "Zinsen nach § 49a" in ApplicationEvent.objects.get(application=app, action="record_refund_received").note


@pytest.mark.django_db
def test_a_waiver_with_reason_means_no_interest():
    BaseRate.objects.bulk_create(BaseRate(valid_from=d, rate=r) for d, r in TABLE)
    cast = make_cast()
    app = application_in("refund_claimed", cast)
    refund_set_interest(user=cast.recommender, application_id=app.pk, interest_from=None, waived=True,
                        waiver_reason="Nicht zu vertreten, fristgerecht erstattet.")
    settlements.refund_record_received(user=cast.cashier, application_id=app.pk)
    refund = Refund.objects.get(application=app)
    assert refund.interest is None
    assert refund.interest_waiver_reason == "Nicht zu vertreten, fristgerecht erstattet."


@pytest.mark.parametrize(("eligible", "refund"), [
    ("16000.00", "2000.00"),  # half of 16,000 is 8,000: 2,000 of the 10,000 granted come back
    ("20000.00", "0.00"),
    ("30000.00", "0.00"),  # more costs never raise the grant above what was approved
    ("15999.99", "2000.00"),  # half is 7,999.995, rounded half up to 8,000.00
])
def test_share_financing_is_recomputed_from_the_actual_costs(eligible, refund):
    programme = ProgrammeFactory.build(financing_type="share", max_funding_share=Decimal("0.50"))
    assert rules.refund_for_settlement(programme, granted=eur("10000.00"), eligible_costs=eur(eligible),
                                       total_planned=eur("20000.00")) == eur(refund)
