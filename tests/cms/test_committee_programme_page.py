"""A co-financed committee programme's public page shows share, co-financing, the yearly cap and who decides."""

import pytest
from djmoney.money import Money

from cms.models import ProgrammePage
from cms.setup import ensure_site_tree
from tests.committee.builder import lotsen_programme, projects_programme
from tests.factories import ProgrammeFactory

from .outline import assert_sound_outline, soup

pytestmark = pytest.mark.django_db


def rules(response) -> dict[str, str]:
    dl = soup(response).select_one("section[aria-labelledby=rules-heading] dl")
    return {item.dt.get_text(" ", strip=True): item.dd.get_text(" ", strip=True)
            for item in dl.select(".kern-description-list-item")}


def _shown(client, programme) -> tuple[dict[str, str], object]:
    ensure_site_tree(programmes=[programme])
    response = client.get(ProgrammePage.objects.get(programme=programme).url)
    return rules(response), response


def test_lotsen_page_shows_share_matching_cap_and_committee(client):
    shown, response = _shown(client, lotsen_programme())
    assert shown["Förderanteil"] == "höchstens 50 % der zuwendungsfähigen Kosten"
    assert shown["Kofinanzierung"].startswith("Die Kommune trägt mindestens so viel wie der Landkreis (1:1)")
    assert shown["Obergrenze je Kommune und Kalenderjahr"] == (
        "25.000,00 €, zusammengerechnet über alle Bewilligungen für dieselbe Kommune")
    assert shown["Entscheidung"] == "Der Sozialausschuss des Landkreises beschließt über jeden Antrag."
    assert shown["Finanzierungsart"] == "Anteilfinanzierung"
    assert_sound_outline(response)


def test_project_grants_only_name_the_committee(client):
    shown, _response = _shown(client, projects_programme())
    assert shown["Entscheidung"] == "Der Sozialausschuss des Landkreises beschließt über jeden Antrag."
    assert not {"Förderanteil", "Kofinanzierung", "Obergrenze je Kommune und Kalenderjahr"} & set(shown)


def test_authority_by_amount_and_nothing_for_microfunding(client):
    staged = ProgrammeFactory(code="STU", name="Gestufte Förderung", head_approval_limit=Money("5000.00", "EUR"))
    shown, _response = _shown(client, staged)
    assert shown["Entscheidung"] == ("bis 1.500,00 € die Sachbearbeitung, bis 5.000,00 € die Amtsleitung, darüber "
                                     "der Sozialausschuss des Landkreises")
    shown, _response = _shown(client, ProgrammeFactory())
    assert "Entscheidung" not in shown
    assert "Kofinanzierung" not in shown
