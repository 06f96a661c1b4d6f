"""The whole life of a microfunding application through the services."""

from datetime import timedelta

import pytest
from django.core import mail
from djmoney.money import Money

from grants.models import Document, Refund
from grants.services import applications, payouts, review, settlements
from grants.services.applications import CostLineData
from grants.states import State
from programmes.models import ProgrammeBudget
from tests.factories import ProgrammeBudgetFactory, make_application, project_ended, role_user

pytestmark = pytest.mark.django_db


def test_application_goes_from_draft_to_closed_with_refund(django_capture_on_commit_callbacks):
    applicant = role_user("Antragsteller")
    app = make_application(amount="1200.00", member=applicant)
    ProgrammeBudgetFactory(programme=app.programme, amount=Money("5000.00", "EUR"))
    staff, head, finance = role_user("Sachbearbeitung"), role_user("Sachbearbeitung"), role_user("Finanzen")

    with django_capture_on_commit_callbacks(execute=True):
        applications.application_submit(user=applicant, application_id=app.pk)
        review.application_start_review(user=staff, application_id=app.pk)
        review.application_recommend(user=staff, application_id=app.pk)
        review.application_approve(user=head, application_id=app.pk)
    app.refresh_from_db()
    assert app.state == State.APPROVED
    assert app.file_number.startswith("II-IMP-")
    assert app.approved_amount == Money("1200.00", "EUR")
    assert Document.objects.filter(application=app, kind="approval").exists()
    budget = ProgrammeBudget.objects.get(programme=app.programme)
    assert budget.committed == Money("1200.00", "EUR")
    assert len(mail.outbox) == 4

    with django_capture_on_commit_callbacks(execute=True):
        batch = payouts.payout_batch_create(user=finance, application_ids=[app.pk])
        payouts.payout_batch_execute(user=finance, batch_id=batch.pk)
        payouts.payout_batch_execute(user=finance, batch_id=batch.pk)
    app.refresh_from_db()
    assert app.state == State.PAID
    assert app.settlement_due_on == app.planned_end + timedelta(days=0) or app.settlement_due_on > app.planned_end
    budget.refresh_from_db()
    assert budget.paid == Money("1200.00", "EUR")

    with django_capture_on_commit_callbacks(execute=True):
        project_ended(app.pk)
        settlements.settlement_save(
            user=applicant, application_id=app.pk, report="Fest mit 150 Gästen", participants_reached=150,
            income=0, cost_lines=[CostLineData("Honorare", "1000.00")], submit=True,
        )
        settlements.settlement_accept(user=staff, application_id=app.pk, eligible_costs=Money("1000.00", "EUR"))
    app.refresh_from_db()
    assert app.state == State.REFUND_CLAIMED
    assert Refund.objects.get(application=app).amount == Money("200.00", "EUR")

    with django_capture_on_commit_callbacks(execute=True):
        settlements.refund_record_received(user=finance, application_id=app.pk)
    app.refresh_from_db()
    assert app.state == State.CLOSED
    budget.refresh_from_db()
    assert budget.refunded == Money("200.00", "EUR")
    assert budget.remaining == Money("4000.00", "EUR")
    assert [e.action for e in app.events.all()] == [
        "submit", "start_review", "recommend", "approve", "record_payout", "submit_settlement",
        "claim_refund", "record_refund_received",
    ]
