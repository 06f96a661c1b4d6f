"""Page layout shared by all letters: fonts, styles, DIN 5008 form B geometry, letterhead and footer.

Only settings and our own texts are drawn directly on the canvas (no markup
there); everything an applicant typed reaches the page through
``blocks.para``, which escapes reportlab's paragraph markup.
"""

import functools
import io

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, KeepInFrame, NextPageTemplate, PageTemplate

from integration_core.pdf import FONT, FONT_BOLD, GREY, NumberedCanvas, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4

# DIN 5008 form B, measured from the top left corner of the sheet.
LEFT = 25 * mm
RIGHT = 20 * mm
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
ADDRESS_TOP, ADDRESS_WIDTH, ADDRESS_HEIGHT = 45 * mm, 85 * mm, 45 * mm
RETURN_LINE_HEIGHT = 17.7 * mm  # Zusatz- und Vermerkzone above the address proper
INFO_LEFT, INFO_TOP, INFO_WIDTH = 125 * mm, 50 * mm, 75 * mm
BODY_TOP_FIRST = 98.5 * mm
BODY_TOP_LATER = 25 * mm
FOOTER_HEIGHT = 25 * mm
FOLD_MARKS = (105 * mm, 210 * mm)
HOLE_MARK = PAGE_HEIGHT / 2

@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13.5, spaceAfter=5)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7, leading=9, spaceAfter=0, textColor=GREY),
        "address": ParagraphStyle("address", parent=body, spaceAfter=0, leading=12.5),
        "info": ParagraphStyle("info", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
        "subject": ParagraphStyle("subject", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14, spaceAfter=2),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=FONT_BOLD, spaceBefore=7, spaceAfter=3, keepWithNext=1
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=FONT_BOLD, fontSize=9.5, leading=12,
                                    spaceAfter=0),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=9.5, leading=12, spaceAfter=0,
                                     alignment=TA_RIGHT),
        "cell_right_bold": ParagraphStyle("cell_right_bold", parent=body, fontName=FONT_BOLD, fontSize=9.5,
                                          leading=12, spaceAfter=0, alignment=TA_RIGHT),
    }


def district_address_line() -> str:
    address = settings.DISTRICT_ADDRESS
    return f"{address['street']} {address['number']}, {address['postcode']} {address['town']}"


class LetterCanvas(NumberedCanvas):
    footer_right = RIGHT
    footer_y = 12 * mm


def _footer(canvas) -> None:
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.3)
    canvas.line(LEFT, FOOTER_HEIGHT - 6 * mm, PAGE_WIDTH - RIGHT, FOOTER_HEIGHT - 6 * mm)
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(GREY)
    canvas.drawString(LEFT, 15 * mm, f"{settings.DISTRICT_NAME} · {settings.DISTRICT_UNIT} · {district_address_line()}")
    bank = _("Bankverbindung: %(name)s · IBAN %(iban)s · BIC %(bic)s") % {
        "name": settings.DISTRICT_NAME, "iban": format_iban(settings.DISTRICT_IBAN), "bic": settings.DISTRICT_BIC,
    }
    canvas.drawString(LEFT, 12 * mm, bank)


def format_iban(iban: str) -> str:
    compact = iban.replace(" ", "")
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def _first_page(canvas, doc) -> None:
    canvas.saveState()
    top = PAGE_HEIGHT
    canvas.setFillColor(HexColor("#000000"))
    canvas.setFont(FONT_BOLD, 15)
    canvas.drawString(LEFT, top - 20 * mm, settings.DISTRICT_NAME)
    canvas.setFont(FONT, 10.5)
    canvas.drawString(LEFT, top - 26 * mm, settings.DISTRICT_UNIT)
    # Return address in the Zusatz- und Vermerkzone, visible in the envelope window.
    canvas.setFont(FONT, 7)
    canvas.setFillColor(GREY)
    sender = f"{settings.DISTRICT_NAME} · {district_address_line()}"
    canvas.drawString(LEFT, top - ADDRESS_TOP - RETURN_LINE_HEIGHT + 2 * mm, sender)
    # Fold and hole marks at the left edge.
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.3)
    for y in FOLD_MARKS:
        canvas.line(4 * mm, top - y, 9 * mm, top - y)
    canvas.line(4 * mm, top - HOLE_MARK, 11 * mm, top - HOLE_MARK)
    _footer(canvas)
    canvas.restoreState()


def _later_page(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.setFillColor(GREY)
    canvas.drawString(LEFT, PAGE_HEIGHT - 15 * mm, f"{settings.DISTRICT_NAME} · {doc.title}")
    _footer(canvas)
    canvas.restoreState()


def _frame(name, left, top, width, height) -> Frame:
    return Frame(left, PAGE_HEIGHT - top - height, width, height, id=name,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _templates() -> list[PageTemplate]:
    address_top = ADDRESS_TOP + RETURN_LINE_HEIGHT
    first = PageTemplate(id="first", onPage=_first_page, frames=[
        _frame("address", LEFT, address_top, ADDRESS_WIDTH - 5 * mm, ADDRESS_HEIGHT - RETURN_LINE_HEIGHT),
        _frame("info", INFO_LEFT, INFO_TOP, INFO_WIDTH, ADDRESS_HEIGHT),
        _frame("body", LEFT, BODY_TOP_FIRST, TEXT_WIDTH, PAGE_HEIGHT - BODY_TOP_FIRST - FOOTER_HEIGHT),
    ])
    later = PageTemplate(id="later", onPage=_later_page, frames=[
        _frame("body", LEFT, BODY_TOP_LATER, TEXT_WIDTH, PAGE_HEIGHT - BODY_TOP_LATER - FOOTER_HEIGHT),
    ])
    return [first, later]


def build_pdf(*, title: str, address: list, info: list, body: list) -> bytes:
    """Lay out one letter: address field, information block, then the body over as many pages as needed."""
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, pageTemplates=_templates(), title=title, author=settings.DISTRICT_NAME,
        subject=title, creator=str(settings.DISTRICT_UNIT), lang=get_language() or settings.LANGUAGE_CODE,
        displayDocTitle=True,
    )
    # Shrink rather than spill: an overlong name must not push the address into the info block.
    story = [
        NextPageTemplate("later"),
        KeepInFrame(ADDRESS_WIDTH - 5 * mm, ADDRESS_HEIGHT - RETURN_LINE_HEIGHT, address, mode="shrink"),
        FrameBreak(),
        KeepInFrame(INFO_WIDTH, ADDRESS_HEIGHT, info, mode="shrink"),
        FrameBreak(),
        *body,
    ]
    doc.build(story, canvasmaker=LetterCanvas)
    return buffer.getvalue()
