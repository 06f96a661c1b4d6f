"""Programmes, budgets (Haushalt) and municipalities in the admin, and the sidebar per role."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djmoney.money import Money
from wagtail.admin.menu import admin_menu

from grants.states import State
from programmes.admin_views import budget_rows
from programmes.choices import ApplicantType
from programmes.models import Programme, ProgrammeBudget
from tests.factories import MunicipalityFactory, ProgrammeBudgetFactory, ProgrammeFactory

from .conftest import login

pytestmark = pytest.mark.django_db


def programme_data(**overrides):
    data = {
        "name": "Integrationsprojekte", "code": "PRJ", "file_number_prefix": "II", "description": "Projektförderung",
        "min_amount_0": "1000.00", "min_amount_1": "EUR", "max_amount_0": "10000.00", "max_amount_1": "EUR",
        "financing_type": "share", "staff_approval_limit_0": "5000.00", "staff_approval_limit_1": "EUR",
        "eligible_applicant_types": [ApplicantType.MUNICIPALITY, ApplicantType.ASSOCIATION],
        "activity_types": ["project"], "funding_fields": ["integration", "anti_racism"],
        "opens_on": "2026-01-01", "closes_on": "2026-12-31", "payout_mode": "call_off",
        "settlement_form": "full", "settlement_deadline_months": "6", "refund_due_days": "30",
    }
    data.update(overrides)
    return data


def test_head_creates_a_programme_with_all_rules(client, people):
    login(client, people.head)  # staff may not: a new programme sets money-deciding terms (programmes.terms)
    page = client.get(reverse("foerderprogramme:add")).content.decode()
    assert '<legend class="w-sr-only">Antragsberechtigte</legend>' in page
    assert 'for="id_min_amount_0"' in page  # the amount input has a real label
    response = client.post(reverse("foerderprogramme:add"), programme_data())
    assert response.status_code == 302, response.content.decode()[-3000:]
    programme = Programme.objects.get(code="PRJ")
    assert programme.eligible_applicant_types == [ApplicantType.MUNICIPALITY, ApplicantType.ASSOCIATION]
    assert programme.funding_fields == ["integration", "anti_racism"]
    assert programme.min_amount == Money("1000.00", "EUR")
    assert programme.staff_approval_limit == Money("5000.00", "EUR")
    assert (programme.settlement_deadline_months, programme.payout_mode) == (6, "call_off")


def test_programme_form_refuses_crossed_bounds_in_german(client, people):
    response = login(client, people.head).post(
        reverse("foerderprogramme:add"), programme_data(max_amount_0="500.00")
    )
    assert response.status_code == 200
    assert "Der Höchstbetrag darf nicht unter dem Mindestbetrag liegen." in response.content.decode()
    assert not Programme.objects.filter(code="PRJ").exists()


def test_finance_may_inspect_but_not_edit_programmes(client, people):
    programme = ProgrammeFactory()
    login(client, people.finance)
    assert client.get(reverse("foerderprogramme:index")).status_code == 200
    assert client.get(reverse("foerderprogramme:inspect", args=[programme.pk])).status_code == 200
    response = client.post(reverse("foerderprogramme:edit", args=[programme.pk]), programme_data(code="IMP"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    programme.refresh_from_db()
    assert programme.name == "Integrationsimpulse"


def test_budget_overview_shows_budget_committed_paid_refunded_remaining(client, people, application_in):
    application_in(State.CLOSED, amount="1200.00", budget="10000.00")  # 1,200 approved and paid, 400 back
    html = login(client, people.head).get(reverse("haushalt:index")).content.decode()
    for figure in ["10.000,00 €", "1.200,00 €", "400,00 €", "9.200,00 €"]:
        assert figure in html, figure
    row = budget_rows().get()
    assert (row.amount, row.committed, row.paid, row.refunded) == (
        Money("10000.00", "EUR"), Money("1200.00", "EUR"), Money("1200.00", "EUR"), Money("400.00", "EUR"))
    assert row.remaining_amount == Decimal("9200.00") == row.remaining.amount


def test_budget_overview_filters_by_programme_and_year(client, people):
    this = ProgrammeBudgetFactory(year=2026)
    ProgrammeBudgetFactory(year=2025)
    other = ProgrammeBudgetFactory(programme=ProgrammeFactory(code="PRJ", name="Integrationsprojekte"), year=2026)
    login(client, people.staff)
    by_year = client.get(reverse("haushalt:index"), {"year": "2026"}).context["object_list"]
    assert {b.pk for b in by_year} == {this.pk, other.pk}
    by_programme = client.get(reverse("haushalt:index"), {"programme": other.programme.pk}).context["object_list"]
    assert [b.pk for b in by_programme] == [other.pk]


def test_budget_table_is_one_query_whatever_the_number_of_budgets(client, people, django_assert_num_queries):
    for year in range(2020, 2026):
        ProgrammeBudgetFactory(year=year)
    with django_assert_num_queries(1):
        rows = list(budget_rows())
        assert [r.programme.name for r in rows] == ["Integrationsimpulse"] * 6
    login(client, people.staff)
    client.get(reverse("haushalt:index"))
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("haushalt:index"))
    ProgrammeBudget.objects.exclude(year=2020).delete()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("haushalt:index"))
    assert len(six) == len(one)


def test_budget_edit_keeps_concurrent_bookings_and_refuses_cutting_below_them(client, people, monkeypatch):
    from programmes.admin_views import BudgetForm

    budget = ProgrammeBudgetFactory(amount=Money("5000.00", "EUR"))
    url = reverse("haushalt:edit", args=[budget.pk])
    clean = BudgetForm.clean

    def clean_then_book(form):
        # An approval books 3,000 € after the form loaded the row and before it saves.
        result = clean(form)
        ProgrammeBudget.objects.filter(pk=budget.pk).update(committed=Decimal("3000.00"))
        return result

    monkeypatch.setattr(BudgetForm, "clean", clean_then_book)
    data = {"programme": budget.programme.pk, "year": budget.year, "amount_0": "6000.00", "amount_1": "EUR",
            "change_reason": "Nachtragshaushalt"}
    assert login(client, people.head).post(url, data).status_code == 302
    budget.refresh_from_db()
    assert (budget.amount, budget.committed) == (Money("6000.00", "EUR"), Money("3000.00", "EUR"))

    monkeypatch.setattr(BudgetForm, "clean", clean)
    year = budget.year
    client.post(url, {**data, "year": year + 1})
    budget.refresh_from_db()
    assert budget.year == year  # an existing budget cannot move to another year
    response = client.post(url, {**data, "amount_0": "2000.00"})
    assert "darf nicht unter den bereits gebundenen Mitteln" in response.content.decode()
    budget.refresh_from_db()
    assert budget.amount == Money("6000.00", "EUR")


def test_municipalities_listed_for_all_roles_edited_by_staff_only(client, people):
    town = MunicipalityFactory(name="Neustadt", population=23456, is_urban=True)
    login(client, people.finance)
    html = client.get(reverse("kreiskommunen:index")).content.decode()
    assert "Neustadt" in html
    assert town.ags in html
    assert "23.456" in html
    assert "31.12.2025" in html
    assert client.get(reverse("kreiskommunen:edit", args=[town.pk])).status_code == 302  # Wagtail: no permission

    login(client, people.staff)
    data = {"name": "Neustadt", "ags": town.ags, "district": town.district_id, "population": "24000",
            "population_reference_date": "2026-06-30", "is_urban": "on"}
    assert client.post(reverse("kreiskommunen:edit", args=[town.pk]), data).status_code == 302
    town.refresh_from_db()
    assert town.population == 24000
    assert client.get(reverse("kreiskommunen:add")).status_code == 302  # adding needs the model permission


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", {"antraege", "foerderprogramme", "haushalt", "kreiskommunen"}),
        ("head", {"antraege", "foerderprogramme", "haushalt", "kreiskommunen"}),
        ("finance", {"antraege", "zahlungslaeufe", "foerderprogramme", "haushalt", "kreiskommunen"}),
        ("committee", {"antraege", "foerderprogramme", "haushalt", "kreiskommunen"}),
    ],
)
def test_sidebar_shows_each_role_its_entries(people, role, expected):
    request = RequestFactory().get("/admin/")
    request.user = getattr(people, role)
    names = {item.name for item in admin_menu.menu_items_for_request(request)}
    ours = {"antraege", "zahlungslaeufe", "foerderprogramme", "haushalt", "kreiskommunen"}
    assert names & ours == expected
