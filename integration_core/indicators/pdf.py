"""The municipality dashboard as a PDF for the twice-yearly mailing (A4 landscape: tables of up to 8 columns).

The same sections as the page (``presentation.sections``): each chart drawn with reportlab graphics
next to, or above, its table; hidden cells "·" with the explanation at the top.
"""

from __future__ import annotations

import functools
import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..pdf import FONT, FONT_BOLD, GREY, NumberedCanvas, register_fonts
from .charts import Chart
from .dashboard import Dashboard
from .presentation import Section, sections, suppression_note

MARGIN = 16 * mm
PAGE = landscape(A4)
WIDTH = PAGE[0] - 2 * MARGIN
HEADER_FILL = colors.HexColor("#e8ebef")


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, spaceAfter=4)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=4),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14,
                                  spaceBefore=10, spaceAfter=4, keepWithNext=1),
        "body": body,
        "meta": ParagraphStyle("meta", parent=body, textColor=GREY),
        "cell": cell,
        "cell_bold": ParagraphStyle("cell_bold", parent=cell, fontName=FONT_BOLD),
        "cell_right": ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        "cell_right_bold": ParagraphStyle("cell_right_bold", parent=cell, fontName=FONT_BOLD, alignment=TA_RIGHT),
    }


def _p(text, style: str) -> Paragraph:
    return Paragraph(escape(str(text)), styles()[style])


class _Canvas(NumberedCanvas):
    footer_right = MARGIN
    footer_y = 9 * mm
    footer_size = 7.5


def _drawing(chart: Chart) -> Drawing:
    """The chart's geometry, scaled to the page width (SVG y grows downwards, PDF y upwards)."""
    scale = min(1.0, WIDTH / chart.width)
    drawing = Drawing(chart.width * scale, chart.height * scale)

    def y(value: float) -> float:
        return (chart.height - value) * scale

    drawing.add(Line(chart.plot_x * scale, 0, chart.plot_x * scale, chart.height * scale, strokeColor=GREY))
    for group in chart.groups:
        drawing.add(String((chart.plot_x - 6) * scale, y(group.y), group.label[:44], fontName=FONT,
                           fontSize=8 * scale + 1, textAnchor="end"))
        for bar in group.bars:
            if bar.width:
                drawing.add(Rect(chart.plot_x * scale, y(bar.y + 13), bar.width * scale, 13 * scale,
                                 fillColor=colors.HexColor(bar.colour), strokeColor=None))
            drawing.add(String(bar.label_x * scale, y(bar.y + 10), bar.label, fontName=FONT, fontSize=7.5 * scale + 1))
    return drawing


def _table(section: Section) -> Table:
    header = [_p(section.headings[0], "cell_bold"), *(_p(h, "cell_right_bold") for h in section.headings[1:])]
    data = [header] + [[_p(row.label, "cell"), *(_p(cell, "cell_right") for cell in row.cells)] for row in section.rows]
    first = WIDTH * (0.3 if len(section.headings) > 4 else 0.45)
    rest = (WIDTH - first) / max(len(section.headings) - 1, 1)
    table = Table(data, colWidths=[first] + [rest] * (len(section.headings) - 1), repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def dashboard_pdf(dashboard: Dashboard) -> bytes:
    buffer = io.BytesIO()
    title = _("Monitoring %(name)s – %(period)s") % {"name": dashboard.municipality.name,
                                                     "period": dashboard.period.label}
    document = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                 bottomMargin=18 * mm, title=title, author=settings.DISTRICT_NAME,
                                 subject=_("Integrationsmonitoring"), creator=settings.DISTRICT_NAME)
    story = [
        _p(title, "title"),
        _p(_("%(district)s · %(unit)s · Stand %(date)s · %(population)s Einwohner:innen; Vergleich mit dem "
             "Landkreis (%(count)s Kommunen)") % {
            "district": settings.DISTRICT_NAME, "unit": settings.DISTRICT_UNIT,
            "date": f"{dashboard.created_on:%d.%m.%Y}", "population": f"{dashboard.population:,}".replace(",", "."),
            "count": dashboard.municipality_count}, "meta"),
        _p(suppression_note(), "body"),
    ]
    for section in sections(dashboard):
        story.append(_p(section.title, "heading"))
        if section.chart is not None:
            story.append(KeepTogether([_drawing(section.chart), Spacer(1, 3 * mm)]))
        story.append(_table(section) if section.rows else _p(_("Keine Daten im Zeitraum."), "body"))
    document.build(story, canvasmaker=_Canvas)
    return buffer.getvalue()
