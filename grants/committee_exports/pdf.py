"""The approval list (Beschlussvorlage) as a PDF laid out like a district committee paper, A4 landscape.

Letterhead with the paper number, the consultation line (committee, public/closed, date), the budget
reference of each programme (Teilhaushalt, Produktgruppe, Produkt), the proposed resolution, a table per
programme (header repeated on every page) with its totals and the budget left after approval, the overall
totals, the declared conflicts of interest, and a line for the committee's decision. «Seite X von Y».
"""

import io

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from ..models import Meeting
from .layout import (
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PaperCanvas,
    footer,
    grid,
    letterhead,
    lines,
    p,
    signature_block,
)
from .table import ApprovalTable, Section, approval_table, eur

# 267 mm, the page between the margins: TOP, applicant, municipality, project, three amounts, justification.
ROW_WIDTHS = [10 * mm, 44 * mm, 26 * mm, 46 * mm, 27 * mm, 27 * mm, 27 * mm, 60 * mm]
AMOUNT_COLUMNS = (4, 6)


def _consultation(table: ApprovalTable) -> Table:
    data = [[_("Beratungsfolge"), _("Status"), _("Datum")],
            [p(table.committee, "cell"), table.status_display, table.date_display]]
    return grid(data, [177 * mm, 50 * mm, 40 * mm])


def _budget_reference(table: ApprovalTable) -> Table:
    data = [[_("Förderprogramm"), _("Teilhaushalt"), _("Produktgruppe"), _("Produkt(e)")]]
    for section in table.sections:
        data.append([p(section.programme, "cell"), p(section.budget_part or "–", "cell"),
                     p(section.product_group or "–", "cell"), p(section.product or "–", "cell")])
    return grid(data, [70 * mm, 60 * mm, 60 * mm, 77 * mm])


def _justification(row) -> str:
    text = [row.justification or "–"]
    if row.conditions:
        text.append(_("Auflagen: %(conditions)s") % {"conditions": row.conditions})
    if row.conflicts:
        text.append(_("Befangen: %(names)s") % {"names": ", ".join(c.member for c in row.conflicts)})
    return "\n".join(text)


def _section_table(section: Section) -> Table:
    """Plain pre-broken lines in the cells (see ``layout.lines``): the list may have hundreds of rows."""
    w = ROW_WIDTHS
    headings = [_("Nr."), _("Antragsteller / Aktenzeichen"), _("Kommune"), _("Vorhaben"), _("Gesamtkosten"),
                _("Kofinanzierung"), _("Empfohlen"), _("Kurzbegründung")]
    data = [[lines(text, width, bold=True) for text, width in zip(headings, w, strict=True)]]
    for row in section.rows:
        data.append([str(row.number), lines(f"{row.applicant}\n{row.file_number}", w[1]),
                     lines(row.municipality or "–", w[2]), lines(row.title, w[3]), eur(row.total_costs),
                     eur(row.cofinancing), eur(row.recommended), lines(_justification(row), w[7])])
    label = _("Summe %(programme)s (%(count)s Anträge)") % {"programme": section.programme,
                                                          "count": len(section.rows)}
    data.append(["", lines(label, w[1] + w[2] + w[3], bold=True), "", "", eur(section.total_costs),
                 eur(section.cofinancing), eur(section.recommended), ""])
    table = grid(data, ROW_WIDTHS, total_rows=1, right_from=AMOUNT_COLUMNS[0], right_to=AMOUNT_COLUMNS[1])
    table.setStyle(TableStyle([("ALIGN", (0, 0), (0, -1), "RIGHT"), ("SPAN", (1, -1), (3, -1))]))
    return table


def _budget_lines(section: Section) -> Table:
    data = [
        [_("Haushaltsmittel %(year)s, noch verfügbar") % {"year": section.budget_year},
         eur(section.budget_remaining) if section.budget_remaining is not None else _("kein Haushaltsansatz")],
        [_("empfohlene Bewilligungen"), eur(section.recommended)],
        [_("verbleibend nach Bewilligung"), eur(section.remaining_after)],
    ]
    table = grid([[_("Haushalt"), ""], *data], [80 * mm, 35 * mm], total_rows=1, right_from=1)
    table.hAlign = "RIGHT"
    return table


def _overview(table: ApprovalTable) -> Table:
    widths = [65 * mm, 18 * mm, *[36.8 * mm] * 5]
    headings = [_("Förderprogramm"), _("Anträge"), _("Gesamtkosten"), _("Kofinanzierung"), _("Empfohlen"),
                _("noch verfügbar"), _("verbleibend nach Bewilligung")]
    data = [[lines(text, width, bold=True) for text, width in zip(headings, widths, strict=True)]]
    for s in table.sections:
        data.append([p(s.programme, "cell"), str(len(s.rows)), eur(s.total_costs), eur(s.cofinancing),
                     eur(s.recommended), eur(s.budget_remaining), eur(s.remaining_after)])
    data.append([_("Gesamtsumme"), str(len(table.rows)), eur(table.total_costs), eur(table.cofinancing),
                 eur(table.recommended), eur(table.budget_remaining), eur(table.remaining_after)])
    return grid(data, widths, total_rows=1, right_from=1)


