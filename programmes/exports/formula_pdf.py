"""The allocation list of a fixed formula run as a PDF: A4 landscape, for the file and the committee.

Heading (programme, year, title, who fixed it when, total, remainder, the rules), the table with a header
repeated on every page and a totals row, the steps in words, and the hash on every page; «Seite X von Y».
Layout helpers (fonts, styles, footer canvas) are the staffing key's, in ``pdf``.
"""

import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

from ..models import AllocationRun
from .formula_table import FormulaTable, formula_table
from .pdf import HEADER_FILL, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, _footer, _p, _RunCanvas
from .table import author_name, format_number


def _applicant_cell(row) -> list:
    cell = [_p(row.name, "cell"), _p(row.key, "cell")]
    if row.is_association:
        cell.append(_p(_("Verbund aus %(count)s Kommunen") % {"count": len(row.members)}, "cell"))
    return cell


def _municipalities_cell(row) -> list:
    """A Verbund's members one per line with AGS and population; a municipality with its AGS."""
    if not row.is_association:
        return [_p(f"{row.municipalities_display} ({row.ags_display})", "cell")]
    return [_p(f"{m.name} ({m.ags}, {format_number(m.population)})", "cell") for m in row.members]


def _allocation_table(table: FormulaTable) -> Table:
    header = [_p(text, "cell_bold") for text in (_("Antragsteller / Aktenzeichen"), _("Kommune(n)"))] + [
        _p(text, "cell_right_bold") for text in (_("Einwohnerzahl"), _("Größte Stelle"), _("Anteil"),
                                                 _("Betrag"))
    ] + [_p(text, "cell_bold") for text in (_("förderfähig"), _("Begründung"))]
    data = [header]
    for row in table.rows:
        data.append([
            _applicant_cell(row), _municipalities_cell(row), _p(row.population_display, "cell_right"),
            _p(row.fte_display, "cell_right"), _p(row.percent_display, "cell_right"),
            _p(row.amount_display, "cell_right"), _p(row.eligible_display, "cell"), _p(row.reason_display, "cell"),
        ])
    data.append([
        _p(_("Summe"), "cell_bold"), "", _p(table.population_sum_display, "cell_right_bold"), "",
        _p(table.amount_sum_percent_display, "cell_right_bold"), _p(table.amount_sum_display, "cell_right_bold"),
        "", "",
    ])
    widths = [50 * mm, 46 * mm, 28 * mm, 22 * mm, 18 * mm, 28 * mm, 22 * mm, 53 * mm]  # 267 mm: the page less margins
    result = Table(data, colWidths=widths, repeatRows=1)
    result.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.lightgrey),
        ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return result


def _rules_table(table: FormulaTable) -> Table:
    data = [[_p(label, "cell_bold"), _p(value, "cell")] for label, value in table.rule_items]
    result = Table(data, colWidths=[70 * mm, PAGE_WIDTH - 2 * MARGIN - 70 * mm])
    result.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return result


def formula_pdf(run: AllocationRun) -> bytes:
    """The allocation list of a fixed formula run, from its stored JSON only."""
    table = formula_table(run)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=18 * mm, title=run.title, author=author_name(run),
        subject=_("Verteilungsliste %(programme)s %(year)s") % {"programme": run.programme.name, "year": run.year},
        creator=settings.DISTRICT_NAME,
    )
    created = timezone.localtime(run.created_at)
    heading = _("Verteilungsliste %(programme)s %(year)s") % {"programme": run.programme.name, "year": run.year}
    meta = _("%(title)s · %(district)s · festgesetzt am %(date)s um %(time)s Uhr von %(who)s") % {
        "title": run.title, "district": settings.DISTRICT_NAME, "date": created.strftime("%d.%m.%Y"),
        "time": created.strftime("%H:%M"), "who": author_name(run),
    }
    story = [_p(heading, "title"), _p(meta, "meta")]
    if run.follows_id:
        story.append(_p(_("Folgt auf den Lauf „%(run)s“ und verteilt frei gewordene Mittel neu.")
                        % {"run": run.follows}, "meta"))
    story += [
        _p(_("Zu verteilen: %(total)s · verteilt: %(sum)s an %(funded)s von %(count)s Antragstellern · nicht "
             "verteilter Rest: %(rest)s") % {
            "total": table.total_display, "sum": table.amount_sum_display, "funded": table.funded_count,
            "count": len(table.rows), "rest": table.remainder_display}, "body"),
        _p(_("Regeln"), "heading"), _rules_table(table),
        # No keep-with-next: a long table would be pushed whole onto a new page instead of splitting.
        CondPageBreak(40 * mm),
        _p(_("Verteilung auf %(count)s Antragsteller") % {"count": format_number(len(table.rows))}, "table_heading"),
        _allocation_table(table),
        Spacer(1, 3 * mm),
        _p(_("Rechenweg"), "heading"),
        *[_p(explanation, "body") for explanation in table.steps],
        _p(_("Prüfsumme der Eingaben (SHA-256): %(hash)s") % {"hash": run.input_hash}, "meta"),
    ]
    draw = _footer(run)
    document.build(story, onFirstPage=draw, onLaterPages=draw, canvasmaker=_RunCanvas)
    return buffer.getvalue()
