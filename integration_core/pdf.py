"""PDF basics every part shares: the embedded font and "Seite X von Y" numbering.

DejaVu Sans ships with the code (``integration_core/fonts``, free licence): names such as
"Kadın Dayanışma Derneği" need glyphs beyond Latin-1, and every machine renders alike.
"""

import functools
from pathlib import Path

from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT = "PortalSans"
FONT_BOLD = "PortalSans-Bold"
GREY = HexColor("#4a4a4a")
_FONT_DIR = Path(__file__).resolve().parent / "fonts"


@functools.cache
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


class NumberedCanvas(Canvas):
    """Holds pages back until the end so each footer can say "Seite X von Y".

    Subclasses place the label: ``footer_right`` is the distance from the right page edge,
    ``footer_y`` from the bottom, both in points.
    """

    footer_right: float = 56.7
    footer_y: float = 34.0
    footer_size: float = 8

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        register_fonts()
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, self.footer_size)
            self.setFillColor(GREY)
            label = _("Seite %(page)s von %(pages)s") % {"page": number, "pages": total}
            self.drawRightString(self._pagesize[0] - self.footer_right, self.footer_y, label)
            super().showPage()
        super().save()
