"""Which page may live where: the public tree stays the shape the navigation expects."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import AccessibilityStatementPage, ContentPage, HomePage, ProgrammeIndexPage, ProgrammePage


class PageTypeRulesTest(WagtailPageTestCase):
    def test_home_holds_index_content_and_statement(self):
        self.assertAllowedSubpageTypes(
            HomePage, {ProgrammeIndexPage, ContentPage, AccessibilityStatementPage}
        )

    def test_home_only_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_programme_pages_only_in_the_index(self):
        self.assertAllowedSubpageTypes(ProgrammeIndexPage, {ProgrammePage})
        self.assertAllowedParentPageTypes(ProgrammePage, {ProgrammeIndexPage})
        self.assertCanNotCreateAt(HomePage, ProgrammePage)
        self.assertCanNotCreateAt(ContentPage, ProgrammePage)

    def test_index_and_statement_only_below_home(self):
        self.assertAllowedParentPageTypes(ProgrammeIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(AccessibilityStatementPage, {HomePage})

    def test_leaf_pages_have_no_children(self):
        self.assertAllowedSubpageTypes(ProgrammePage, set())
        self.assertAllowedSubpageTypes(AccessibilityStatementPage, set())

    def test_content_pages_nest(self):
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})
        self.assertCanCreateAt(ContentPage, ContentPage)
