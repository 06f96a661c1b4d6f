"""StreamField blocks for editorial text; headings start at h2 because the page title is the h1."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

# No headings inside rich text: editors set headings with the heading block, whose levels
# keep the page outline in order (WCAG 1.3.1).
RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingLevel:
    CHOICES = [("h2", _("Überschrift (Ebene 2)")), ("h3", _("Zwischenüberschrift (Ebene 3)"))]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(label=_("Ebene"), choices=HeadingLevel.CHOICES, default="h2")

    class Meta:
        icon = "title"
        label = _("Überschrift")
        template = "cms/blocks/heading.html"


class BulletListBlock(blocks.StructBlock):
    ordered = blocks.BooleanBlock(label=_("Nummerierte Liste"), required=False)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Eintrag"), max_length=500), label=_("Einträge"))

    class Meta:
        icon = "list-ul"
        label = _("Liste")
        template = "cms/blocks/list.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Absatz"), features=RICH_TEXT_FEATURES, icon="pilcrow", template="cms/blocks/paragraph.html"
    )
    list = BulletListBlock()

    class Meta:
        label = _("Inhalt")
