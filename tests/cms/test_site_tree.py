"""ensure_site_tree builds the public tree once, at the addresses the base template links to."""

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from cms.models import AccessibilityStatementPage, ContentPage, HomePage, ProgrammeIndexPage, ProgrammePage
from cms.setup import ensure_site_tree
from tests.factories import ProgrammeFactory
from tests.factories.people import enrol_totp

from .outline import assert_sound_outline


class EnsureSiteTreeTest(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.programme = ProgrammeFactory()
        cls.home = ensure_site_tree(programmes=[cls.programme])

    def test_home_replaces_the_wagtail_welcome_page_as_site_root(self):
        site = Site.objects.get(is_default_site=True)
        assert site.root_page.specific == self.home
        assert self.home.slug == "home"
        assert Page.objects.filter(depth=2).count() == 1
        assert not Page.objects.filter(title__startswith="Welcome").exists()

    def test_running_twice_creates_nothing_twice(self):
        before = Page.objects.count()
        again = ensure_site_tree(programmes=[self.programme])
        assert again.pk == self.home.pk
        assert Page.objects.count() == before
        assert ProgrammePage.objects.filter(programme=self.programme).count() == 1

    def test_a_new_programme_gets_its_page_on_the_next_run(self):
        other = ProgrammeFactory(code="IPR", name="Integrationsprojekte")
        ensure_site_tree(programmes=[self.programme, other])
        page = ProgrammePage.objects.get(programme=other)
        assert page.url == "/programme/ipr/"
        assert page.live

    def test_a_retitled_page_is_not_created_again(self):
        imprint = ContentPage.objects.get(slug="impressum")
        imprint.title = "Anbieterkennzeichnung"
        imprint.save_revision().publish()
        before = Page.objects.count()
        ensure_site_tree(programmes=[self.programme])
        assert Page.objects.count() == before

    def test_pages_live_at_the_linked_addresses(self):
        expected = {
            "/": HomePage,
            "/programme/": ProgrammeIndexPage,
            "/programme/imp/": ProgrammePage,
            "/barrierefreiheit/": AccessibilityStatementPage,
            "/impressum/": ContentPage,
            "/datenschutz/": ContentPage,
        }
        for path, page_class in expected.items():
            with self.subTest(path=path):
                response = self.client.get(path)
                assert response.status_code == 200
                assert isinstance(response.context["page"], page_class)
                assert_sound_outline(response)

    def test_every_page_renders(self):
        for page in Page.objects.filter(depth__gt=1).specific():
            with self.subTest(page=page.url_path):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)

    def test_every_page_opens_in_the_admin_editor(self):
        # assertPageIsEditable cannot post StreamFields (their form is built by JavaScript);
        # posting is covered by test_admin with nested_form_data.
        enrol_totp(self.login())  # superusers need a second factor
        for page in Page.objects.filter(depth__gt=1).specific():
            with self.subTest(page=page.url_path):
                response = self.client.get(f"/admin/pages/{page.pk}/edit/")
                assert response.status_code == 200

    def test_page_title_says_where_you_are(self):
        response = self.client.get("/impressum/")
        self.assertContains(response, "<title>Impressum – ")

    def test_unknown_address_gives_a_german_404_page(self):
        response = self.client.get("/gibt-es-nicht/")
        assert response.status_code == 404
        self.assertContains(response, "Seite nicht gefunden", status_code=404)


def test_server_error_page_renders_without_a_request():
    # Django renders 500.html with an empty context; it must not depend on context processors.
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert html.count("<h1") == 1
    assert "Technischer Fehler" in html


def test_builds_the_tree_on_an_empty_database(db):
    # After a flush (transactional tests) Wagtail's root page and site are gone too.
    Site.objects.all().delete()
    Page.objects.all().delete()
    home = ensure_site_tree(programmes=[ProgrammeFactory()])
    assert home.get_parent().is_root()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
