"""The base-rate table (Basiszinssätze) in the admin, and the programme form's decision and co-financing panels."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from djmoney.money import Money
from wagtail.admin.menu import admin_menu

from programmes.models import BaseRate, Programme
from tests.factories import ProgrammeFactory, role_user
from tests.factories.people import reauthenticate

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("role", ["Sachbearbeitung", "Leitung"])
def test_staff_and_head_keep_the_base_rates(client, role):
    client.force_login(role_user(role))
    assert client.get(reverse("basiszinssaetze:add")).status_code == 200
    response = client.post(reverse("basiszinssaetze:add"), {"valid_from": "01.07.2026", "rate": "-0,88"})
    assert response.status_code == 302
    rate = BaseRate.objects.get()
    assert (rate.valid_from, rate.rate) == (date(2026, 7, 1), Decimal("-0.88"))
    page = html(client.get(reverse("basiszinssaetze:index")))
    assert "01.07.2026" in page
    assert "-0,88 %" in page
    assert "4,12 %" in page
    client.post(reverse("basiszinssaetze:edit", args=(rate.pk,)), {"valid_from": "01.07.2026", "rate": "1,27"})
    rate.refresh_from_db()
    assert rate.rate == Decimal("1.27")


def test_bad_base_rates_are_refused_in_german(client):
    client.force_login(role_user("Sachbearbeitung"))
    BaseRate.objects.create(valid_from=date(2026, 1, 1), rate=Decimal("1.27"))
    cases = [({"valid_from": "01.01.2026", "rate": "2,00"}, "Für den 01.01.2026 ist bereits ein Basiszinssatz"),
             ({"valid_from": "", "rate": "2,00"}, "Bitte geben Sie an, ab wann der Basiszinssatz gilt."),
             ({"valid_from": "01.07.2026", "rate": "viel"}, "Bitte geben Sie einen Prozentsatz wie 1,27"),
             ({"valid_from": "01.07.2026", "rate": "25"}, "nicht über 20 Prozent")]
    for data, message in cases:
        response = client.post(reverse("basiszinssaetze:add"), data)
        assert response.status_code == 200
        assert message in html(response), message
    assert BaseRate.objects.count() == 1


@pytest.mark.parametrize("role", ["Finanzen", "Ausschuss", "Antragsteller"])
def test_others_neither_see_nor_change_base_rates(client, role):
    rate = BaseRate.objects.create(valid_from=date(2026, 1, 1), rate=Decimal("1.27"))
    client.force_login(role_user(role))
    for address in (reverse("basiszinssaetze:index"), reverse("basiszinssaetze:add"),
                    reverse("basiszinssaetze:edit", args=(rate.pk,))):
        assert client.get(address).status_code in (302, 403), address
    client.post(reverse("basiszinssaetze:add"), {"valid_from": "01.07.2026", "rate": "2,00"})
    client.post(reverse("basiszinssaetze:edit", args=(rate.pk,)), {"valid_from": "01.01.2026", "rate": "9,00"})
    assert list(BaseRate.objects.values_list("rate", flat=True)) == [Decimal("1.27")]


def test_anonymous_is_sent_to_the_login(client):
    assert client.get(reverse("basiszinssaetze:index")).status_code == 302


@pytest.mark.parametrize(("role", "shown"), [("Sachbearbeitung", True), ("Leitung", True), ("Finanzen", False),
                                             ("Ausschuss", False)])
def test_the_menu_entry_follows_the_permission(role, shown):
    request = RequestFactory().get("/admin/")
    request.user = role_user(role)
    assert ("basiszinssaetze" in {item.name for item in admin_menu.menu_items_for_request(request)}) is shown


def test_the_base_rate_list_has_a_constant_number_of_queries(client, django_assert_max_num_queries):
    client.force_login(role_user("Sachbearbeitung"))
    BaseRate.objects.create(valid_from=date(2020, 1, 1), rate=Decimal("-0.88"))
    client.get(reverse("basiszinssaetze:index"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("basiszinssaetze:index"))
    for year in range(2021, 2027):
        BaseRate.objects.create(valid_from=date(year, 1, 1), rate=Decimal("1.00"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("basiszinssaetze:index"))


# -- the programme form: decision, co-financing, budget line, formula fields --------------------------------
def programme_data(**overrides):
    data = {
        "name": "Integrationslotsen", "code": "LOT", "file_number_prefix": "IL", "description": "Lotsen",
        "min_amount_0": "1000.00", "min_amount_1": "EUR", "max_amount_0": "25000.00", "max_amount_1": "EUR",
        "financing_type": "share", "staff_approval_limit_0": "1500.00", "staff_approval_limit_1": "EUR",
        "head_approval_limit_0": "", "head_approval_limit_1": "EUR", "committee_decides_all": "on",
        "max_funding_share": "0.50", "matching_funds_required": "on",
        "cap_per_municipality_year_0": "25000.00", "cap_per_municipality_year_1": "EUR",
        "budget_part": "TH 5 Soziales", "product_group": "31.50 Integration", "product": "31.50.01",
        "allocation_method": "individual", "remainder_use": "reshare",
        "eligible_applicant_types": ["municipality"], "activity_types": ["project"], "funding_fields": ["integration"],
        "opens_on": "2026-01-01", "closes_on": "2026-12-31", "payout_mode": "call_off",
        "settlement_form": "full", "settlement_deadline_months": "6", "refund_due_days": "30",
    }
    data.update(overrides)
    return data


def test_the_programme_form_has_the_committee_settings_in_panels(client):
    client.force_login(role_user("Leitung"))
    page = html(client.get(reverse("foerderprogramme:add")))
    for heading in ("Entscheidung", "Kofinanzierung", "Haushaltsstelle", "Formelzuweisung"):
        assert heading in page, heading
    for name in ("head_approval_limit_0", "committee_decides_all", "max_funding_share", "matching_funds_required",
                 "cap_per_municipality_year_0", "budget_part", "product_group", "product", "allocation_method",
                 "population_reference_date", "allocation_min_share_0", "allocation_cap_0", "remainder_use"):
        assert f'name="{name}"' in page, name
    response = client.post(reverse("foerderprogramme:add"), programme_data())
    assert response.status_code == 302, html(response)[-2000:]
    programme = Programme.objects.get(code="LOT")
    assert programme.committee_decides_all
    assert programme.matching_funds_required
    assert programme.head_approval_limit is None
    assert programme.max_funding_share == Decimal("0.50")
    assert programme.cap_per_municipality_year == Money("25000.00", "EUR")
    assert (programme.budget_part, programme.product_group) == ("TH 5 Soziales", "31.50 Integration")


def test_the_head_limit_below_the_staff_limit_is_refused_in_german(client):
    client.force_login(role_user("Leitung"))
    reauthenticate(client)
    programme = ProgrammeFactory(code="OLD")
    response = client.post(reverse("foerderprogramme:edit", args=(programme.pk,)),
                           programme_data(code="OLD", head_approval_limit_0="1000.00"))
    assert response.status_code == 200
    assert "Die Grenze der Amtsleitung darf nicht unter der Grenze der Sachbearbeitung liegen." in html(response)
    programme.refresh_from_db()
    assert programme.head_approval_limit is None
    assert not programme.committee_decides_all


def test_the_deciding_committee_is_named_in_the_decision_panel(client):
    client.force_login(role_user("Leitung"))
    page = html(client.get(reverse("foerderprogramme:add")))
    panel = page.split("Entscheidung", 1)[1].split("Kofinanzierung", 1)[0]
    assert 'name="committee_name"' in panel
    assert 'value="Sozialausschuss"' in panel
    response = client.post(reverse("foerderprogramme:add"),
                           programme_data(committee_name="  Ausschuss für Soziales und Gesundheit "))
    assert response.status_code == 302, html(response)[-2000:]
    assert Programme.objects.get(code="LOT").committee_name == "Ausschuss für Soziales und Gesundheit"
    # Left out or emptied (an older form): the default, never an empty name.
    client.post(reverse("foerderprogramme:add"), programme_data(code="PRJ", committee_name=""))
    assert Programme.objects.get(code="PRJ").committee_name == "Sozialausschuss"
