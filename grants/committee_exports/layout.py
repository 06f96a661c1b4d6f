"""Page, styles and building blocks shared by the approval list and the minutes PDFs (A4 landscape).

Fonts and «Seite X von Y» come from ``integration_core.pdf`` (DejaVu Sans, embedded: names such as
«Kadın Dayanışma Derneği» and the ☐ of the decision line need glyphs beyond Latin-1).
"""

import functools
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Paragraph, Table, TableStyle

from integration_core.pdf import FONT, FONT_BOLD, GREY, NumberedCanvas, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 15 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADER_FILL = colors.HexColor("#e8ebef")
TOTAL_FILL = colors.HexColor("#f4f5f7")
PDF_CONTENT_TYPE = "application/pdf"


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0)
    return {
        "district": ParagraphStyle("district", parent=body, fontName=FONT_BOLD, fontSize=13, leading=16,
                                   spaceAfter=0),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19, spaceBefore=6,
                                spaceAfter=6),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14,
                                  spaceBefore=8, spaceAfter=3, keepWithNext=1),
        "table_heading": ParagraphStyle("table_heading", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14,
                                        spaceBefore=8, spaceAfter=3),
        "body": body,
        "bold": ParagraphStyle("bold", parent=body, fontName=FONT_BOLD),
        "meta": ParagraphStyle("meta", parent=body, textColor=GREY),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "cell": cell,
        "cell_small": ParagraphStyle("cell_small", parent=cell, fontSize=7, leading=8.5, textColor=GREY),
        "cell_bold": ParagraphStyle("cell_bold", parent=cell, fontName=FONT_BOLD),
        "cell_right_bold": ParagraphStyle("cell_right_bold", parent=cell, fontName=FONT_BOLD, alignment=TA_RIGHT),
    }


def p(text, style: str = "body") -> Paragraph:
    """Text as a paragraph with reportlab's markup characters escaped (names may contain & or <)."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), styles()[style])


def lines(text, width: float, *, bold: bool = False, size: float = 8) -> str:
    """``text`` broken into lines that fit ``width`` (a column less its padding), as one plain cell string.

    Long lists use these instead of paragraphs: a table cell of plain lines needs no markup parsing and no
    re-wrapping when the table splits across pages, which keeps 500 rows well inside the time budget.
    """
    register_fonts()
    font = FONT_BOLD if bold else FONT
    return "\n".join(line for part in str(text).splitlines() or [""]
                     for line in (simpleSplit(part, font, size, width - 6) or [""]))


class PaperCanvas(NumberedCanvas):
    footer_right = MARGIN
    footer_y = 8 * mm
    footer_size = 7.5


def footer(left_text: str):
    """A rule and ``left_text`` (document, committee, date) at the foot of every page."""

    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN, 12 * mm, PAGE_WIDTH - MARGIN, 12 * mm)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, 8 * mm, left_text)
        canvas.restoreState()

    return draw


def grid(data: list, widths: list[float], *, header_rows: int = 1, total_rows: int = 0,
         right_from: int | None = None, right_to: int | None = None) -> Table:
    """A list table: shaded header repeated on every page, thin row rules, bold totals at the foot.

    Plain strings in ``right_from``..``right_to`` are right-aligned numbers (cheaper than paragraphs).
    """
    table = Table(data, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LEADING", (0, 0), (-1, -1), 10),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("FONTNAME", (0, 0), (-1, header_rows - 1), FONT_BOLD),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    last_body = -1 - total_rows
    commands.append(("LINEBELOW", (0, header_rows), (-1, last_body), 0.25, colors.lightgrey))
    if right_from is not None:
        commands.append(("ALIGN", (right_from, 0), (right_to if right_to is not None else -1, -1), "RIGHT"))
    if total_rows:
        commands += [
            ("LINEABOVE", (0, -total_rows), (-1, -total_rows), 0.8, colors.black),
            ("BACKGROUND", (0, -total_rows), (-1, -1), TOTAL_FILL),
            ("FONTNAME", (0, -total_rows), (-1, -1), FONT_BOLD),
        ]
    table.setStyle(TableStyle(commands))
    return table


def pairs_table(pairs: list[tuple[str, str]], label_width: float = 45 * mm) -> Table:
    """Label/value lines without rules, like the heading block of a committee paper."""
    data = [[p(label, "bold"), p(value, "body")] for label, value in pairs]
    table = Table(data, colWidths=[label_width, CONTENT_WIDTH - label_width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
    ]))
    return table


def letterhead(document_kind: str, paper_number: str) -> Table:
    """District and unit on the left, the document kind and its number on the right (as on a Drucksache)."""
    left = [p(settings.DISTRICT_NAME, "district"), p(getattr(settings, "DISTRICT_UNIT", ""), "meta")]
    right = [p(document_kind, "cell_right_bold"),
             p(_("Drucksache Nr. %(number)s") % {"number": paper_number or "–"}, "right")]
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH * 0.6, CONTENT_WIDTH * 0.4])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, -1), 0.6, colors.black),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def signature_block(labels: list[str]) -> Table:
    """Lines to sign on, side by side, each with its label below."""
    width = CONTENT_WIDTH / len(labels)
    table = Table([[""] * len(labels), [p(label, "meta") for label in labels]], colWidths=[width] * len(labels),
                  rowHeights=[14 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle([
        *(("LINEBELOW", (column, 0), (column, 0), 0.6, colors.black) for column in range(len(labels))),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 12 * mm),
    ]))
    return table
