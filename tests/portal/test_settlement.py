"""The settlement form after payout: save a draft, submit, see the refund with transfer details."""

import pytest
from django.urls import reverse
from djmoney.money import Money

from grants.models import Settlement
from grants.states import State
from tests.factories import project_ended

from .conftest import advance

pytestmark = pytest.mark.django_db


def settlement_data(action="save", **overrides):
    data = {
        "action": action, "report": "Das Fest fand mit 90 Gästen statt.", "participants_reached": "90",
        "income": "50,00", "ausgaben-TOTAL_FORMS": "2", "ausgaben-INITIAL_FORMS": "0",
        "ausgaben-0-description": "Honorare", "ausgaben-0-amount": "700,00",
        "ausgaben-1-description": "Miete", "ausgaben-1-amount": "250,50",
    }
    data.update(overrides)
    return data


@pytest.fixture
def paid(member, application):
    return advance(application, member, State.PAID)


def test_settlement_form_starts_from_the_cost_plan(member_client, paid):
    html = member_client.get(reverse("portal:settlement", args=[paid.pk])).content.decode()
    assert 'name="ausgaben-0-description" value="Honorare"' in html
    assert paid.settlement_due_on.strftime("%d.%m.%Y") in html


def test_draft_is_saved_without_changing_the_state(member_client, paid):
    url = reverse("portal:settlement", args=[paid.pk])
    response = member_client.post(url, settlement_data())
    assert response["Location"] == url
    settlement = Settlement.objects.get(application=paid)
    assert settlement.actual_costs == Money("950.50", "EUR")
    assert settlement.income == Money("50.00", "EUR")
    assert settlement.submitted_at is None
    paid.refresh_from_db()
    assert paid.state == State.PAID


def test_submit_moves_the_state(member_client, paid):
    project_ended(paid)
    response = member_client.post(reverse("portal:settlement", args=[paid.pk]), settlement_data("submit"))
    assert response["Location"] == reverse("portal:application_detail", args=[paid.pk])
    paid.refresh_from_db()
    assert paid.state == State.SETTLEMENT_SUBMITTED
    assert paid.events.last().action == "submit_settlement"


def test_submit_without_costs_names_what_is_missing(member_client, paid):
    project_ended(paid)
    data = settlement_data("submit", **{"ausgaben-TOTAL_FORMS": "0"})
    response = member_client.post(reverse("portal:settlement", args=[paid.pk]), data)
    assert response.status_code == 200
    assert "Geben Sie die tatsächlichen Ausgaben mit mindestens einer Position an." in response.content.decode()
    paid.refresh_from_db()
    assert paid.state == State.PAID


def test_settlement_is_closed_before_payout(member_client, application):
    response = member_client.get(reverse("portal:settlement", args=[application.pk]))
    assert response["Location"] == reverse("portal:application_detail", args=[application.pk])


def test_refund_shows_amount_due_date_and_transfer_details(member_client, member, application, settings):
    application = advance(application, member, State.REFUND_CLAIMED)
    html = member_client.get(reverse("portal:application_detail", args=[application.pk])).content.decode()
    refund = application.refund
    assert "400,00 €" in html
    assert refund.due_on.strftime("%d.%m.%Y") in html
    assert "DE02 1203 0000 0000 2020 51" in html  # settings.DISTRICT_IBAN, formatted
    assert settings.DISTRICT_BIC in html
    reference = html.split("Verwendungszweck</dt>")[1].split("</dd>")[0]
    assert application.file_number in reference
