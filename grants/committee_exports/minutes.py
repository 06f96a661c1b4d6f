"""The minutes (Niederschrift) of a decided meeting as a PDF, A4 landscape.

Committee, date, public or closed, place and resolution date; the attendance (present and absent members
with role and group); the declared conflicts of interest and that those members took no part in the vote;
each agenda item with its decision (outcome, amount decided, votes if recorded, note); signature lines.
Item figures come from the snapshots the committee read. A fixed number of queries.
"""

import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, SimpleDocTemplate, Spacer

from ..models import AgendaItem, Meeting
from .layout import (
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PaperCanvas,
    footer,
    grid,
    letterhead,
    p,
    pairs_table,
    signature_block,
)
from .table import ZERO, eur, frozen_items, german_date

Outcome = AgendaItem.Outcome


def require_decided(meeting: Meeting) -> None:
    if not meeting.is_decided:
        raise ValidationError(_("Die Niederschrift kann erst erstellt werden, wenn die Beschlüsse der Sitzung "
                                "erfasst sind."))


def _status(meeting: Meeting) -> str:
    return _("öffentlich") if meeting.is_public else _("nichtöffentlich")


def _attendance(members: list) -> list:
    present = [m for m in members if m.present]
    voting = [m for m in present if m.votes]
    data = [[_("Name"), _("Funktion"), _("Fraktion / Organisation"), _("Anwesenheit")]]
    for m in members:
        data.append([p(m.name, "cell"), p(m.get_role_display(), "cell"), p(m.group or "–", "cell"),
                     _("anwesend") if m.present else _("abwesend")])
    return [
        p(_("Anwesenheit"), "heading"),
        p(_("Anwesend: %(present)s von %(total)s Mitgliedern, davon %(voting)s stimmberechtigt. Abwesend: "
            "%(absent)s.") % {"present": len(present), "total": len(members), "voting": len(voting),
                              "absent": ", ".join(m.name for m in members if not m.present) or _("niemand")},
          "body"),
        grid(data, [80 * mm, 70 * mm, 80 * mm, 37 * mm]) if members else p(_("Keine Mitglieder erfasst."), "body"),
    ]


def _conflicts(items: list[AgendaItem]) -> list:
    story = [p(_("Befangenheit"), "heading")]
    rows = [(item, c) for item in items for c in item.conflicts.all()]
    if not rows:
        return [*story, p(_("Für keinen Tagesordnungspunkt wurde Befangenheit erklärt."), "body")]
    data = [[_("Nr."), _("Antragsteller"), _("Mitglied"), _("Grund"), _("Mitwirkung")]]
    for item, c in rows:
        reason = f"{c.get_reason_display()} ({c.note})" if c.note else str(c.get_reason_display())
        data.append([str(item.position), p(item.snapshot.get("applicant", ""), "cell"), p(c.member.name, "cell"),
                     p(reason, "cell"), p(_("hat an Beratung und Abstimmung nicht teilgenommen"), "cell")])
    return [*story, grid(data, [12 * mm, 70 * mm, 50 * mm, 80 * mm, 55 * mm], right_from=0, right_to=0),
            Spacer(1, 2 * mm),
            p(_("Befangene Mitglieder wirken an Beratung und Entscheidung nicht mit (§ 14 LKrO, § 18 GemO); ihre "
                "Stimmen zählen bei diesem Punkt nicht."), "meta")]


def _votes(item: AgendaItem) -> str:
    votes = (item.votes_yes, item.votes_no, item.votes_abstain)
    if all(v is None for v in votes):
        return _("nicht erfasst")
    return _("Ja %(yes)s · Nein %(no)s · Enthaltung %(abstain)s") % {
        "yes": item.votes_yes or 0, "no": item.votes_no or 0, "abstain": item.votes_abstain or 0}


