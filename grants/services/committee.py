"""Committee meetings: agenda, freezing, conflicts of interest, attendance and the decisions of the whole agenda.

Lock order (grants.locks): meeting, then its items' applications by primary key, then the co-financing
municipalities, then budgets. Agenda and decisions are all or nothing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from programmes import rules as programme_rules
from programmes.choices import DecidingBody

from ..locks import lock_applications, lock_meeting
from ..models import AgendaItem, Application, ConflictOfInterest, Meeting, MeetingMember
from ..states import State
from .applications import _eur

MANAGE = "grants.manage_meetings"
Outcome = AgendaItem.Outcome


def _require(user) -> None:
    if not (getattr(user, "is_authenticated", False) and user.has_perm(MANAGE)):
        raise PermissionDenied(_("Sie dürfen keine Ausschusssitzungen vorbereiten."))


def _open(meeting: Meeting) -> None:
    if meeting.is_frozen:
        raise ValidationError(_("Die Tagesordnung ist festgeschrieben und kann nicht mehr geändert werden."))


@dataclass(frozen=True)
class MemberData:
    name: str
    group: str = ""
    role: str = MeetingMember.Role.MEMBER


@transaction.atomic
def meeting_create(*, user, committee: str, day: date, is_public: bool = True, paper_number: str = "",
                   location: str = "", members: list[MemberData] = ()) -> Meeting:
    """A meeting with its members; items deferred by earlier meetings are put on its agenda straight away."""
    _require(user)
    meeting = Meeting(committee=committee.strip(), date=day, is_public=is_public, paper_number=paper_number.strip(),
                      location=location.strip(), created_by=user)
    meeting.full_clean()
    meeting.save()
    names = [m.name.strip() for m in members]
    if len(set(names)) != len(names) or not all(names):
        raise ValidationError(_("Jedes Mitglied braucht einen Namen, und jeder Name darf nur einmal vorkommen."))
    MeetingMember.objects.bulk_create(
        MeetingMember(meeting=meeting, name=m.name.strip(), group=m.group.strip(), role=m.role) for m in members)
    for item in AgendaItem.objects.filter(outcome=Outcome.DEFERRED, application__state=State.RECOMMENDED,
                                          meeting__date__lt=day).select_related("application").order_by("pk"):
        _carry_over(item, meeting)
    return meeting


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1


def _carry_over(item: AgendaItem, meeting: Meeting) -> AgendaItem | None:
    """A deferred item goes onto ``meeting``'s agenda, once (the open-item constraint keeps it single)."""
    if meeting.is_frozen:
        return None
    try:
        with transaction.atomic():
            return AgendaItem.objects.create(meeting=meeting, application=item.application,
                                             position=_next_position(meeting), carried_from=item)
    except IntegrityError:
        return None  # already waiting on this or another agenda


def _agenda_error(application: Application) -> str | None:
    if application.state != State.RECOMMENDED:
        return _("%(number)s ist nicht zur Bewilligung empfohlen.") % {"number": application.file_number}
    amount = application.recommended_amount or application.requested_amount
    if programme_rules.deciding_body(application.terms, amount) != DecidingBody.COMMITTEE:
        return _("Über %(number)s entscheidet nicht der Ausschuss, sondern die Verwaltung.") % {
            "number": application.file_number}
    return None


@transaction.atomic
def agenda_add(*, user, meeting_id: int, application_ids) -> list[AgendaItem]:
    _require(user)
    meeting = lock_meeting(meeting_id)
    _open(meeting)
    applications = lock_applications(application_ids)
    errors = [error for a in applications if (error := _agenda_error(a))]
    if errors:
        raise ValidationError(errors)
    items, position = [], _next_position(meeting)
    for application in applications:
        try:
            with transaction.atomic():
                items.append(AgendaItem.objects.create(meeting=meeting, application=application, position=position))
        except IntegrityError as exc:
            raise ValidationError(_("%(number)s steht bereits auf einer Tagesordnung.")
                                  % {"number": application.file_number}) from exc
        position += 1
    return items


@transaction.atomic
def agenda_remove(*, user, item_id: int) -> None:
    _require(user)
    item = AgendaItem.objects.get(pk=item_id)
    _open(lock_meeting(item.meeting_id))
    item.delete()


def _snapshot(item: AgendaItem) -> dict:
    application = item.application
    assessment = getattr(application, "assessment", None)
    municipality = application.cofinancing_municipality or application.place \
        or application.organisation.seat_municipality
    recommended = application.recommended_amount or application.requested_amount
    return {
        "file_number": application.file_number, "applicant": application.organisation.name,
        "municipality": municipality.name if municipality else "", "title": application.title,
        "programme_id": application.programme_id, "programme": application.programme.name,
        "total_costs": str(application.total_costs.amount), "cofinancing": str(application.own_funds.amount),
        "requested": str(application.requested_amount.amount), "recommended": str(recommended.amount),
        "justification": assessment.justification if assessment else "",
        "conditions": assessment.conditions if assessment else "",
    }


