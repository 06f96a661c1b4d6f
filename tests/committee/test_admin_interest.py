"""«Verzinsung festlegen» on a refund claim in the admin, and the interest shown after the money arrives."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from grants.models import Application, ApplicationEvent, Refund
from grants.services import applications, payouts, review, settlements
from grants.services.applications import CostLineData
from programmes.models import BaseRate
from tests.factories import ProgrammeBudgetFactory, make_application, project_ended, role_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PAID = TODAY - timedelta(days=200)


@pytest.fixture
def cast():
    class Cast:
        applicant = role_user("Antragsteller")
        staff = role_user("Sachbearbeitung")
        head = role_user("Leitung")
        finance = role_user("Finanzen")
        committee = role_user("Ausschuss")

    return Cast


@pytest.fixture
def claimed(cast):
    """A microfunding grant of 1,000 € paid 200 days ago, 800 € spent: a refund of 200 € is claimed."""
    app = make_application(amount="1000.00", member=cast.applicant)
    ProgrammeBudgetFactory(programme=app.programme, amount=Money("100000.00", "EUR"))
    applications.application_submit(user=cast.applicant, application_id=app.pk)
    review.application_start_review(user=cast.staff, application_id=app.pk)
    review.application_recommend(user=cast.staff, application_id=app.pk)
    review.application_approve(user=cast.head, application_id=app.pk)
    batch = payouts.payout_batch_create(user=cast.finance, application_ids=[app.pk])
    payouts.payout_batch_execute(user=cast.finance, batch_id=batch.pk)
    Application.objects.filter(pk=app.pk).update(paid_at=timezone.now() - timedelta(days=200))
    project_ended(app.pk)
    settlements.settlement_save(user=cast.applicant, application_id=app.pk, report="Fest mit 150 Gästen",
                                participants_reached=150, income=0, cost_lines=[CostLineData("Honorare", "800.00")],
                                submit=True)
    settlements.settlement_accept(user=cast.staff, application_id=app.pk, eligible_costs=Money("800.00", "EUR"))
    BaseRate.objects.create(valid_from=TODAY - timedelta(days=400), rate=Decimal("1.27"))
    app.refresh_from_db()
    assert app.state == "refund_claimed"
    assert app.refund.amount == Money("200.00", "EUR")
    return app


def url(name, app):
    return reverse(f"antraege:{name}", args=(app.pk,))


def html(response) -> str:
    return response.content.decode()


def german(day) -> str:
    return day.strftime("%d.%m.%Y")


def test_staff_set_interest_and_finance_books_it_with_the_receipt(client, cast, claimed):
    start = TODAY - timedelta(days=100)
    client.force_login(cast.staff)
    detail = html(client.get(url("detail", claimed)))
    assert url("set_interest", claimed) in detail
    assert "nicht festgelegt" in detail
    page = html(client.get(url("set_interest", claimed)))
    assert "200,00" in page
    assert 'name="interest_from"' in page
    response = client.post(url("set_interest", claimed), {"interest_from": german(start)})
    assert response.status_code == 302
    refund = Refund.objects.get(application=claimed)
    assert (refund.interest_from, refund.interest_waived) == (start, False)
    assert ApplicationEvent.objects.filter(application=claimed, action="set_interest").exists()
    expected = (Decimal("200.00") * Decimal("6.27") / 100 * 100 / 365).quantize(Decimal("0.01"), ROUND_HALF_UP)
    detail = html(client.get(url("detail", claimed)))
    assert f"ab {german(start)}, 5 Prozentpunkte über dem Basiszinssatz" in detail
    assert "Verzinsung festgelegt" in detail  # the history names the step
    assert f"{expected:.2f}".replace(".", ",") + " €" in detail  # interest up to today, for information

    client.force_login(cast.finance)
    assert url("set_interest", claimed) not in html(client.get(url("detail", claimed)))
    client.post(url("record_refund_received", claimed), {"received_on": german(TODAY)})
    refund.refresh_from_db()
    assert refund.interest == Money(expected, "EUR") == Money("3.44", "EUR")
    detail = html(client.get(url("detail", claimed)))
    assert "3,44 €" in detail
    assert "Zinsen" in detail


def test_a_waiver_needs_a_reason(client, cast, claimed):
    client.force_login(cast.head)
    page = html(client.post(url("set_interest", claimed), {"waived": "on", "waiver_reason": " "}))
    assert "Ein Zinsverzicht braucht eine Begründung." in page
    assert 'id="error-summary"' in page
    assert not Refund.objects.get(application=claimed).interest_waived
    client.post(url("set_interest", claimed), {"waived": "on", "waiver_reason": "Nicht zu vertreten, fristgerecht."})
    refund = Refund.objects.get(application=claimed)
    assert (refund.interest_waived, refund.interest_waiver_reason) == (True, "Nicht zu vertreten, fristgerecht.")
    assert "Zinsverzicht: Nicht zu vertreten, fristgerecht." in html(client.get(url("detail", claimed)))


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Geben Sie an, ab wann die Rückforderung zu verzinsen ist"),
    ({"interest_from": "32.13.2026"}, "Bitte geben Sie ein Datum wie 31.12.2026 an."),
    ({"interest_from": german(PAID - timedelta(days=1))}, "Die Verzinsung kann nicht vor der Auszahlung beginnen."),
])
def test_bad_interest_input_is_refused_in_german(client, cast, claimed, data, message):
    client.force_login(cast.staff)
    response = client.post(url("set_interest", claimed), data)
    assert response.status_code == 200
    assert message in html(response)
    refund = Refund.objects.get(application=claimed)
    assert (refund.interest_from, refund.interest_waived) == (None, False)


def test_a_start_without_a_base_rate_is_explained(client, cast, claimed):
    BaseRate.objects.all().delete()
    client.force_login(cast.staff)
    client.post(url("set_interest", claimed), {"interest_from": german(TODAY - timedelta(days=10))})
    assert "kein Basiszinssatz eingetragen" in html(client.get(url("detail", claimed)))


@pytest.mark.parametrize("role", ["finance", "committee"])
def test_finance_and_committee_cannot_set_interest(client, cast, claimed, role):
    client.force_login(getattr(cast, role))
    response = client.post(url("set_interest", claimed), {"interest_from": german(TODAY)}, follow=True)
    assert "nicht möglich" in html(response)
    assert Refund.objects.get(application=claimed).interest_from is None


def test_applicant_and_anonymous_cannot_set_interest(client, cast, claimed):
    for user in (cast.applicant, None):
        client.logout()
        if user:
            client.force_login(user)
        assert client.post(url("set_interest", claimed), {"interest_from": german(TODAY)}).status_code in (302, 403)
    assert Refund.objects.get(application=claimed).interest_from is None


def test_no_interest_step_outside_an_open_refund(client, cast, claimed):
    client.force_login(cast.finance)
    client.post(url("record_refund_received", claimed), {"received_on": german(TODAY)})
    client.force_login(cast.staff)
    response = client.post(url("set_interest", claimed), {"interest_from": german(TODAY)}, follow=True)
    assert "nicht möglich" in html(response)
    assert Refund.objects.get(application=claimed).interest_from is None