def _item_cell(item: AgendaItem) -> list:
    s = item.snapshot
    cell = [p(s.get("applicant", ""), "cell_bold"), p(s.get("title", ""), "cell"),
            p(f"{s.get('file_number', '')} · {s.get('programme', '')}", "cell_small")]
    if item.carried_from_id:
        cell.append(p(_("vertagt aus der Sitzung am %(date)s") % {
            "date": german_date(item.carried_from.meeting.date)}, "cell_small"))
    return cell


def _note_cell(item: AgendaItem) -> list:
    cell = [p(item.decision_note or "–", "cell")]
    excluded = [c.member.name for c in item.conflicts.all()]
    if excluded:
        cell.append(p(_("ohne Mitwirkung: %(names)s") % {"names": ", ".join(excluded)}, "cell_small"))
    return cell


def _decisions(items: list[AgendaItem]) -> list:
    data = [[_("Nr."), _("Antrag"), _("Empfohlen"), _("Beschluss"), _("Beschlossener Betrag"), _("Abstimmung"),
             _("Vermerk")]]
    approved = ZERO
    for item in items:
        amount = item.decided_amount.amount if item.decided_amount is not None else None
        approved += amount or ZERO
        data.append([str(item.position), _item_cell(item), eur(Decimal(item.snapshot.get("recommended") or "0")),
                     p(item.get_outcome_display() or _("kein Beschluss"), "cell"), eur(amount),
                     p(_votes(item), "cell"), _note_cell(item)])
    count = {outcome: sum(1 for i in items if i.outcome == outcome) for outcome in Outcome.values}
    data.append(["", p(_("Bewilligt insgesamt"), "cell_bold"), "", "", eur(approved), "", ""])
    table = grid(data, [12 * mm, 80 * mm, 26 * mm, 38 * mm, 28 * mm, 33 * mm, 50 * mm], total_rows=1,
                 right_from=2, right_to=2)
    table.setStyle([("ALIGN", (4, 0), (4, -1), "RIGHT"), ("ALIGN", (0, 0), (0, -1), "RIGHT")])
    summary = _("%(approved)s bewilligt wie empfohlen, %(changed)s mit anderem Betrag bewilligt, %(rejected)s "
                "abgelehnt, %(deferred)s vertagt.") % {
        "approved": count[Outcome.APPROVED], "changed": count[Outcome.APPROVED_CHANGED],
        "rejected": count[Outcome.REJECTED], "deferred": count[Outcome.DEFERRED]}
    return [CondPageBreak(40 * mm), p(_("Beschlüsse"), "heading"), p(summary, "body"), table]


def _signatures() -> KeepTogether:
    return KeepTogether([Spacer(1, 6 * mm), signature_block([_("Vorsitz"), _("Schriftführung")])])


def minutes_pdf(meeting: Meeting) -> bytes:
    """The minutes of a meeting whose decisions are recorded (ValidationError before that)."""
    require_decided(meeting)
    items = frozen_items(meeting)
    members = list(meeting.members.order_by("pk"))
    status = _status(meeting)
    title = _("Niederschrift – %(committee)s, Sitzung am %(date)s (%(status)s)") % {
        "committee": meeting.committee, "date": german_date(meeting.date), "status": status}
    story = [
        letterhead(_("Niederschrift"), meeting.paper_number), Spacer(1, 3 * mm), p(title, "title"),
        pairs_table([
            (_("Gremium"), meeting.committee), (_("Sitzung am"), german_date(meeting.date)),
            (_("Status"), status), (_("Sitzungsort"), meeting.location or "–"),
            (_("Beschlussvorlage"), _("Drucksache Nr. %(number)s") % {"number": meeting.paper_number or "–"}),
            (_("Beschlussdatum"), german_date(meeting.resolution_date)),
        ]),
        *_attendance(members), *_conflicts(items), *_decisions(items), _signatures(),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=18 * mm, title=title, subject=_("Niederschrift"),
    )
    draw = footer(title)
    document.build(story, onFirstPage=draw, onLaterPages=draw, canvasmaker=PaperCanvas)
    return buffer.getvalue()
