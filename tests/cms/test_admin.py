"""Editors create programme pages through the Wagtail admin."""

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import ProgrammeIndexPage, ProgrammePage
from cms.setup import ensure_site_tree
from tests.factories import ProgrammeFactory
from tests.factories.people import enrol_totp


class ProgrammePageAdminTest(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site_tree(programmes=[])
        cls.index = ProgrammeIndexPage.objects.get()
        cls.programme = ProgrammeFactory(code="IPR", name="Integrationsprojekte")

    def setUp(self):
        enrol_totp(self.login())  # a superuser, with the second factor every superuser needs

    def test_superuser_creates_a_programme_page(self):
        data = nested_form_data({
            "title": "Integrationsprojekte",
            "slug": "integrationsprojekte",
            "programme": self.programme.pk,
            "intro": "Zuschüsse für größere Projekte.",
            "body": streamfield([
                ("heading", {"text": "Ablauf", "level": "h2"}),
                ("paragraph", rich_text("<p>Erst beraten, dann beantragen.</p>")),
            ]),
            "easy_language": rich_text("<p>Geld für Projekte.</p>"),
        })
        self.assertCanCreate(self.index, ProgrammePage, data)

        page = ProgrammePage.objects.get(slug="integrationsprojekte")
        assert page.live
        assert page.programme == self.programme
        assert [block.block_type for block in page.body] == ["heading", "paragraph"]
        response = self.client.get("/programme/integrationsprojekte/")
        self.assertContains(response, "<h2 class=\"kern-heading-medium\">Ablauf</h2>", html=True)
        self.assertContains(response, "Erst beraten, dann beantragen.")

    def test_programme_is_required(self):
        data = nested_form_data({
            "title": "Ohne Programm", "slug": "ohne-programm", "body": streamfield([]),
            "action-publish": "action-publish",
        })
        response = self.client.post(
            f"/admin/pages/add/cms/programmepage/{self.index.pk}/", data
        )
        assert response.status_code == 200
        assert "programme" in response.context["form"].errors
        assert not ProgrammePage.objects.filter(slug="ohne-programm").exists()