@transaction.atomic
def agenda_freeze(*, user, meeting_id: int) -> Meeting:
    """Fix the agenda: numbered, each item with the figures the committee reads; no change afterwards."""
    _require(user)
    meeting = lock_meeting(meeting_id)
    _open(meeting)
    items = list(meeting.items.select_related(
        "application__organisation__seat_municipality", "application__programme", "application__place",
        "application__cofinancing_municipality", "application__assessment").order_by("position", "pk"))
    if not items:
        raise ValidationError(_("Eine leere Tagesordnung kann nicht festgeschrieben werden."))
    errors = [error for item in items if (error := _agenda_error(item.application))]
    if errors:
        raise ValidationError(errors)
    # Programmes in a fixed order, then by file number: the same order in every export.
    items.sort(key=lambda i: (i.application.programme.name, i.application.programme_id, i.application.file_number))
    for number, item in enumerate(items, start=1):
        item.position, item.snapshot = number, _snapshot(item)
    AgendaItem.objects.bulk_update(items, ["position", "snapshot"])
    meeting.frozen_at, meeting.frozen_by = timezone.now(), user
    meeting.save(update_fields=["frozen_at", "frozen_by"])
    return meeting


@transaction.atomic
def conflict_declare(*, user, item_id: int, member_id: int, reason: str, note: str = "") -> ConflictOfInterest:
    _require(user)
    item = AgendaItem.objects.select_related("meeting").get(pk=item_id)
    meeting = lock_meeting(item.meeting_id)
    if meeting.is_decided:
        raise ValidationError(_("Die Beschlüsse sind erfasst; Befangenheiten können nicht mehr erklärt werden."))
    member = MeetingMember.objects.get(pk=member_id, meeting=meeting)
    conflict = ConflictOfInterest(item=item, member=member, reason=reason, note=note.strip(), recorded_by=user)
    conflict.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            conflict.save()
    except IntegrityError as exc:
        raise ValidationError(_("%(name)s hat für diesen Punkt bereits Befangenheit erklärt.")
                              % {"name": member.name}) from exc
    return conflict


@transaction.atomic
def attendance_record(*, user, meeting_id: int, present_member_ids) -> Meeting:
    _require(user)
    meeting = lock_meeting(meeting_id)
    if meeting.is_decided:
        raise ValidationError(_("Die Beschlüsse sind erfasst; die Anwesenheit kann nicht mehr geändert werden."))
    present = set(present_member_ids)
    meeting.members.update(present=False)
    meeting.members.filter(pk__in=present).update(present=True)
    return meeting


@dataclass(frozen=True)
class Decision:
    item_id: int
    outcome: str
    amount: Decimal | None = None  # only for "approved_changed"
    votes_yes: int | None = None
    votes_no: int | None = None
    votes_abstain: int | None = None
    note: str = ""


def _voters(meeting: Meeting, item: AgendaItem) -> int:
    excluded = {c.member_id for c in item.conflicts.all()}
    return sum(1 for m in meeting.members.all() if m.present and m.votes and m.pk not in excluded)


def _check_votes(meeting: Meeting, item: AgendaItem, decision: Decision) -> str | None:
    votes = [decision.votes_yes, decision.votes_no, decision.votes_abstain]
    if all(v is None for v in votes):
        return None
    allowed = _voters(meeting, item)
    if sum(v or 0 for v in votes) > allowed:
        return _("TOP %(position)s: %(votes)s Stimmen, aber nur %(allowed)s stimmberechtigte Anwesende (befangene "
                 "Mitglieder stimmen nicht mit).") % {"position": item.position, "votes": sum(v or 0 for v in votes),
                                                     "allowed": allowed}
    return None


def _decided_amount(item: AgendaItem, decision: Decision) -> Money | None:
    application = item.application
    if decision.outcome == Outcome.APPROVED:
        return application.recommended_amount or application.requested_amount
    if decision.outcome != Outcome.APPROVED_CHANGED:
        return None
    if decision.amount is None:
        raise ValidationError(_("TOP %(position)s: Geben Sie den beschlossenen Betrag an.")
                              % {"position": item.position})
    amount = _eur(decision.amount)
    if amount > application.requested_amount:
        raise ValidationError(_("TOP %(position)s: Es kann nicht mehr bewilligt werden, als beantragt ist.")
                              % {"position": item.position})
    # Bounds, co-financing, caps and budget: grants.services.approval, under the locks, as for every approval.
    return amount
