"""seed_demo's past years of Integrationsimpulse: the monitoring has figures, and every date fits the state machine."""

from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.models import Max, Min
from django.utils import timezone

from grants.figures import funding_figures
from grants.models import Application, ApplicationEvent, Document, PayoutBatch, Refund, Settlement
from grants.states import State
from integration_core.indicators.periods import Period
from integration_core.indicators.providers import Measure
from integration_core.indicators.views import DashboardForm
from programmes.models import Programme

pytestmark = pytest.mark.django_db


def _paid(period: Period, municipality=None) -> Decimal:
    return sum((f.amount for f in funding_figures(period=period, municipality_ids=municipality and [municipality.pk])
                if f.measure == Measure.PAID), Decimal("0"))


def test_seed_demo_has_years_of_paid_funding_with_coherent_dates():
    call_command("seed_demo")  # once for both parts: seeding is the slow bit
    today, now = timezone.localdate(), timezone.now()
    _monitoring_has_figures(today)
    _history_fits_the_state_machine(today, now)


def _monitoring_has_figures(today):
    paid_years = [year for year in range(today.year - 4, today.year + 1) if _paid(Period.year(year)) > 0]
    assert len(paid_years) >= 3
    # What admin → Monitoring opens on: the first municipality and the last finished half-year.
    municipality, period = DashboardForm(today=today).selection()
    assert period.end < today
    assert _paid(period) > 0
    assert _paid(period, municipality) > 0
    settled = [f for f in funding_figures(period=Period(Period.year(today.year - 4).start, today))
               if f.measure in (Measure.SETTLED, Measure.REFUNDED)]
    assert {f.measure for f in settled} == {Measure.SETTLED, Measure.REFUNDED}


def _history_fits_the_state_machine(today, now):
    programme = Programme.objects.get(code="IMP")
    assert programme.is_open(today)
    # Handed in more than 200 days ago: every step (the refund comes 148 days after submission) is over.
    past = programme.applications.filter(submitted_at__date__lt=today - timedelta(days=200))
    assert past.count() >= 24
    assert not past.exclude(state__in=[State.CLOSED, State.REJECTED]).exists()
    assert past.filter(refund__received_on__isnull=False).exists()  # some settled with a refund

    for model, field in [(ApplicationEvent, "created_at"), (Application, "submitted_at"), (Application, "decided_at"),
                         (Application, "paid_at"), (PayoutBatch, "executed_at"), (Settlement, "checked_at"),
                         (Refund, "claimed_at"), (Document, "created_at")]:
        assert not model.objects.filter(**{f"{field}__gt": now}).exists(), (model, field)

    for application in programme.applications.filter(paid_at__isnull=False).select_related("programme"):
        assert application.submitted_at < application.decided_at < application.paid_at
        assert application.budget_year == timezone.localtime(application.decided_at).year
        assert application.file_number.split("-")[2] == str(timezone.localtime(application.submitted_at).year)
        assert application.settlement_due_on > application.planned_end
        if application.state == State.PAID:
            assert application.settlement_due_on >= today  # nothing of the history is overdue
        # The event rows in the order they were written are also in the order of their dates.
        events = list(application.events.order_by("pk").values_list("created_at", flat=True))
        assert events == sorted(events)
        payout = application.events.get(action="record_payout").created_at
        assert timezone.localdate(payout) == timezone.localdate(application.paid_at)
    for settlement in Settlement.objects.filter(checked_at__isnull=False).select_related("application"):
        assert timezone.localdate(settlement.checked_at) > settlement.application.planned_end
        assert settlement.submitted_at < settlement.checked_at
    for refund in Refund.objects.filter(received_on__isnull=False):
        assert timezone.localdate(refund.claimed_at) <= refund.received_on <= refund.due_on
    for batch in PayoutBatch.objects.filter(status=PayoutBatch.Status.EXECUTED):
        assert timezone.localdate(batch.executed_at) == batch.execution_date
        assert batch.number.startswith(f"ZL-{batch.execution_date.year}-")
        decided = batch.items.aggregate(first=Min("application__decided_at"), last=Max("application__decided_at"))
        assert decided["last"] < batch.executed_at
    # The letters carry the decision's date as their creation date too.
    approval = Document.objects.filter(kind="approval", application__in=past).select_related("application").first()
    assert timezone.localdate(approval.created_at) == timezone.localdate(approval.application.decided_at)


def test_seeded_in_early_january_the_history_stops_at_the_real_now():
    """The last finished half-year is then last year's second; grants handed in last autumn are still open."""
    from portal.demo import build, history

    seeding_day = datetime(2027, 1, 5, 8, 0, tzinfo=timezone.get_current_timezone())
    with mock.patch("django.utils.timezone.now", return_value=seeding_day):
        municipalities, users, programmes = build.build_district(), build.build_users(), build.build_programmes()
        orgs = build.build_organisations(municipalities, users)
        recent = [build._decided(story) for story in build.STORIES if story.target in build.DECIDED]
        created = history.build_history(programmes["IMP"], municipalities, orgs, users, recent=recent)
        assert history.build_history(programmes["IMP"], municipalities, orgs, users, recent=recent) == []
        today = timezone.localdate()
        _monitoring_has_figures(today)
        _history_fits_the_state_machine(today, seeding_day)
    assert {a.state for a in created} >= {State.CLOSED, State.REFUND_CLAIMED, State.SETTLEMENT_SUBMITTED,
                                          State.PAID, State.APPROVED, State.REJECTED}
    assert not [a for a in created if a.submitted_at.year == 2027]
