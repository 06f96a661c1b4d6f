"""The rules of a funded post (Koordinierende Stelle): minimum FTE, personnel costs only, a cap per period.

All of them are programme settings; a programme that leaves them empty is not affected.
"""

from datetime import date
from decimal import Decimal

import pytest
from djmoney.money import Money

from programmes import rules
from programmes.choices import ApplicantType, CostKind
from programmes.models import Programme

D = Decimal


def eur(amount) -> Money:
    return Money(Decimal(amount), "EUR")


def coordinating(**kwargs) -> Programme:
    """An unsaved programme configured like the Koordinierende Stelle: the rules read fields only."""
    values = {
        "code": "KOS", "min_amount": eur("5000.00"), "max_amount": eur("40000.00"),
        "eligible_applicant_types": [ApplicantType.MUNICIPALITY], "opens_on": date(2026, 1, 1),
        "closes_on": date(2026, 12, 31), "min_post_fte": D("0.50"), "personnel_costs_only": True,
        "cap_per_period": eur("40000.00"), "cap_period_months": 12,
    }
    return Programme(**{**values, **kwargs})


def plain() -> Programme:
    """A programme without any of these settings (like the Integrationsimpulse)."""
    return Programme(code="IMP", min_amount=eur("200.00"), max_amount=eur("3000.00"),
                     opens_on=date(2026, 1, 1), closes_on=date(2026, 12, 31))


# -- post size -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("fte", "error"), [
    (D("0.49"), "Der Stellenumfang von 0,49 VZÄ liegt unter dem Mindestumfang von 0,50 VZÄ."),
    (D("0.50"), None),
    (D("1.00"), None),
    (None, "Geben Sie den Stellenumfang der Stelle in Vollzeitäquivalenten (VZÄ) an."),
])
def test_the_post_must_have_the_minimum_size(fte, error):
    assert rules.post_fte_error(coordinating(), fte) == error


def test_the_minimum_size_is_a_setting():
    assert rules.post_fte_error(coordinating(min_post_fte=D("0.75")), D("0.50")) == (
        "Der Stellenumfang von 0,50 VZÄ liegt unter dem Mindestumfang von 0,75 VZÄ.")
    assert rules.post_fte_error(plain(), None) is None
    assert rules.post_fte_error(plain(), D("0.10")) is None


# -- cost kinds ----------------------------------------------------------------------------------
def test_only_personnel_costs_where_the_programme_says_so():
    programme = coordinating()
    assert rules.cost_kind_error(programme, [CostKind.PERSONNEL, CostKind.PERSONNEL]) is None
    error = rules.cost_kind_error(programme, [CostKind.PERSONNEL, CostKind.MATERIAL])
    assert error.startswith("In diesem Programm sind ausschließlich Personalkosten zuwendungsfähig")
    assert rules.cost_kind_error(plain(), [CostKind.MATERIAL, CostKind.PERSONNEL]) is None


# -- period length -------------------------------------------------------------------------------
@pytest.mark.parametrize(("start", "end", "allowed"), [
    (date(2027, 1, 1), date(2027, 12, 31), True),  # exactly 12 months
    (date(2027, 1, 1), date(2028, 1, 1), False),  # 12 months and a day
    (date(2027, 3, 15), date(2028, 3, 14), True),
    (date(2027, 3, 15), date(2028, 3, 15), False),
    (date(2027, 1, 31), date(2027, 2, 27), True),  # end of month: add_months clamps
    (date(2027, 5, 1), date(2027, 5, 1), True),
])
def test_the_period_is_at_most_the_cap_period(start, end, allowed):
    error = rules.period_length_error(coordinating(), start, end)
    assert (error is None) == allowed
    if error:
        assert error == "Der Förderzeitraum darf höchstens 12 Monate umfassen."


def test_the_period_length_is_a_setting_and_only_with_a_cap():
    six = coordinating(cap_period_months=6)
    assert rules.period_length_error(six, date(2027, 1, 1), date(2027, 6, 30)) is None
    assert rules.period_length_error(six, date(2027, 1, 1), date(2027, 7, 1)) == (
        "Der Förderzeitraum darf höchstens 6 Monate umfassen.")
    # Without a cap per period the length stays free (the Integrationsimpulse know no such rule).
    assert rules.period_length_error(plain(), date(2027, 1, 1), date(2029, 1, 1)) is None


# -- the cap per period --------------------------------------------------------------------------
def test_the_cap_names_what_is_already_approved_and_the_cap():
    error = rules.period_cap_error(coordinating(), eur("20000.00"), eur("25000.00"))
    assert error == ("Für diese Stelle sind im Zeitraum bereits 25.000,00 € bewilligt; mit 20.000,00 € würde "
                     "die Obergrenze von 40.000,00 € je 12 Monate überschritten.")


@pytest.mark.parametrize(("amount", "committed", "allowed"), [
    ("15000.00", "25000.00", True),  # exactly at the cap
    ("15000.01", "25000.00", False),
    ("40000.00", "0.00", True),
    ("20000.00", "0.00", True),
])
def test_the_cap_is_inclusive(amount, committed, allowed):
    assert (rules.period_cap_error(coordinating(), eur(amount), eur(committed)) is None) == allowed


def test_over_the_cap_without_earlier_approvals_says_so_plainly():
    error = rules.period_cap_error(coordinating(cap_per_period=eur("30000.00")), eur("35000.00"), eur("0.00"))
    assert error == "Der Betrag von 35.000,00 € übersteigt die Obergrenze von 30.000,00 € je 12 Monate."


def test_no_cap_no_limit():
    assert rules.period_cap_error(plain(), eur("1000000.00"), eur("1000000.00")) is None


# -- the settings in the staff admin -------------------------------------------------------------
@pytest.mark.django_db
def test_the_head_configures_the_post_rules_in_the_programme_admin(client):
    from django.urls import reverse

    from tests.admin.test_programmes_admin import programme_data
    from tests.factories import role_user

    client.force_login(role_user("Leitung"))
    page = client.get(reverse("foerderprogramme:add")).content.decode()
    assert "Geförderte Stelle (optional, z. B. Koordinierende Stelle)" in page
    assert 'for="id_min_post_fte"' in page
    assert 'for="id_cap_per_period_0"' in page
    data = programme_data(code="KOS", min_post_fte="0.50", personnel_costs_only="on", cap_per_period_0="40000.00",
                          cap_per_period_1="EUR", cap_period_months="12")
    response = client.post(reverse("foerderprogramme:add"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    kos = Programme.objects.get(code="KOS")
    assert (kos.min_post_fte, kos.personnel_costs_only, kos.cap_per_period, kos.cap_period_months) == (
        D("0.50"), True, eur("40000.00"), 12)
    # Left empty, the rules stay off (and the period keeps its default).
    response = client.post(reverse("foerderprogramme:add"), programme_data(code="PLN"))
    assert response.status_code == 302
    plain_one = Programme.objects.get(code="PLN")
    assert (plain_one.min_post_fte, plain_one.personnel_costs_only, plain_one.cap_per_period,
            plain_one.cap_period_months) == (None, False, None, 12)