def _conflicts(table: ApprovalTable) -> list:
    story = [p(_("Erklärte Befangenheiten"), "heading")]
    conflicts = table.conflicts
    if not conflicts:
        return [*story, p(_("Für keinen Tagesordnungspunkt wurde Befangenheit erklärt."), "body")]
    data = [[_("Nr."), _("Antragsteller"), _("Mitglied"), _("Grund")]]
    for c in conflicts:
        data.append([str(c.position), p(c.applicant, "cell"), p(c.member, "cell"), p(c.reason_display, "cell")])
    table = grid(data, [12 * mm, 80 * mm, 60 * mm, 115 * mm], right_from=0, right_to=0)
    story += [table, Spacer(1, 2 * mm),
              p(_("Befangene Mitglieder wirken an Beratung und Entscheidung dieses Punktes nicht mit "
                  "(§ 14 LKrO, § 18 GemO)."), "meta")]
    return story


def _decision_line() -> KeepTogether:
    box = "\u2610"
    options = [_("%(box)s wie vorgeschlagen") % {"box": box},
               _("%(box)s abweichend: ____________________________") % {"box": box},
               _("%(box)s vertagt") % {"box": box}, _("%(box)s abgelehnt") % {"box": box}]
    choices = Table([[p(option, "body") for option in options]], colWidths=[55 * mm, 110 * mm, 45 * mm, 45 * mm],
                    hAlign="LEFT")
    votes = Table([[p(text, "body") for text in (_("Abstimmungsergebnis:"), _("Ja ______"), _("Nein ______"),
                                                 _("Enthaltung ______"))]],
                  colWidths=[55 * mm, 35 * mm, 35 * mm, 45 * mm], hAlign="LEFT")
    for table in (choices, votes):
        table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([
        p(_("Beschluss"), "heading"), choices, votes,
        signature_block([_("Datum, Unterschrift Vorsitz"), _("Schriftführung")]),
    ])


def _story(table: ApprovalTable) -> list:
    story = [
        letterhead(_("Beschlussvorlage"), table.paper_number), Spacer(1, 3 * mm),
        p(_("%(committee)s · Sitzung am %(date)s · %(status)s") % {
            "committee": table.committee, "date": table.date_display, "status": table.status_display}, "bold"),
        _consultation(table),
        p(_("Tagesordnungspunkt"), "heading"), p(table.title, "title"),
        p(_("Bezug zum Haushalt"), "heading"), _budget_reference(table),
        p(_("Beschlussvorschlag"), "heading"),
        p(_("Der %(committee)s bewilligt die nachstehend aufgeführten %(count)s Zuwendungen in Höhe von "
            "insgesamt %(total)s nach der Empfehlung der Verwaltung.") % {
            "committee": table.committee, "count": len(table.rows), "total": eur(table.recommended)}, "body"),
    ]
    if table.location:
        story.append(p(_("Sitzungsort: %(location)s") % {"location": table.location}, "meta"))
    for section in table.sections:
        story += [
            # No keep-with-next: a long table would be pushed whole onto a new page instead of splitting.
            CondPageBreak(40 * mm),
            p(section.programme, "table_heading"),
            p(_("Bezug zum Haushalt: %(reference)s") % {"reference": section.budget_reference_text}, "meta"),
            _section_table(section), Spacer(1, 2 * mm), _budget_lines(section),
        ]
    story += [CondPageBreak(40 * mm), p(_("Gesamtübersicht"), "heading"), _overview(table), *_conflicts(table),
              _decision_line()]
    return story


def approval_pdf(meeting: Meeting, table: ApprovalTable | None = None) -> bytes:
    """The approval list of a frozen meeting as PDF bytes (ValidationError if the agenda is not frozen)."""
    table = table or approval_table(meeting)
    buffer = io.BytesIO()
    title = _("Beschlussvorlage %(committee)s, Sitzung am %(date)s") % {
        "committee": table.committee, "date": table.date_display}
    document = SimpleDocTemplate(
        buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=18 * mm, title=title, author=table.district, creator=table.district,
        subject=_("Drucksache Nr. %(number)s") % {"number": table.paper_display},
    )
    draw = footer(f"{title} · {table.status_display} · " + _("Drucksache Nr. %(number)s") % {
        "number": table.paper_display})
    document.build(_story(table), onFirstPage=draw, onLaterPages=draw, canvasmaker=PaperCanvas)
    return buffer.getvalue()

