"""The accessibility statement names its status and a working feedback contact."""

from wagtail.test.utils import WagtailPageTestCase

from cms.models import AccessibilityStatementPage, ConformityStatus
from cms.setup import ensure_site_tree

from .outline import assert_sound_outline, soup


class AccessibilityStatementTest(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site_tree(programmes=[])
        cls.page = AccessibilityStatementPage.objects.get()

    def test_feedback_contact_with_mailto_and_phone_links(self):
        response = self.client.get("/barrierefreiheit/")
        page = soup(response)
        mail = page.find("a", href="mailto:barrierefreiheit@landkreis-musterstadt.example")
        assert mail is not None
        assert mail.get_text(strip=True) == "barrierefreiheit@landkreis-musterstadt.example"
        assert page.find("a", href="tel:+497210000000") is not None
        self.assertContains(response, "Feedback und Kontaktangaben")
        self.assertContains(response, "Schlichtungsverfahren")
        assert_sound_outline(response)

    def test_status_sentence_follows_the_choice(self):
        self.assertContains(self.client.get("/barrierefreiheit/"), "nur teilweise vereinbar")
        self.page.conformity_status = ConformityStatus.FULL
        self.page.non_accessible_content = ""
        self.page.save_revision().publish()
        response = self.client.get("/barrierefreiheit/")
        self.assertContains(response, "vollständig vereinbar.")
        self.assertNotContains(response, "Nicht barrierefreie Inhalte")

    def test_edited_contact_is_shown(self):
        self.page.feedback_email = "a11y@kreis.example"
        self.page.save_revision().publish()
        response = self.client.get("/barrierefreiheit/")
        self.assertContains(response, 'href="mailto:a11y@kreis.example"')
