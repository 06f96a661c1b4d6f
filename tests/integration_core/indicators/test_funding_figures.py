"""Funding figures reach the monitoring through the provider registry and equal the grant records."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Sum
from django.utils import timezone
from djmoney.money import Money

from grants.models import Application, PayoutItem, Refund, Settlement
from grants.services import payouts, settlements
from grants.states import State
from integration_core.indicators import providers
from integration_core.indicators.periods import Period
from integration_core.indicators.providers import Measure, collect, summarise
from tests.admin.conftest import walk
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    ProgrammeBudgetFactory,
    ProgrammeFactory,
    make_application,
)

BERLIN = ZoneInfo("Europe/Berlin")
SEAT = object()
pytestmark = pytest.mark.django_db


def _by(figures, measure):
    return {(f.municipality_id, f.programme_code, f.year): (f.amount, f.count) for f in figures if f.measure == measure}


@pytest.fixture
def towns(db):
    return MunicipalityFactory(name="Talhausen"), MunicipalityFactory(name="Bergheim")


@pytest.fixture
def grant(people, towns):
    """``grant(state, amount, seat=…, place=…)``: an application walked by the services to ``state``.

    Without ``place`` the project's place is the seat; ``place=None`` clears it afterwards (as with a
    formula programme, which asks for no place).
    """

    def make(target, amount, *, seat, place=SEAT, programme=None, spent="800.00"):
        programme = programme or ProgrammeFactory()
        application = make_application(
            amount=amount, member=people.applicant, programme=programme,
            organisation=OrganisationFactory(seat_municipality=seat), place=seat if place in (SEAT, None) else place,
        )
        ProgrammeBudgetFactory(programme=programme, amount=Money("100000.00", "EUR"))
        if target == State.CLOSED and Decimal(spent) >= Decimal(amount):
            # Fully spent: accepting the settlement closes it at once (walk expects a refund first).
            walk(application, State.SETTLEMENT_SUBMITTED, people, spent=spent)
            settlements.settlement_accept(user=people.staff, application_id=application.pk,
                                          eligible_costs=Money(spent, "EUR"))
            application.refresh_from_db()
        else:
            application = walk(application, target, people, spent=spent)
        if place is None:
            Application.objects.filter(pk=application.pk).update(place=None)
        return application

    return make


def test_the_grants_provider_is_registered_by_the_app():
    assert "grants" in providers.registered()
    from grants.figures import funding_figures

    assert providers.lookup("grants") is funding_figures


def test_registry_refuses_a_second_provider_under_a_taken_name():
    with pytest.raises(ValueError, match="already registered"):
        providers.register("grants", lambda **kwargs: [])
    with pytest.raises(LookupError):
        providers.lookup("nobody")


def test_municipality_is_the_place_or_else_the_seat(grant, towns):
    talhausen, bergheim = towns
    grant(State.APPROVED, "1000.00", seat=talhausen, place=bergheim)
    grant(State.APPROVED, "700.00", seat=talhausen, place=None)
    grant(State.APPROVED, "300.00", seat=bergheim, place=None)
    year = timezone.localdate().year
    approved = _by(collect(Period.year(year)), Measure.APPROVED)
    assert approved == {
        (bergheim.pk, "IMP", year): (Decimal("1300.00"), 2),
        (talhausen.pk, "IMP", year): (Decimal("700.00"), 1),
    }


def test_figures_equal_the_grant_records(grant, towns):
    talhausen, bergheim = towns
    lotsen = ProgrammeFactory(code="LOT", name="Integrationslotsen", max_amount=Money("25000.00", "EUR"),
                              staff_approval_limit=Money("25000.00", "EUR"))
    grant(State.APPROVED, "1000.00", seat=talhausen)  # approved, not paid
    grant(State.PAID, "2000.00", seat=talhausen)
    grant(State.CLOSED, "1500.00", seat=talhausen, spent="1500.00")  # settled without refund
    grant(State.REFUND_CLAIMED, "1200.00", seat=bergheim, spent="900.00")  # settled, 300 reclaimed
    grant(State.PAID, "5000.00", seat=bergheim, programme=lotsen)
    grant(State.IN_REVIEW, "999.00", seat=bergheim)  # not decided: counts nowhere
    period = Period.year(timezone.localdate().year)

    figures = collect(period)

    totals = summarise(figures, by=("measure",))
    approved = Application.objects.filter(state__in=[State.APPROVED, State.PAID, State.REFUND_CLAIMED,
                                                     State.SETTLEMENT_SUBMITTED, State.CLOSED])
    assert totals[(Measure.APPROVED,)].amount == approved.aggregate(s=Sum("approved_amount"))["s"]
    assert totals[(Measure.APPROVED,)].count == approved.count() == 5
    assert totals[(Measure.PAID,)].amount == PayoutItem.objects.aggregate(s=Sum("amount"))["s"] == Decimal("9700")
    # Recognised at the check: 1,500 (fully spent) + 900 (1,200 granted, 300 reclaimed) — not the 2,700 granted.
    checked = Settlement.objects.filter(checked_at__isnull=False).select_related("application")
    recognised = sum(s.application.approved_amount.amount - _refund(s.application) for s in checked)
    assert totals[(Measure.SETTLED,)].amount == recognised == Decimal("2400.00")
    assert totals[(Measure.SETTLED,)].count == checked.count() == 2
    assert totals[(Measure.REFUNDED,)].amount == Refund.objects.get().amount.amount == Decimal("300.00")
    per_programme = summarise(figures, by=("programme_code", "measure"))
    assert per_programme[("LOT", Measure.PAID)].amount == Decimal("5000.00")
    assert per_programme[("IMP", Measure.PAID)].amount == Decimal("4700.00")
    per_town = summarise(figures, by=("municipality_id", "measure"))
    assert per_town[(talhausen.pk, Measure.APPROVED)].amount == Decimal("4500.00")
    assert per_town[(bergheim.pk, Measure.PAID)].amount == Decimal("6200.00")


def _refund(application) -> Decimal:
    refund = Refund.objects.filter(application=application).first()
    return refund.amount.amount if refund else Decimal("0.00")


def test_settled_is_what_the_settlement_recognised(grant, towns):
    """Granted 1,200, costs of 900 recognised at the check, 300 reclaimed: 900 settled, 300 refunded."""
    talhausen, _bergheim = towns
    application = grant(State.REFUND_CLAIMED, "1200.00", seat=talhausen, spent="900.00")
    settlement, refund = Settlement.objects.get(application=application), Refund.objects.get(application=application)
    assert settlement.eligible_costs.amount == Decimal("900.00")
    figures = _by(collect(Period.year(timezone.localdate().year)), Measure.SETTLED)
    assert figures == {(talhausen.pk, "IMP", timezone.localdate().year): (
        application.approved_amount.amount - refund.amount.amount, 1)}
    assert figures[(talhausen.pk, "IMP", timezone.localdate().year)][0] == settlement.eligible_costs.amount


def test_only_the_measures_asked_for(grant, towns, django_assert_num_queries):
    grant(State.PAID, "1000.00", seat=towns[0])
    with django_assert_num_queries(1):
        figures = collect(Period.year(timezone.localdate().year), measures=(Measure.PAID,))
    assert {f.measure for f in figures} == {Measure.PAID}


def test_periods_follow_the_dates_of_decision_payout_and_check(grant, towns, people):
    talhausen, _bergheim = towns
    application = grant(State.APPROVED, "1000.00", seat=talhausen)
    Application.objects.filter(pk=application.pk).update(decided_at=datetime(2024, 6, 30, 23, 30, tzinfo=BERLIN))
    # Paid at that moment (an executed batch is not rewritten afterwards: PostgreSQL refuses it).
    with time_machine.travel(datetime(2024, 7, 1, 0, 15, tzinfo=BERLIN), tick=False):
        batch = payouts.payout_batch_create(user=people.finance, application_ids=[application.pk])
        payouts.payout_batch_execute(user=people.finance, batch_id=batch.pk)

    first, second = collect(Period.parse("2024-H1")), collect(Period.parse("2024-H2"))

    assert _by(first, Measure.APPROVED) == {(talhausen.pk, "IMP", 2024): (Decimal("1000.00"), 1)}
    assert _by(first, Measure.PAID) == {}
    assert _by(second, Measure.PAID) == {(talhausen.pk, "IMP", 2024): (Decimal("1000.00"), 1)}
    assert _by(second, Measure.APPROVED) == {}
    both = collect(Period(date(2023, 1, 1), date(2024, 12, 31)))
    assert {f.measure for f in both} == {Measure.APPROVED, Measure.PAID}


def test_open_batches_and_declined_grants_do_not_count(grant, towns, people):
    from grants.services import payouts

    talhausen, _bergheim = towns
    application = grant(State.APPROVED, "800.00", seat=talhausen)
    payouts.payout_batch_create(user=people.finance, application_ids=[application.pk])  # not executed
    Application.objects.filter(pk=application.pk)  # still approved
    figures = collect(Period.year(timezone.localdate().year))
    assert _by(figures, Measure.PAID) == {}
    Application.objects.filter(pk=application.pk).update(state=State.WITHDRAWN)  # declined (Verzicht)
    assert _by(collect(Period.year(timezone.localdate().year)), Measure.APPROVED) == {}


def test_filter_by_municipality_and_full_refund(grant, towns, people):
    talhausen, bergheim = towns
    grant(State.PAID, "1000.00", seat=talhausen)
    lost = grant(State.PAID, "600.00", seat=bergheim)
    settlements.refund_claim_full(user=people.staff, application_id=lost.pk, reason="Projekt fand nicht statt")
    figures = collect(Period.year(timezone.localdate().year), municipality_ids=[bergheim.pk])
    assert {f.municipality_id for f in figures} == {bergheim.pk}
    assert _by(figures, Measure.REFUNDED) == {(bergheim.pk, "IMP", timezone.localdate().year): (Decimal("600.00"), 1)}


def test_constant_number_of_queries(grant, towns, django_assert_num_queries):
    talhausen, bergheim = towns
    for seat in (talhausen, bergheim, talhausen):
        grant(State.CLOSED, "1000.00", seat=seat, spent="1000.00")
    with django_assert_num_queries(4):
        collect(Period.year(timezone.localdate().year))
