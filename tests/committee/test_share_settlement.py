"""Settlement under share financing (Anteilfinanzierung): the grant is recomputed as 50 % of the checked costs,
never above what was approved, and the difference is claimed back to the cent; the check screen explains the rule
of the programme's financing type and previews the figures before anything is saved."""

from decimal import Decimal

import pytest
from django.urls import reverse
from djmoney.money import Money

from grants.models import Application, ApplicationEvent, Refund
from grants.rules import settlement_preview
from grants.services import payouts, review, settlements
from grants.services.applications import CostLineData
from tests.factories import project_ended

from .builder import People, application, eur, lotsen_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return People()


def settled(people, programme, spent: str) -> Application:
    """Granted 10,000 € of 20,000 € planned costs, paid, and settled with ``spent`` actual costs."""
    app = application(programme, people, costs="20000.00", own="10000.00")
    review.application_approve(user=people.head, application_id=app.pk)
    batch = payouts.payout_batch_create(user=people.finance, application_ids=[app.pk])
    payouts.payout_batch_execute(user=people.finance, batch_id=batch.pk)
    project_ended(app.pk)
    settlements.settlement_save(user=app.created_by, application_id=app.pk, report="Zwölf Lotsen im Einsatz",
                                participants_reached=60, income=0, submit=True,
                                cost_lines=[CostLineData("Aufwandsentschädigungen", Decimal(spent))])
    return Application.objects.get(pk=app.pk)


@pytest.fixture
def share(people):
    return lotsen_programme(committee_decides_all=False)  # the head of unit approves: no meeting needed here


def test_the_grant_is_recomputed_from_the_checked_costs_and_the_rest_claimed_to_the_cent(people, share):
    app = settled(people, share, "17333.33")
    # 50 % of 17,333.33 € = 8,666.665 € → 8,666.67 € (half up); 10,000.00 − 8,666.67 = 1,333.33 € back.
    assert settlement_preview(app, eur("17333.33")).grant_after == eur("8666.67")
    settlements.settlement_accept(user=people.staff, application_id=app.pk, eligible_costs=eur("17333.33"))
    app.refresh_from_db()
    assert app.state == "refund_claimed"
    refund = Refund.objects.get(application=app)
    assert refund.amount == eur("1333.33")
    assert refund.reason == Refund.Reason.UNSPENT
    assert ApplicationEvent.objects.get(application=app, action="claim_refund").amount == eur("1333.33")
    assert app.settlement.eligible_costs == eur("17333.33")


def test_costs_above_the_plan_never_raise_the_grant(people, share):
    app = settled(people, share, "26000.00")
    preview = settlement_preview(app, eur("26000.00"))
    assert (preview.grant_after, preview.refund) == (eur("10000.00"), eur("0.00"))
    settlements.settlement_accept(user=people.staff, application_id=app.pk, eligible_costs=eur("26000.00"))
    app.refresh_from_db()
    assert app.state == "closed"
    assert not Refund.objects.filter(application=app).exists()


def page(client, app, data=None):
    url = reverse("antraege:accept_settlement", args=[app.pk])
    response = client.post(url, data) if data is not None else client.get(url)
    return response, " ".join(response.content.decode().split())


def test_the_check_screen_explains_share_financing_and_previews_the_recomputation(client, people, share):
    app = settled(people, share, "17333.33")
    client.force_login(people.staff)
    response, html = page(client, app)
    assert "Anteilfinanzierung: Die Zuwendung wird aus den anerkannten zuwendungsfähigen Ausgaben neu berechnet – " \
           "50 % davon, höchstens der bewilligte Betrag." in html
    assert "Festbetragsfinanzierung" not in html
    assert "Vorschau der Abrechnung" in html
    # The «Vorschau berechnen» button is on the page (the template once asked a two-argument callable: never shown).
    assert '<button type="submit" name="vorschau" value="1" class="button button-secondary">Vorschau berechnen' \
        '</button>' in html
    assert "davon 50 % (Förderanteil), höchstens der bewilligte Betrag</th>" in html
    assert "8.666,67&nbsp;€" in html
    assert "1.333,33&nbsp;€" in html
    # «Vorschau berechnen» with other costs: new figures, nothing saved.
    response, html = page(client, app, {"eligible_costs": "12.000,00", "note": "", "vorschau": "1"})
    assert response.status_code == 200
    assert "6.000,00&nbsp;€" in html  # 50 % of 12,000
    assert "4.000,00&nbsp;€" in html  # back
    assert Application.objects.get(pk=app.pk).state == "settlement_submitted"
    # The button itself takes the step.
    response, _html = page(client, app, {"eligible_costs": "12.000,00", "note": ""})
    assert response.status_code == 302
    assert Refund.objects.get(application=app).amount == Money("4000.00", "EUR")


def test_a_fixed_amount_programme_keeps_its_own_rule_on_the_screen(client, people):
    fixed = lotsen_programme(committee_decides_all=False, financing_type="fixed", max_funding_share=None,
                             matching_funds_required=False)
    app = settled(people, fixed, "9000.00")
    client.force_login(people.staff)
    _response, html = page(client, app)
    assert "Festbetragsfinanzierung: Es wird nur der Betrag zurückgefordert" in html
    assert "Anteilfinanzierung" not in html
    assert "Zuwendung nach Prüfung</th>" in html
    assert "1.000,00&nbsp;€" in html  # 10,000 granted, 9,000 spent: 1,000 back
