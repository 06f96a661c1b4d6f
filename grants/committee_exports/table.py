"""The approval list (Beschlussvorlage) of a frozen meeting as one neutral structure for PDF, XLSX and CSV.

Rows come from the items' snapshots only — what the committee read when the agenda was frozen — in
``position`` order, grouped by programme in the order the programmes first appear. Amounts are Decimal.
The budget figures are the live ``ProgrammeBudget`` of the meeting's year; once the decisions are recorded
the approvals of this meeting are already committed there, so they are added back to show the list as it
was read (remaining before the decision − recommended = remaining after approval).

A fixed number of queries, whatever the number of items: items, their conflicts with members, programmes,
budgets.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from djmoney.money import Money

from programmes.models import Programme, ProgrammeBudget
from programmes.rules import format_eur

from ..models import AgendaItem, ConflictOfInterest, Meeting

ZERO = Decimal("0.00")
APPROVED = (AgendaItem.Outcome.APPROVED, AgendaItem.Outcome.APPROVED_CHANGED)


def eur(value: Decimal | None) -> str:
    """3.000,00 € (German format in the active language), or a dash for no figure."""
    return "–" if value is None else format_eur(Money(value, "EUR"))


def german_date(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "–"


def _decimal(value) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else ZERO


@dataclass(frozen=True)
class Conflict:
    position: int
    applicant: str
    member: str
    group: str
    reason: str  # the label, in the active language
    note: str

    @property
    def reason_display(self) -> str:
        return f"{self.reason} ({self.note})" if self.note else self.reason

    @property
    def short(self) -> str:
        """«Anna Rat: Mitglied im Vorstand …» for a cell."""
        return f"{self.member}: {self.reason_display}"


@dataclass(frozen=True)
class Row:
    item_id: int
    number: int  # the TOP position
    file_number: str
    applicant: str
    municipality: str
    title: str
    total_costs: Decimal
    cofinancing: Decimal
    recommended: Decimal
    justification: str
    conditions: str
    conflicts: tuple[Conflict, ...] = ()

    @property
    def conflicts_display(self) -> str:
        return "; ".join(c.short for c in self.conflicts)


@dataclass
class Section:
    """One programme's part of the list: its rows, sums, budget reference and the budget left after approval."""

    programme_id: int
    programme: str
    code: str
    budget_part: str
    product_group: str
    product: str
    budget_year: int
    budget_remaining: Decimal | None  # None: no budget entered for the year
    rows: list[Row] = field(default_factory=list)

    @property
    def total_costs(self) -> Decimal:
        return sum((r.total_costs for r in self.rows), ZERO)

    @property
    def cofinancing(self) -> Decimal:
        return sum((r.cofinancing for r in self.rows), ZERO)

    @property
    def recommended(self) -> Decimal:
        return sum((r.recommended for r in self.rows), ZERO)

    @property
    def remaining_after(self) -> Decimal | None:
        return None if self.budget_remaining is None else self.budget_remaining - self.recommended

    @property
    def budget_reference(self) -> list[tuple[str, str]]:
        """Label/value pairs as in a district paper's «Bezug zum Haushalt» (only those entered)."""
        pairs = [(_("Teilhaushalt"), self.budget_part), (_("Produktgruppe"), self.product_group),
                 (_("Produkt"), self.product)]
        return [(label, value) for label, value in pairs if value]

    @property
    def budget_reference_text(self) -> str:
        return " · ".join(f"{label} {value}" for label, value in self.budget_reference) or _("nicht angegeben")


@dataclass
class ApprovalTable:
    meeting_id: int
    district: str
    unit: str
    committee: str
    date: date
    is_public: bool
    paper_number: str
    location: str
    sections: list[Section]

    @property
    def rows(self) -> list[Row]:
        return [row for section in self.sections for row in section.rows]

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for row in self.rows for c in row.conflicts]

    @property
    def total_costs(self) -> Decimal:
        return sum((s.total_costs for s in self.sections), ZERO)

    @property
    def cofinancing(self) -> Decimal:
        return sum((s.cofinancing for s in self.sections), ZERO)

    @property
    def recommended(self) -> Decimal:
        return sum((s.recommended for s in self.sections), ZERO)

    @property
    def budget_remaining(self) -> Decimal | None:
        if any(s.budget_remaining is None for s in self.sections):
            return None
        return sum((s.budget_remaining for s in self.sections), ZERO)

    @property
    def remaining_after(self) -> Decimal | None:
        remaining = self.budget_remaining
        return None if remaining is None else remaining - self.recommended

    @property
    def status_display(self) -> str:
        return _("öffentlich") if self.is_public else _("nichtöffentlich")

    @property
    def date_display(self) -> str:
        return german_date(self.date)

    @property
    def paper_display(self) -> str:
        return self.paper_number or "–"

    @property
    def title(self) -> str:
        names = ", ".join(s.programme for s in self.sections)
        return _("Bewilligung von Zuwendungen: %(programmes)s") % {"programmes": names}


