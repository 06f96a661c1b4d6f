"""Build the public page tree once; safe to run again (the demo seed and ``make run`` call it each start).

Pages are found by type and place (and programme pages by their programme), never by title,
so an editor may retitle a page without the next run creating a duplicate.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from programmes.models import Programme

from . import demo_content
from .models import AccessibilityStatementPage, ContentPage, HomePage, ProgrammeIndexPage, ProgrammePage

HOME_SLUG = "home"


@transaction.atomic
def ensure_site_tree(*, programmes: Iterable[Programme]) -> HomePage:
    """The default site's HomePage with the index, one page per programme and the legal pages."""
    home = _ensure_home()
    index = _ensure_child(
        home, ProgrammeIndexPage, slug="programme",
        title=_("Förderprogramme"), intro=demo_content.programme_index_intro(),
    )
    for programme in programmes:
        _ensure_programme_page(index, programme)
    _ensure_child(
        home, AccessibilityStatementPage, slug="barrierefreiheit",
        title=_("Erklärung zur Barrierefreiheit"), **demo_content.accessibility_statement(today=timezone.localdate()),
    )
    _ensure_child(home, ContentPage, slug="impressum", title=_("Impressum"), body=demo_content.imprint())
    _ensure_child(home, ContentPage, slug="datenschutz", title=_("Datenschutz"), body=demo_content.privacy())
    return home


def _ensure_home() -> HomePage:
    # A database emptied by a flush (or made without Wagtail's initial data) has no root yet.
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.child_of(root).first()
    if home is None:
        welcome = _wagtail_welcome_page(root)
        if welcome is not None:
            # Free the slug "home" for our page; the welcome page goes once the site points away.
            welcome.slug = "willkommen-alt"
            welcome.save()
        home = _publish(root, HomePage(
            title=settings.WAGTAIL_SITE_NAME, slug=HOME_SLUG, intro=demo_content.home_intro(),
        ))
        _point_default_site_at(home)
        if welcome is not None and not Site.objects.filter(root_page=welcome).exists():
            welcome.delete()
    else:
        _point_default_site_at(home)
    return home


def _wagtail_welcome_page(root: Page) -> Page | None:
    """Wagtail's initial "Welcome to your new Wagtail site!" page: a plain Page with no children."""
    plain_page = ContentType.objects.get_for_model(Page)
    candidate = Page.objects.child_of(root).filter(content_type=plain_page, slug=HOME_SLUG).first()
    if candidate is not None and candidate.get_children_count() == 0:
        return candidate
    return None


def _point_default_site_at(home: HomePage) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save()


def _ensure_child(parent: Page, page_class: type[Page], *, slug: str, **fields) -> Page:
    existing = page_class.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    if page_class.max_count == 1 and (existing := page_class.objects.child_of(parent).first()):
        return existing  # an editor changed the slug of a page that exists only once
    return _publish(parent, page_class(slug=slug, **fields))


def _ensure_programme_page(index: ProgrammeIndexPage, programme: Programme) -> ProgrammePage:
    existing = ProgrammePage.objects.filter(programme=programme).first()
    if existing is not None:
        return existing
    slug = _free_slug(index, slugify(programme.code.lower()) or slugify(programme.name))
    return _publish(index, ProgrammePage(
        title=programme.name, slug=slug, programme=programme,
        body=demo_content.programme_body(programme),
    ))


def _free_slug(parent: Page, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
