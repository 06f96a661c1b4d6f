"""Recording the committee's resolutions for a whole frozen agenda at once, and the letters that follow.

Every item gets exactly one decision; each approval or rejection goes through the state machine with the
committee as the deciding body in its event; deferred items move to the next open meeting. All or nothing:
one item that breaks a rule (cap, co-financing, budget, votes) stops the whole recording, with the reasons.
"""

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.choices import DecidingBody
from programmes.models import ProgrammeBudget

from ..locks import lock_applications, lock_budgets, lock_meeting
from ..models import AgendaItem, ConflictOfInterest, LetterBundle, Meeting
from .approval import approval_errors, lock_for_approval
from .committee import Decision, Outcome, _carry_over, _check_votes, _decided_amount, _require
from .transitions import run_transition


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.items.select_related("application__programme", "application__cofinancing_municipality")
                .prefetch_related(Prefetch("conflicts", queryset=ConflictOfInterest.objects.order_by("pk")))
                .order_by("position", "pk"))


def _check_complete(items: list[AgendaItem], decisions: list[Decision]) -> dict[int, Decision]:
    by_item = {}
    for decision in decisions:
        if decision.item_id in by_item:
            raise ValidationError(_("Für jeden Tagesordnungspunkt ist genau ein Beschluss zu erfassen."))
        by_item[decision.item_id] = decision
    if set(by_item) != {item.pk for item in items}:
        raise ValidationError(_("Für jeden Tagesordnungspunkt ist genau ein Beschluss zu erfassen."))
    wrong = [d for d in decisions if d.outcome not in Outcome.values]
    if wrong:
        raise ValidationError(_("Unbekannter Beschluss: %(outcome)s") % {"outcome": wrong[0].outcome})
    return by_item


def _next_meeting(meeting: Meeting) -> Meeting | None:
    return (Meeting.objects.filter(date__gt=meeting.date, frozen_at__isnull=True).exclude(pk=meeting.pk)
            .order_by("date", "pk").first())


@transaction.atomic
def meeting_record_decisions(*, user, meeting_id: int, resolution_date: date, decisions: list[Decision]) -> Meeting:
    _require(user)
    meeting = lock_meeting(meeting_id)
    if not meeting.is_frozen:
        raise ValidationError(_("Beschlüsse werden zu einer festgeschriebenen Tagesordnung erfasst."))
    if meeting.is_decided:
        raise ValidationError(_("Die Beschlüsse dieser Sitzung sind bereits erfasst."))
    if resolution_date < meeting.date or resolution_date > timezone.localdate():
        raise ValidationError(_("Das Beschlussdatum liegt nicht zwischen dem Sitzungstag und heute."))
    items = _items(meeting)
    by_item = _check_complete(items, decisions)
    errors = [e for item in items if (e := _check_votes(meeting, item, by_item[item.pk]))]
    if errors:
        raise ValidationError(errors)
    applications = {a.pk: a for a in lock_applications(item.application_id for item in items)}
    lock_for_approval(list(applications.values()))
    amounts = {}
    for item in items:
        item.application = applications[item.application_id]
        amounts[item.pk] = _decided_amount(item, by_item[item.pk])
    year = resolution_date.year
    budgets = {b.programme_id: b for b in lock_budgets({(a.programme_id, year) for a in applications.values()})}
    committed = defaultdict(Decimal)
    for item in items:
        errors += _decide(user, meeting, item, by_item[item.pk], amounts[item.pk], resolution_date, budgets,
                          committed)
    if errors:
        raise ValidationError(errors)
    for programme_id, amount in committed.items():
        ProgrammeBudget.objects.filter(pk=budgets[programme_id].pk).update(committed=F("committed") + amount)
    meeting.resolution_date, meeting.decided_by = resolution_date, user
    meeting.save(update_fields=["resolution_date", "decided_by"])
    _queue_letters(meeting, items)
    following = _next_meeting(meeting)
    if following is not None:
        for item in items:
            if item.outcome == Outcome.DEFERRED:
                _carry_over(item, following)
    return meeting


def _decide(user, meeting, item, decision: Decision, amount, resolution_date, budgets, committed) -> list[str]:
    """Record one item's resolution; the reasons it cannot be approved, each with its «TOP n:», else []."""
    application = item.application
    note = _("Beschluss %(committee)s vom %(date)s, TOP %(position)s") % {
        "committee": meeting.committee, "date": resolution_date.strftime("%d.%m.%Y"), "position": item.position}
    if decision.note.strip():
        note = f"{note}: {decision.note.strip()}"
    if amount is not None:
        budget = budgets.get(application.programme_id)
        errors = approval_errors(application, amount, budget=budget, year=resolution_date.year, decided=True,
                                 pending=committed[application.programme_id])
        if errors:
            return [_("TOP %(position)s: %(error)s") % {"position": item.position, "error": error}
                    for error in errors]
        run_transition(application, "approve_by_committee", user=user, note=note, amount=amount,
                       args=(user, amount, resolution_date.year), deciding_body=DecidingBody.COMMITTEE)
        committed[application.programme_id] += amount.amount
    elif decision.outcome == Outcome.REJECTED:
        reasons = decision.note.strip() or _("Der %(committee)s hat den Antrag in seiner Sitzung vom %(date)s "
                                             "abgelehnt.") % {"committee": meeting.committee,
                                                              "date": resolution_date.strftime("%d.%m.%Y")}
        run_transition(application, "reject_by_committee", user=user, note=note, args=(user, reasons),
                       deciding_body=DecidingBody.COMMITTEE)
    item.outcome, item.decided_amount, item.decision_note = decision.outcome, amount, decision.note.strip()
    item.votes_yes, item.votes_no, item.votes_abstain = decision.votes_yes, decision.votes_no, decision.votes_abstain
    item.save(update_fields=["outcome", "decided_amount", "decision_note", "votes_yes", "votes_no", "votes_abstain"])
    return []


def _queue_letters(meeting: Meeting, items: list[AgendaItem]) -> None:
    decided = [i for i in items if i.outcome in (Outcome.APPROVED, Outcome.APPROVED_CHANGED, Outcome.REJECTED)]
    if not decided:
        return
    bundle = LetterBundle.objects.create(meeting=meeting, total=len(decided))
    from .. import outbox, tasks

    outbox.enqueue(tasks.build_meeting_letters, key=f"letters:{bundle.pk}", target=str(meeting), bundle_id=bundle.pk)


@transaction.atomic
def letters_restart(*, user, meeting_id: int) -> LetterBundle:
    """Start the letters job of a meeting again after it failed; a second click (or call) changes nothing.

    Only a failed bundle is reset and queued: while it waits or runs, or once it is done, the call returns
    it as it is. Letters already stored are reused by the job (``generate_document`` makes each once).
    """
    _require(user)
    lock_meeting(meeting_id)
    bundle = LetterBundle.objects.select_for_update().filter(meeting_id=meeting_id).first()
    if bundle is None:
        raise ValidationError(_("Zu dieser Sitzung gibt es keine Bescheide."))
    if bundle.status != LetterBundle.Status.FAILED:
        return bundle
    bundle.status, bundle.done, bundle.error, bundle.finished_at = LetterBundle.Status.PENDING, 0, "", None
    bundle.save(update_fields=["status", "done", "error", "finished_at"])
    from .. import outbox, tasks

    # Once per failure: the meeting lock and the «failed» check above; the key only has to be new.
    outbox.enqueue(tasks.build_meeting_letters, key=f"letters:{bundle.pk}:restart:{uuid.uuid4().hex}",
                   target=str(bundle.meeting), bundle_id=bundle.pk)
    return bundle