def frozen_items(meeting: Meeting) -> list[AgendaItem]:
    """The items in agenda order with their conflicts and members (two queries)."""
    conflicts = ConflictOfInterest.objects.select_related("member").order_by("member__pk", "pk")
    return list(meeting.items.select_related("carried_from__meeting")
                .prefetch_related(Prefetch("conflicts", queryset=conflicts)).order_by("position", "pk"))


def require_frozen(meeting: Meeting) -> None:
    if not meeting.is_frozen:
        raise ValidationError(_("Die Beschlussvorlage kann erst exportiert werden, wenn die Tagesordnung "
                                "festgeschrieben ist."))


def _conflicts(item: AgendaItem) -> tuple[Conflict, ...]:
    snapshot = item.snapshot
    return tuple(Conflict(position=item.position, applicant=snapshot.get("applicant", ""), member=c.member.name,
                          group=c.member.group, reason=str(c.get_reason_display()), note=c.note)
                 for c in item.conflicts.all())


def _row(item: AgendaItem) -> Row:
    s = item.snapshot
    return Row(item_id=item.pk, number=item.position, file_number=s.get("file_number", ""),
               applicant=s.get("applicant", ""), municipality=s.get("municipality", ""), title=s.get("title", ""),
               total_costs=_decimal(s.get("total_costs")), cofinancing=_decimal(s.get("cofinancing")),
               recommended=_decimal(s.get("recommended")), justification=s.get("justification", ""),
               conditions=s.get("conditions", ""), conflicts=_conflicts(item))


def _remaining(meeting: Meeting, items: list[AgendaItem], programme_ids: set[int]) -> dict[int, Decimal]:
    """Each programme's budget remaining for the meeting's year, as it was before this meeting's decisions."""
    year = meeting.date.year
    remaining = {b.programme_id: b.remaining.amount
                 for b in ProgrammeBudget.objects.filter(programme_id__in=programme_ids, year=year)}
    if meeting.is_decided and meeting.resolution_date.year == year:
        for item in items:  # committed at the resolution: add back so the list reads as before
            programme_id = item.snapshot.get("programme_id")
            if item.outcome in APPROVED and item.decided_amount is not None and programme_id in remaining:
                remaining[programme_id] += item.decided_amount.amount
    return remaining


def approval_table(meeting: Meeting) -> ApprovalTable:
    """The neutral table of a frozen meeting's approval list; refuses an agenda that is not frozen."""
    require_frozen(meeting)
    items = frozen_items(meeting)
    programme_ids = {item.snapshot.get("programme_id") for item in items}
    programmes = Programme.objects.in_bulk(programme_ids)
    remaining = _remaining(meeting, items, programme_ids)
    sections: dict[int, Section] = {}
    for item in items:
        programme_id = item.snapshot.get("programme_id")
        if programme_id not in sections:
            programme = programmes.get(programme_id)
            sections[programme_id] = Section(
                programme_id=programme_id, programme=item.snapshot.get("programme", ""),
                code=programme.code if programme else "", budget_part=programme.budget_part if programme else "",
                product_group=programme.product_group if programme else "",
                product=programme.product if programme else "", budget_year=meeting.date.year,
                budget_remaining=remaining.get(programme_id))
        sections[programme_id].rows.append(_row(item))
    return ApprovalTable(meeting_id=meeting.pk, district=settings.DISTRICT_NAME,
                         unit=getattr(settings, "DISTRICT_UNIT", ""), committee=meeting.committee, date=meeting.date,
                         is_public=meeting.is_public, paper_number=meeting.paper_number, location=meeting.location,
                         sections=list(sections.values()))


def column_headings() -> list[str]:
    """The columns of the list, the same in XLSX and CSV.

    The PDF has the same content in fewer columns: the file number under the applicant, the conditions
    («Auflagen: …») and the members with a conflict («Befangen: …») under the justification.
    """
    return [_("Nr. (TOP)"), _("Aktenzeichen"), _("Antragsteller"), _("Kommune"), _("Vorhaben"),
            _("Gesamtkosten (€)"), _("Kofinanzierung (€)"), _("Empfohlener Betrag (€)"), _("Kurzbegründung"),
            _("Auflagen"), _("Befangenheit")]
