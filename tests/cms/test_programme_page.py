"""The programme page shows the programme's rules from the Programme itself, and the button only while open."""

from datetime import date

import pytest
from djmoney.money import Money
from wagtail.test.utils import WagtailPageTestCase

from cms.models import ProgrammePage
from cms.setup import ensure_site_tree
from programmes.choices import ActivityType, ApplicantType, FundingField
from tests.factories import ProgrammeFactory

from .outline import assert_sound_outline, soup

APPLY_URL = "/portal/antraege/neu/IMP/"


class ProgrammePageTest(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.programme = ProgrammeFactory(
            eligible_applicant_types=[ApplicantType.ASSOCIATION, ApplicantType.MUNICIPALITY],
            activity_types=[ActivityType.TALK, ActivityType.ENCOUNTER],
            funding_fields=[FundingField.ANTI_RACISM],
            settlement_deadline_months=3,
        )
        ensure_site_tree(programmes=[cls.programme])
        cls.page = ProgrammePage.objects.get(programme=cls.programme)

    def rules(self, response) -> dict[str, str]:
        dl = soup(response).select_one("section[aria-labelledby=rules-heading] dl")
        return {
            item.dt.get_text(" ", strip=True): item.dd.get_text(" ", strip=True)
            for item in dl.select(".kern-description-list-item")
        }

    def test_bounds_are_shown_in_german_format(self):
        response = self.client.get(self.page.url)
        assert self.rules(response)["Förderbetrag je Antrag"] == "200,00 € bis 3.000,00 €"

    def test_changed_bounds_show_without_editing_the_page(self):
        self.programme.max_amount = Money("4500.00", "EUR")
        self.programme.save()
        response = self.client.get(self.page.url)
        assert self.rules(response)["Förderbetrag je Antrag"] == "200,00 € bis 4.500,00 €"
        self.assertNotContains(response, "3.000,00 €")

    def test_all_rules_come_from_the_programme(self):
        rules = self.rules(self.client.get(self.page.url))
        assert rules["Antragsberechtigt"] == "Verein Kreiskommune"
        assert rules["Gefördert werden"] == "Vortrag Begegnungsveranstaltung"
        assert rules["Handlungsfelder"] == "Antirassismus und Antidiskriminierung"
        assert rules["Finanzierungsart"] == "Festbetragsfinanzierung"
        assert rules["Auszahlung"] == "Vollständige Auszahlung nach Bewilligung"
        assert rules["Verwendungsnachweis"] == (
            "Einfacher Verwendungsnachweis (Sachbericht und Kostenübersicht), spätestens 3 Monate nach Projektende"
        )
        assert rules["Antragsfenster"] == "01.01.2020 bis 31.12.2099"

    def test_apply_button_while_the_window_is_open(self):
        response = self.client.get(self.page.url)
        button = soup(response).find("a", href=APPLY_URL)
        assert button is not None
        assert button.get_text(strip=True) == "Antrag stellen"
        assert "kern-btn--primary" in button["class"]
        self.assertContains(response, "Antragstellung möglich")
        assert_sound_outline(response)

    def test_closed_window_shows_notice_with_dates_and_no_button(self):
        self.programme.opens_on, self.programme.closes_on = date(2020, 3, 1), date(2021, 6, 30)
        self.programme.save()
        response = self.client.get(self.page.url)
        assert soup(response).find("a", href=APPLY_URL) is None
        self.assertNotContains(response, "Antrag stellen<")
        self.assertContains(response, "Das Antragsfenster ist geschlossen")
        self.assertContains(response, "vom 01.03.2020 bis zum 30.06.2021")
        self.assertContains(response, "Antragsfenster geschlossen</span>")  # badge says it in words

    def test_window_opening_in_the_future_is_closed_today(self):
        self.programme.opens_on, self.programme.closes_on = date(2098, 1, 1), date(2099, 1, 1)
        self.programme.save()
        response = self.client.get(self.page.url)
        assert soup(response).find("a", href=APPLY_URL) is None

    def test_easy_language_section_only_when_written(self):
        self.assertNotContains(self.client.get(self.page.url), "Leichte Sprache")
        self.page.easy_language = "<p>Der Landkreis gibt Geld für gute Ideen.</p>"
        self.page.save_revision().publish()
        response = self.client.get(self.page.url)
        self.assertContains(response, "Leichte Sprache")
        self.assertContains(response, "Der Landkreis gibt Geld für gute Ideen.")
        assert_sound_outline(response)

    def test_index_lists_the_programme_with_range_window_and_badge(self):
        response = self.client.get("/programme/")
        card = soup(response).select_one(".programme-teaser")
        text = card.get_text(" ", strip=True)
        assert "Integrationsimpulse" in text
        assert "200,00 € bis 3.000,00 €" in text
        assert "01.01.2020 bis 31.12.2099" in text
        assert "Antragstellung möglich" in text
        assert card.find("h2").a["href"] == self.page.url

    def test_home_teases_open_programmes_only(self):
        closed = ProgrammeFactory(code="ALT", name="Altprogramm", closes_on=date(2021, 12, 31))
        ensure_site_tree(programmes=[self.programme, closed])
        response = self.client.get("/")
        teasers = [h.get_text(strip=True) for h in soup(response).select(".programme-teaser h3")]
        assert teasers == ["Integrationsimpulse"]
        assert_sound_outline(response)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
def test_index_runs_a_constant_number_of_queries(client, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programmes = [ProgrammeFactory(code=f"P{n:02d}", name=f"Programm {n:02d}") for n in range(count)]
    ensure_site_tree(programmes=programmes)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/programme/")
    # Reads and writes of the database cache (the shared cache of the embedded mode) are not the page's queries;
    # the cache starts empty in each test, so Wagtail reads its sites and root paths once (2 queries).
    page_queries = [query["sql"] for query in queries.captured_queries if "portal_cache" not in query["sql"]]
    assert len(page_queries) <= 12, page_queries
    assert response.content.decode().count('class="kern-card programme-teaser"') == count
