"""Every state × every action × every role, through the services.

The expectation is written out here by hand (not read from the model), so a
transition that gains a source state or loses its permission fails this test.
Allowed: the state moves to the target and exactly one event row records it.
Forbidden: PermissionDenied when the role may never take the step,
ValidationError when it may but not in this state; nothing changes either way.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from grants.models import (
    Application,
    ApplicationEvent,
    Document,
    PayoutBatch,
    PayoutItem,
    Refund,
    Settlement,
)
from grants.services import review
from grants.states import State
from programmes.models import ProgrammeBudget
from tests.factories import MembershipFactory

from .journey import ACTIONS, ROLES, application_in, make_cast

pytestmark = pytest.mark.django_db

APPLICANT = {"member"}
REVIEWERS = {"staff", "head"}
FINANCE = {"finance"}

# The roles that hold the permission for an action at all (anywhere in the life of an application).
ROLE_MAY = {
    "submit": APPLICANT, "withdraw": APPLICANT, "submit_settlement": APPLICANT,
    "start_review": REVIEWERS, "request_changes": REVIEWERS, "recommend": REVIEWERS, "approve": REVIEWERS,
    "reject": REVIEWERS, "request_settlement_changes": REVIEWERS, "accept_settlement": REVIEWERS,
    "accept_with_refund": REVIEWERS, "claim_refund_full": REVIEWERS,
    "pay": FINANCE, "record_refund_received": FINANCE,
    "decline": APPLICANT | REVIEWERS,
}

# (state, action) -> (target state, event action). Everything not listed is refused.
ALLOWED = {
    (State.DRAFT, "submit"): (State.SUBMITTED, "submit"),
    (State.CHANGES_REQUESTED, "submit"): (State.SUBMITTED, "resubmit"),
    (State.SUBMITTED, "start_review"): (State.IN_REVIEW, "start_review"),
    (State.IN_REVIEW, "request_changes"): (State.CHANGES_REQUESTED, "request_changes"),
    (State.IN_REVIEW, "recommend"): (State.RECOMMENDED, "recommend"),
    (State.IN_REVIEW, "reject"): (State.REJECTED, "reject"),
    (State.RECOMMENDED, "reject"): (State.REJECTED, "reject"),
    (State.RECOMMENDED, "approve"): (State.APPROVED, "approve"),
    (State.APPROVED, "pay"): (State.PAID, "record_payout"),
    (State.APPROVED, "decline"): (State.WITHDRAWN, "decline"),
    (State.PAID, "submit_settlement"): (State.SETTLEMENT_SUBMITTED, "submit_settlement"),
    (State.PAID, "claim_refund_full"): (State.REFUND_CLAIMED, "claim_refund"),
    (State.SETTLEMENT_SUBMITTED, "request_settlement_changes"): (State.PAID, "request_settlement_changes"),
    (State.SETTLEMENT_SUBMITTED, "accept_settlement"): (State.CLOSED, "accept_settlement"),
    (State.SETTLEMENT_SUBMITTED, "accept_with_refund"): (State.REFUND_CLAIMED, "claim_refund"),
    (State.SETTLEMENT_SUBMITTED, "claim_refund_full"): (State.REFUND_CLAIMED, "claim_refund"),
    (State.REFUND_CLAIMED, "record_refund_received"): (State.CLOSED, "record_refund_received"),
    # Withdraw only before a decision.
    **{(state, "withdraw"): (State.WITHDRAWN, "withdraw") for state in [
        State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED, State.RECOMMENDED]},
}


def _snapshot(pk: int) -> dict:
    """Everything a refused action must leave as it was."""
    app = Application.objects.get(pk=pk)
    budget = ProgrammeBudget.objects.get(programme_id=app.programme_id)
    return {
        "state": app.state,
        "events": ApplicationEvent.objects.filter(application_id=pk).count(),
        "amounts": (app.requested_amount, app.recommended_amount, app.approved_amount),
        "deciders": (app.recommended_by_id, app.decided_by_id),
        "budget": (budget.committed, budget.paid, budget.refunded),
        "rows": [m.objects.count() for m in (PayoutBatch, PayoutItem, Refund, Settlement, Document)],
        "settlement_submitted_at": Settlement.objects.filter(application_id=pk).values_list("submitted_at").first(),
    }


def _attempt(action: str, role: str, cast, pk: int) -> str | None:
    """Run one action as one role, judge it, undo it; return a complaint or None."""
    user = cast.role(role)
    expected = ALLOWED.get((Application.objects.get(pk=pk).state, action))
    allowed = expected is not None and role in ROLE_MAY[action]
    with transaction.atomic():
        before = _snapshot(pk)
        try:
            ACTIONS[action](user, pk)
        except (PermissionDenied, ValidationError) as exc:
            outcome = exc
        else:
            outcome = None
        after = _snapshot(pk)
        events = list(ApplicationEvent.objects.filter(application_id=pk).order_by("pk"))
        transaction.set_rollback(True)  # every attempt starts from the same state
    state = before["state"]
    if allowed:
        if outcome is not None:
            return f"{state} {action} {role}: erwartet erlaubt, aber {type(outcome).__name__}: {outcome}"
        target, event_action = expected
        new = events[len(events) - 1]
        if (after["state"], after["events"] - before["events"]) != (target, 1):
            return f"{state} {action} {role}: {after['state']} mit {after['events'] - before['events']} Events"
        if (new.action, new.from_state, new.to_state, new.actor_id) != (event_action, state, target, user.pk):
            return f"{state} {action} {role}: Event {new.action} {new.from_state}->{new.to_state} von {new.actor_id}"
        return None
    wanted = ValidationError if role in ROLE_MAY[action] else PermissionDenied
    if not isinstance(outcome, wanted):
        return f"{state} {action} {role}: erwartet {wanted.__name__}, bekam {outcome!r}"
    if after != before:
        return f"{state} {action} {role}: abgelehnt, aber verändert: {before} -> {after}"
    return None


@pytest.mark.parametrize("state", State.values)
def test_every_action_for_every_role_in_state(state):
    cast = make_cast()
    app = application_in(state, cast)
    complaints = [
        complaint
        for action in ACTIONS
        for role in ROLES
        if (complaint := _attempt(action, role, cast, app.pk))
    ]
    assert not complaints, "\n".join(complaints)


def test_the_matrix_covers_every_state_and_every_transition():
    assert {state for state, _action in ALLOWED} | {State.REJECTED, State.WITHDRAWN, State.CLOSED} == set(
        State.values
    )
    transitions = {t.name for t in Application._meta.get_field("state").get_all_transitions(Application)}
    # The committee's resolutions are recorded for a whole agenda: tests/committee/test_decisions.py.
    committee = {"approve_by_committee", "reject_by_committee"}
    assert transitions == {event for _target, event in ALLOWED.values()} | committee


# -- four eyes and the approval limit (programme.staff_approval_limit = 1,500.00 €) -----------
def _refused(call, pk, exc=PermissionDenied):
    before = _snapshot(pk)
    with pytest.raises(exc):
        call()
    assert _snapshot(pk) == before


def test_the_recommender_cannot_approve_but_another_staff_member_can():
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast)
    _refused(lambda: ACTIONS["approve"](cast.recommender, app.pk), app.pk)
    ACTIONS["approve"](cast.staff, app.pk)
    app.refresh_from_db()
    assert (app.state, app.decided_by, app.recommended_by) == (State.APPROVED, cast.staff, cast.recommender)


def test_head_of_unit_who_recommended_cannot_approve_either():
    cast = make_cast()
    app = application_in(State.IN_REVIEW, cast)
    ACTIONS["recommend"](cast.head, app.pk)
    _refused(lambda: ACTIONS["approve"](cast.head, app.pk), app.pk)
    ACTIONS["approve"](cast.approver, app.pk)
    assert Application.objects.get(pk=app.pk).state == State.APPROVED


def test_staff_approve_up_to_the_limit_exactly():
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast, amount="1500.00")
    ACTIONS["approve"](cast.staff, app.pk)
    assert Application.objects.get(pk=app.pk).approved_amount.amount == Decimal("1500.00")


@pytest.mark.parametrize("role", ["staff", "finance", "committee", "member"])
def test_above_the_limit_only_the_head_of_unit_approves(role):
    cast = make_cast()
    app = application_in(State.RECOMMENDED, cast, amount="1500.01")
    _refused(lambda: ACTIONS["approve"](cast.role(role), app.pk), app.pk)
    ACTIONS["approve"](cast.head, app.pk)
    assert Application.objects.get(pk=app.pk).state == State.APPROVED


def test_the_limit_applies_to_the_recommended_amount_not_the_requested_one():
    cast = make_cast()
    app = application_in(State.IN_REVIEW, cast, amount="2500.00")
    review.application_recommend(user=cast.recommender, application_id=app.pk, amount=Decimal("1200.00"))
    ACTIONS["approve"](cast.staff, app.pk)
    app.refresh_from_db()
    assert (app.state, app.approved_amount.amount) == (State.APPROVED, Decimal("1200.00"))


def test_recommending_more_than_requested_or_outside_bounds_is_refused():
    cast = make_cast()
    app = application_in(State.IN_REVIEW, cast, amount="1000.00")
    for amount in ["1000.01", "199.99"]:
        with pytest.raises(ValidationError):
            review.application_recommend(user=cast.recommender, application_id=app.pk, amount=Decimal(amount))
    assert _snapshot(app.pk)["state"] == State.IN_REVIEW


# -- the protected field ------------------------------------------------------------------------
def test_the_state_cannot_be_assigned_directly():
    cast = make_cast()
    app = application_in(State.SUBMITTED, cast)
    with pytest.raises(AttributeError):
        app.state = State.APPROVED
    with pytest.raises(AttributeError):
        Application.objects.get(pk=app.pk).state = State.PAID
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED


def test_a_deactivated_member_can_no_longer_act():
    cast = make_cast()
    app = application_in(State.DRAFT, cast)
    cast.member.is_active = False
    cast.member.save()
    _refused(lambda: ACTIONS["submit"](cast.member, app.pk), app.pk)
    _refused(lambda: ACTIONS["submit"](None, app.pk), app.pk)


# -- impartiality: staff never decide on their own organisation's application --------------------
@pytest.mark.parametrize(
    ("state", "action", "role"),
    [
        (State.SUBMITTED, "start_review", "staff"),
        (State.RECOMMENDED, "approve", "head"),
        (State.APPROVED, "pay", "finance"),
    ],
)
def test_staff_who_belong_to_the_applicant_organisation_may_not_act(state, action, role):
    cast = make_cast()
    app = application_in(state, cast)
    MembershipFactory(organisation=app.organisation, user=cast.role(role))
    _refused(lambda: ACTIONS[action](cast.role(role), app.pk), app.pk)
