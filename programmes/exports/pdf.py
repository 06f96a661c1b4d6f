"""The allocation list of a run as a PDF: A4 landscape, for the file and the committee.

Font: DejaVu Sans from ``integration_core.pdf``, embedded as TrueType.
It covers Latin-1 — every German municipality name — and embedding makes the file look the same on every
machine. (The letters' DejaVu font lives in ``grants``, which programmes must not import.)
"""

import functools
import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from integration_core.pdf import FONT, FONT_BOLD, GREY, NumberedCanvas, register_fonts

from ..models import AllocationRun
from .table import author_name, format_number, run_table

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 15 * mm
HEADER_FILL = colors.HexColor("#e8ebef")


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=4),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14,
                                  spaceBefore=8, spaceAfter=3, keepWithNext=1),
        "table_heading": ParagraphStyle("table_heading", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14,
                                        spaceBefore=8, spaceAfter=3),
        "body": body,
        "meta": ParagraphStyle("meta", parent=body, textColor=GREY),
        "cell": cell,
        "cell_bold": ParagraphStyle("cell_bold", parent=cell, fontName=FONT_BOLD),
        "cell_right": ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        "cell_right_bold": ParagraphStyle("cell_right_bold", parent=cell, fontName=FONT_BOLD, alignment=TA_RIGHT),
    }


def _p(text: str, style: str) -> Paragraph:
    """Text as a paragraph with reportlab's markup characters escaped (names may contain & or <)."""
    return Paragraph(escape(str(text)), styles()[style])


class _RunCanvas(NumberedCanvas):
    footer_right = MARGIN
    footer_y = 8 * mm
    footer_size = 7.5


def _footer(run: AllocationRun):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN, 12 * mm, PAGE_WIDTH - MARGIN, 12 * mm)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, 8 * mm, _("Prüfsumme der Eingaben (SHA-256): %(hash)s") % {"hash": run.input_hash})
        canvas.restoreState()

    return draw


def _allocation_table(run: AllocationRun, table) -> Table:
    header = [_p(text, "cell_bold") for text in (_("Kommune"), _("AGS"))] + [
        _p(text, "cell_right_bold") for text in (_("Einwohnerzahl"), _("Stichtag"), _("städtisch"), _("Gewicht"),
                                                 _("Anteil"), table.amount_heading)
    ]
    data = [header]
    for row in table.rows:
        data.append([
            _p(row.name, "cell"), _p(row.key, "cell"), _p(row.population_display, "cell_right"),
            _p(row.reference_date.strftime("%d.%m.%Y"), "cell_right"), _p(row.urban_display, "cell_right"),
            _p(row.weight_display, "cell_right"), _p(row.percent_display, "cell_right"),
            _p(row.amount_display, "cell_right"),
        ])
    data.append([
        _p(_("Summe"), "cell_bold"), "", _p(table.population_sum_display, "cell_right_bold"), "", "",
        _p(table.weight_sum_display, "cell_right_bold"), _p(table.amount_sum_percent_display, "cell_right_bold"),
        _p(table.amount_sum_display, "cell_right_bold"),
    ])
    widths = [64 * mm, 22 * mm, 30 * mm, 24 * mm, 22 * mm, 32 * mm, 22 * mm, 36 * mm]
    result = Table(data, colWidths=widths, repeatRows=1)
    result.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.lightgrey),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return result


def run_pdf(run: AllocationRun) -> bytes:
    table = run_table(run)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=18 * mm, title=run.title, author=author_name(run), subject=run.get_kind_display(),
        creator=settings.DISTRICT_NAME,
    )
    created = timezone.localtime(run.created_at)
    if run.pk is None:  # an unsaved preview from the calculator: say so on the paper
        template = _("%(kind)s · %(district)s · Vorschau, nicht gespeichert – berechnet am %(date)s um %(time)s Uhr "
                     "von %(who)s")
    else:
        template = _("%(kind)s · %(district)s · gespeichert am %(date)s um %(time)s Uhr von %(who)s")
    meta = template % {
        "kind": run.get_kind_display(), "district": settings.DISTRICT_NAME, "date": created.strftime("%d.%m.%Y"),
        "time": created.strftime("%H:%M"), "who": author_name(run),
    }
    story = [_p(run.title, "title"), _p(meta, "meta")]
    if run.follows_id:
        story.append(_p(_("Folgt auf den Lauf „%(run)s“ und verteilt dessen nicht verwendete Mittel neu.")
                        % {"run": run.follows}, "meta"))
    story += [
        _p(_("Regeln"), "heading"), _p(table.rules_text, "body"),
        # No keep-with-next here: a long table would be pushed whole onto a new page instead of splitting.
        CondPageBreak(40 * mm),
        _p(_("Verteilung auf %(count)s Kommunen") % {"count": format_number(len(table.rows))}, "table_heading"),
        _allocation_table(run, table),
        Spacer(1, 3 * mm),
        _p(_("Zu verteilen: %(total)s · verteilt: %(sum)s · nicht verteilter Rest: %(rest)s") % {
            "total": table.total_display, "sum": table.amount_sum_display, "rest": table.remainder_display}, "body"),
        _p(_("Rechenweg"), "heading"),
        *[_p(explanation, "body") for explanation in table.steps],
        _p(_("Prüfsumme der Eingaben (SHA-256): %(hash)s") % {"hash": run.input_hash}, "meta"),
    ]
    draw = _footer(run)
    document.build(story, onFirstPage=draw, onLaterPages=draw, canvasmaker=_RunCanvas)
    return buffer.getvalue()
