"""The indicator registry as a staff page, and breakdowns only where the registry allows them — protected."""

from dataclasses import replace
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integration_core.indicators import registry
from integration_core.indicators.compute import BreakdownNotAllowed, count_pairs
from integration_core.indicators.dashboard import build_breakdown, build_dashboard
from integration_core.indicators.periods import Period
from integration_core.indicators.registry import Breakdown
from portal.accounts.roles import FINANCE, STATISTICS
from tests.factories import MunicipalityFactory, role_user
from tests.factories.cases import ProviderFactory, case_worker

from .cases_data import SIMPLE, make_case

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)
TODAY = date(2026, 1, 15)
URL = reverse("monitoring:dashboard")


@pytest.fixture
def towns(db):
    """Open cases at 31.12.2025 by gender: Talhausen 6 women, 4 men; Bergheim 5 women, 2 men."""
    talhausen, bergheim = MunicipalityFactory(name="Talhausen"), MunicipalityFactory(name="Bergheim")
    worker = case_worker(ProviderFactory())
    for town, women, men in ((talhausen, 6, 4), (bergheim, 5, 2)):
        for index in range(women + men):
            make_case(worker, town, SIMPLE, date(2025, 3, 1 + index), gender="w" if index < women else "m",
                      born=1990)
    return talhausen, bergheim


def test_registry_page_lists_every_indicator_in_words(client):
    client.force_login(role_user(STATISTICS))
    html = client.get(reverse("monitoring:registry")).content.decode()
    for indicator in registry.INDICATORS:
        assert f'id="kennzahl-{indicator.code}"' in html
        assert str(indicator.title) in html
    assert "Laufende Fälle (einfache Beratung oder ausführliche Fallsteuerung) mit Teil A am Stichtag." in html
    assert "Bestand zum Stichtag" in html
    assert "Zugang im Zeitraum" in html
    assert "Geschlecht, Altersgruppe, Herkunftsgruppe" in html  # the person breakdowns of a case figure
    assert "Outcome" in html
    assert "Einmalige Anfrage, Einfache Beratung, Ausführliche Fallsteuerung" in html  # cases_open counts all
    health = html[html.index('id="kennzahl-health_goals"'):]
    assert '<td class="w-text-end">4</td>' in health[:health.index("</tr>")]  # the stricter threshold


def test_registry_page_and_menu_need_the_statistics_permission(client):
    client.force_login(role_user(FINANCE))
    assert client.get(reverse("monitoring:registry")).status_code == 403
    assert reverse("monitoring:registry") not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(role_user(STATISTICS))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    for name in ("dashboard", "table", "registry"):  # the Monitoring menu and its pages
        assert reverse(f"monitoring:{name}") in home


@pytest.mark.parametrize(("code", "breakdown"), [
    ("children_care", Breakdown.GENDER),  # a child's figure: the parent's gender would be misleading
    ("goals_agreed", Breakdown.AGE_BAND),
    ("health_goals", Breakdown.GOAL_AREA),
    ("cases_open", Breakdown.GOAL_AREA),
])
def test_count_pairs_refuses_a_breakdown_the_registry_does_not_allow(code, breakdown):
    indicator = registry.get(code)
    assert breakdown not in indicator.breakdowns
    with pytest.raises(BreakdownNotAllowed, match="darf nicht nach"):
        count_pairs([indicator], YEAR, (Breakdown.MUNICIPALITY, breakdown), today=TODAY)


def test_breakdown_by_gender_is_protected_with_the_dashboards_totals(towns):
    talhausen, _bergheim = towns
    dashboard = build_dashboard(talhausen, YEAR, today=TODAY)
    total = next(line for line in dashboard.case_lines if line.indicator.code == "cases_open")
    assert (total.local.display, total.district.display) == ("10", "17")  # nothing small on the dashboard
    table = build_breakdown(dashboard, registry.get("cases_open"), Breakdown.GENDER, today=TODAY)
    #               w   m   d  ?  |  Σ
    # Talhausen     6   4   0  0  | 10     Bergheim's 2 men are small; row Bergheim takes its 5 women along
    # Bergheim      5   2   0  0  |  7     (the 7 is published), column m Talhausen's 4, column w its 6. The
    # district     11   6   0  0  | 17     towns' totals stay as the dashboard shows them.
    lines = {line.label: (line.local.display, line.district.display) for line in table.lines}
    assert lines == {"weiblich": ("·", "11"), "männlich": ("·", "6"), "divers": ("0", "0"),
                     "ohne Angabe": ("0", "0"), "zusammen": ("10", "17")}


def test_dashboard_offers_the_breakdown_and_refuses_what_the_registry_does_not_allow(client, towns, monkeypatch,
                                                                                      django_assert_num_queries):
    talhausen, _bergheim = towns
    client.force_login(role_user(STATISTICS))
    params = {"kommune": talhausen.pk, "zeitraum": "2025"}
    client.get(URL, params)  # warm caches (content types, site)
    with CaptureQueriesContext(connection) as plain:
        html = client.get(URL, params).content.decode()
    assert '<option value="cases_open">Laufende Beratungsfälle</option>' in html
    assert '<option value="age_band">Altersgruppe</option>' in html
    with django_assert_num_queries(len(plain.captured_queries) + 1):  # one grouped query for the breakdown
        html = client.get(URL, {**params, "kennzahl": "cases_open", "nach": "gender"}).content.decode()
    assert "Laufende Beratungsfälle nach Geschlecht" in html
    assert "weiblich" in html
    # A figure about children is not offered at all (the registry allows no person breakdown for it).
    assert '<option value="children_care">' not in html
    not_offered = client.get(URL, {**params, "kennzahl": "children_care", "nach": "gender"}).content.decode()
    assert 'id="id_kennzahl_error"' in not_offered
    assert "nach Geschlecht</h2>" not in not_offered
    # An indicator whose registry entry allows gender only is refused by origin group.
    narrower = replace(registry.get("own_flat"), breakdowns=(Breakdown.MUNICIPALITY, Breakdown.GENDER))
    monkeypatch.setitem(registry.BY_CODE, "own_flat", narrower)
    refused = client.get(URL, {**params, "kennzahl": "own_flat", "nach": "origin"}).content.decode()
    assert "darf nicht nach Herkunftsgruppe aufgeschlüsselt werden" in refused
    assert "nach Herkunftsgruppe</h2>" not in refused
    half = client.get(URL, {**params, "kennzahl": "own_flat", "nach": ""}).content.decode()
    assert "Bitte wählen Sie eine Kennzahl und eine Aufschlüsselung." in half


def test_share_breakdown_shows_numerator_denominator_and_share(client, towns):
    talhausen, _bergheim = towns
    client.force_login(role_user(STATISTICS))
    html = client.get(URL, {"kommune": talhausen.pk, "zeitraum": "2025", "kennzahl": "own_flat",
                            "nach": "age_band"}).content.decode()
    assert "Anteil mit eigener Wohnung nach Altersgruppe" in html
    assert "Nenner Landkreis" in html
