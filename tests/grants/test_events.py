"""Event rows: one per transition, written in the same transaction, never changed afterwards."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from grants.models import Application, ApplicationEvent
from grants.states import State
from programmes.models import ProgrammeBudget

from .journey import ACTIONS, application_in, eur, make_cast

pytestmark = pytest.mark.django_db


def _events(app):
    return list(ApplicationEvent.objects.filter(application=app).order_by("pk"))


def test_each_step_records_who_from_to_note_and_amount():
    cast = make_cast()
    app = application_in(State.CLOSED, cast, amount="1000.00")
    rows = [(e.action, e.actor, e.from_state, e.to_state, e.amount) for e in _events(app)]
    assert rows == [
        ("submit", cast.member, State.DRAFT, State.SUBMITTED, eur("1000.00")),
        ("start_review", cast.recommender, State.SUBMITTED, State.IN_REVIEW, None),
        ("recommend", cast.recommender, State.IN_REVIEW, State.RECOMMENDED, eur("1000.00")),
        ("approve", cast.approver, State.RECOMMENDED, State.APPROVED, eur("1000.00")),
        ("record_payout", cast.cashier, State.APPROVED, State.PAID, eur("1000.00")),
        ("submit_settlement", cast.member, State.PAID, State.SETTLEMENT_SUBMITTED, eur("800.00")),
        ("claim_refund", cast.recommender, State.SETTLEMENT_SUBMITTED, State.REFUND_CLAIMED, eur("200.00")),
        ("record_refund_received", cast.cashier, State.REFUND_CLAIMED, State.CLOSED, eur("200.00")),
    ]
    notes = {e.action: e.note for e in _events(app)}
    assert notes["recommend"] == "Förderfähig"
    assert notes["record_payout"].startswith("Zahlungslauf ZL-")
    assert all(e.created_at for e in _events(app))


def test_notes_of_change_requests_and_rejections_are_recorded():
    cast = make_cast()
    changed = application_in(State.CHANGES_REQUESTED, cast)
    rejected = application_in(State.REJECTED, cast)
    assert _events(changed)[-1].note == "Bitte den Kostenplan erläutern."
    assert _events(rejected)[-1].note == "Nicht förderfähig."
    assert Application.objects.get(pk=rejected.pk).last_message == "Nicht förderfähig."


def test_an_event_cannot_be_changed_or_deleted():
    cast = make_cast()
    app = application_in(State.SUBMITTED, cast)
    event = _events(app)[0]
    event.note = "nachträglich geändert"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        ApplicationEvent.objects.filter(pk=event.pk).update(note="heimlich")
    with pytest.raises(PermissionDenied):
        ApplicationEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionDenied), transaction.atomic():  # bulk_update runs without its own savepoint
        ApplicationEvent.objects.bulk_update([event], ["note"])
    stored = ApplicationEvent.objects.get(pk=event.pk)
    assert (stored.note, stored.action) == ("", "submit")


def test_an_approval_over_budget_changes_nothing_and_writes_no_event(django_capture_on_commit_callbacks):
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast, amount="3000.00", budget="2999.99")
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError) as refused:
        ACTIONS["approve"](cast.head, app.pk)
    assert "übersteigt die verbleibenden Haushaltsmittel von 2.999,99 €" in str(refused.value)
    assert callbacks == []  # no e-mail, no letter
    app.refresh_from_db()
    assert (app.state, app.approved_amount, app.decided_by) == (State.RECOMMENDED, None, None)
    assert [e.action for e in _events(app)][-1] == "recommend"
    assert ProgrammeBudget.objects.get(programme=app.programme).committed == eur("0.00")


def test_the_last_cent_of_the_budget_can_be_approved():
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast, amount="3000.00", budget="3000.00")
    ACTIONS["approve"](cast.head, app.pk)
    budget = ProgrammeBudget.objects.get(programme=app.programme)
    assert (budget.committed, budget.remaining) == (eur("3000.00"), eur("0.00"))


def test_an_approval_without_a_budget_for_the_year_is_refused():
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast)
    ProgrammeBudget.objects.all().delete()
    with pytest.raises(ValidationError, match="kein Haushaltsansatz"):
        ACTIONS["approve"](cast.head, app.pk)
    assert Application.objects.get(pk=app.pk).state == State.RECOMMENDED


def test_the_change_and_its_event_commit_together(monkeypatch):
    """If the event row cannot be written, the approval and the budget booking roll back with it."""
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast)

    class Broken:
        class objects:  # stands in for the manager
            @staticmethod
            def create(**kwargs):
                raise IntegrityError("Verlauf nicht schreibbar")

    monkeypatch.setattr("grants.services.transitions.ApplicationEvent", Broken)
    with pytest.raises(IntegrityError):
        ACTIONS["approve"](cast.head, app.pk)
    app.refresh_from_db()
    assert (app.state, app.approved_amount) == (State.RECOMMENDED, None)
    assert ProgrammeBudget.objects.get(programme=app.programme).committed.amount == Decimal("0.00")
