"""A formula programme's public page shows how the pot is shared instead of amount bounds."""

import pytest
from django.utils import timezone

from cms.models import ProgrammePage
from cms.setup import ensure_site_tree
from programmes.choices import RemainderUse
from tests.formula.builder import eur, formula_programme

from .outline import assert_sound_outline, soup

pytestmark = pytest.mark.django_db


def rules(response) -> dict[str, str]:
    dl = soup(response).select_one("section[aria-labelledby=rules-heading] dl")
    return {item.dt.get_text(" ", strip=True): item.dd.get_text(" ", strip=True)
            for item in dl.select(".kern-description-list-item")}


def test_rules_of_the_pot_come_from_the_programme(client):
    programme = formula_programme(pot="282709.99", remainder_use=RemainderUse.KEEP, allocation_cap=eur("50000.00"))
    ensure_site_tree(programmes=[programme])
    page = ProgrammePage.objects.get(programme=programme)
    response = client.get(page.url)
    shown = rules(response)
    year = timezone.localdate().year
    assert shown["Fördertopf je Jahr"] == f"282.709,99 € ({year})"
    assert shown["Stichtag der Einwohnerzahlen"] == "31.12.2025"
    assert shown["Voraussetzung"] == "eine geförderte Stelle mit mindestens 0,50 Vollzeitäquivalenten (VZÄ)"
    assert shown["Höchstbetrag je Antragsteller"] == "50.000,00 €"
    assert shown["Anteile nicht förderfähiger Antragsteller"] == "beim Landkreis belassen (kreisweites Angebot)"
    assert shown["Antragsberechtigt"] == "Kreiskommune Kommunaler Verbund"
    assert "Einwohnerzahl" in shown["Verteilung"]
    assert "Mindestanteil" not in shown  # not set: not shown
    assert "Förderbetrag je Antrag" not in shown
    assert "Gefördert werden" not in shown
    assert_sound_outline(response)
    card = soup(client.get("/programme/")).select_one(".programme-teaser").get_text(" ", strip=True)
    assert "282.709,99 €" in card
    assert "bis 1.000.000,00 €" not in card
