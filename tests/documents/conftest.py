"""Applications brought to a decision through the real services, for letters and payout files."""

from types import SimpleNamespace

import pytest
from djmoney.money import Money

from grants.services import applications, payouts, review, settlements
from grants.services.applications import CostLineData, recalculate_amounts
from tests.factories import CostLineFactory, ProgrammeBudgetFactory, make_application, project_ended, role_user


@pytest.fixture
def people(db):
    return SimpleNamespace(
        applicant=role_user("Antragsteller", first_name="Ali", last_name="Antrag"),
        staff=role_user("Sachbearbeitung", first_name="Sabine", last_name="Sachbearbeiterin"),
        # Head of unit: may approve above the staff limit, and is not the recommender (four eyes).
        approver=role_user("Leitung", first_name="Bernd", last_name="Bewilliger"),
        finance=role_user("Finanzen", first_name="Fritz", last_name="Finanzen"),
    )


@pytest.fixture
def submitted(people, django_capture_on_commit_callbacks):
    """Make an application and submit it; returns the fresh row."""

    def make(amount="1200.00", extra_lines=(), **kwargs):
        application = make_application(amount=amount, member=people.applicant, **kwargs)
        for position, (description, line_amount) in enumerate(extra_lines, start=1):
            CostLineFactory(application=application, position=position, description=description,
                            amount=Money(line_amount, "EUR"))
        if extra_lines:
            recalculate_amounts(application)
            application.save()
        ProgrammeBudgetFactory(programme=application.programme, amount=Money("100000.00", "EUR"))
        with django_capture_on_commit_callbacks(execute=True):
            applications.application_submit(user=people.applicant, application_id=application.pk)
            review.application_start_review(user=people.staff, application_id=application.pk)
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def approved(people, submitted, django_capture_on_commit_callbacks):
    """Submit, review, recommend and approve (four eyes) with the letter task run after commit."""

    def make(amount="1200.00", **kwargs):
        application = submitted(amount=amount, **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            review.application_recommend(user=people.staff, application_id=application.pk)
            review.application_approve(user=people.approver, application_id=application.pk)
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def paid(people, approved, django_capture_on_commit_callbacks):
    def make(amount="1200.00", **kwargs):
        application = approved(amount=amount, **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            batch = payouts.payout_batch_create(user=people.finance, application_ids=[application.pk])
            payouts.payout_batch_execute(user=people.finance, batch_id=batch.pk)
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def settled_with_refund(people, paid, django_capture_on_commit_callbacks):
    """Paid 1,200.00 €, settled with 1,000.00 € eligible costs: 200.00 € are reclaimed."""

    def make(**kwargs):
        application = paid(amount="1200.00", **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            project_ended(application.pk)
            settlements.settlement_save(
                user=people.applicant, application_id=application.pk, report="Fest mit 150 Gästen",
                participants_reached=150, income=0, cost_lines=[CostLineData("Honorare", "1000.00")], submit=True,
            )
            settlements.settlement_accept(
                user=people.staff, application_id=application.pk, eligible_costs=Money("1000.00", "EUR"),
                reason="Belege für die Raummiete fehlen.",
            )
        application.refresh_from_db()
        return application

    return make
