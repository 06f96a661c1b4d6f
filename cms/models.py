"""The public website: home, programme pages, content pages and the accessibility statement.

A programme page holds only editorial text. Every rule it shows (amounts, applicants,
window, deadlines) is read from ``programmes.Programme`` when the page is rendered, so the
public page cannot drift from what the application form enforces.
"""

import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from programmes.models import Programme

from .blocks import RICH_TEXT_FEATURES, BodyBlock

# The applicant-facing form lives in the portal app; pages only link to it.
APPLY_PATH = "/portal/antraege/neu/{code}/"


class HomePage(Page):
    intro = RichTextField(_("Einleitung"), blank=True, features=RICH_TEXT_FEATURES)
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ProgrammeIndexPage", "cms.ContentPage", "cms.AccessibilityStatementPage"]
    max_count = 1

    class Meta:
        verbose_name = _("Startseite")
        verbose_name_plural = _("Startseiten")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["open_programme_pages"] = open_programme_pages(under=self)
        return context


class ProgrammeIndexPage(Page):
    intro = RichTextField(_("Einleitung"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ProgrammePage"]
    max_count = 1  # the main navigation links to /programme/

    class Meta:
        verbose_name = _("Programmübersicht")
        verbose_name_plural = _("Programmübersichten")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programme_pages"] = (
            ProgrammePage.objects.child_of(self).live().public().select_related("programme")
        )
        context["today"] = timezone.localdate()
        return context


class ProgrammePage(Page):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="pages",
        verbose_name=_("Förderprogramm"),
        help_text=_("Die Fördergrundsätze (Beträge, Antragsberechtigte, Fristen) werden aus dem Programm gelesen."),
    )
    intro = models.TextField(
        _("Kurzbeschreibung"),
        blank=True,
        help_text=_("Ein bis zwei Sätze für die Übersicht. Leer: die Beschreibung des Programms."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)
    easy_language = RichTextField(
        _("Text in Leichter Sprache"), blank=True, features=RICH_TEXT_FEATURES,
        help_text=_("Optional: das Programm in Leichter Sprache erklärt."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("programme"),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("easy_language")], heading=_("Leichte Sprache")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("easy_language"),
    ]

    parent_page_types = ["cms.ProgrammeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Programmseite")
        verbose_name_plural = _("Programmseiten")

    @property
    def teaser(self) -> str:
        return self.intro or self.programme.description

    @property
    def apply_url(self) -> str:
        return APPLY_PATH.format(code=self.programme.code)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Evaluated on every request: the button appears and disappears with the window.
        context["today"] = timezone.localdate()
        context["is_open"] = self.programme.is_open(context["today"])
        return context


def open_programme_pages(*, under: Page):
    """Live programme pages below ``under`` whose application window is open today."""
    today = timezone.localdate()
    return (
        ProgrammePage.objects.descendant_of(under).live().public()
        .filter(programme__opens_on__lte=today, programme__closes_on__gte=today)
        .select_related("programme")
    )


class ContentPage(Page):
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("Inhaltsseite")
        verbose_name_plural = _("Inhaltsseiten")


class ConformityStatus(models.TextChoices):
    FULL = "full", _("vollständig vereinbar")
    PARTIAL = "partial", _("teilweise vereinbar")
    NONE = "none", _("nicht vereinbar")


class AccessibilityStatementPage(Page):
    """Erklärung zur Barrierefreiheit with the parts the EU model statement requires."""

    conformity_status = models.CharField(
        _("Stand der Vereinbarkeit"), max_length=10, choices=ConformityStatus.choices,
        default=ConformityStatus.PARTIAL,
    )
    non_accessible_content = RichTextField(
        _("Nicht barrierefreie Inhalte"), blank=True, features=RICH_TEXT_FEATURES,
        help_text=_("Welche Inhalte nicht barrierefrei sind, warum, und welche Alternativen es gibt."),
    )
    prepared_on = models.DateField(_("Erstellt am"))
    reviewed_on = models.DateField(_("Zuletzt überprüft am"), null=True, blank=True)
    assessment_method = models.CharField(
        _("Grundlage der Bewertung"), max_length=300, blank=True,
        default=_("Selbstbewertung durch den Landkreis"),
    )
    feedback_contact = models.CharField(
        _("Kontaktstelle für Rückmeldungen"), max_length=200,
        help_text=_("z. B. Amt für Migration und Integration, Team Förderung"),
    )
    feedback_email = models.EmailField(_("E-Mail-Adresse für Rückmeldungen"))
    feedback_phone = models.CharField(_("Telefon für Rückmeldungen"), max_length=40, blank=True)
    enforcement_procedure = RichTextField(
        _("Schlichtungsverfahren"), features=RICH_TEXT_FEATURES,
        help_text=_("Wie und wo ein Schlichtungsverfahren beantragt werden kann (Schlichtungsstelle)."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("conformity_status"), FieldPanel("non_accessible_content")],
            heading=_("Stand der Vereinbarkeit"),
        ),
        MultiFieldPanel(
            [FieldPanel("prepared_on"), FieldPanel("reviewed_on"), FieldPanel("assessment_method")],
            heading=_("Erstellung dieser Erklärung"),
        ),
        MultiFieldPanel(
            [FieldPanel("feedback_contact"), FieldPanel("feedback_email"), FieldPanel("feedback_phone")],
            heading=_("Feedback und Kontakt"),
        ),
        FieldPanel("enforcement_procedure"),
    ]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("Erklärung zur Barrierefreiheit")
        verbose_name_plural = _("Erklärungen zur Barrierefreiheit")

    @property
    def feedback_phone_uri(self) -> str:
        """tel: link target; keeps a leading + and the digits only."""
        number = self.feedback_phone.strip()
        return "tel:" + ("+" if number.startswith("+") else "") + re.sub(r"\D", "", number)
