"""Running one state-machine transition with its event row and its side effects."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from programmes.rules import window_error

from ..models import Application, ApplicationEvent


def refuse_unless_allowed(application: Application, action: str, user) -> Callable:
    """Return the bound transition method, or raise PermissionDenied / ValidationError.

    Checked in this order, on purpose:
    1. the role (PermissionDenied) — also in states without this transition, so an
       outsider learns nothing about the application's state;
    2. the state (ValidationError);
    3. the conditions (ValidationError with the reasons in plain German).

    ``django_fsm.has_transition_perm`` folds conditions into the permission, which
    would turn "the amount is too low" into "you may not" — hence the own checks.
    """
    method = getattr(application, action)
    meta = method._django_fsm
    state = application.state
    transition = meta.get_transition(state)
    # All sources of one transition method share one permission in our model.
    rule = transition or next(iter(meta.transitions.values()))
    if not rule.has_perm(application, user):
        raise PermissionDenied(_("Sie dürfen diesen Schritt bei diesem Antrag nicht ausführen."))
    if transition is None:
        raise ValidationError(
            _("Dieser Schritt ist im Status „%(state)s“ nicht möglich.") % {"state": application.get_state_display()}
        )
    if not meta.conditions_met(application, state):
        missing = application.missing_items() if action in {"submit", "resubmit"} else []
        if missing:
            raise ValidationError(missing)
        if action == "submit" and not application.window_open():
            raise ValidationError(window_error(application.programme, timezone.localdate()))
        raise ValidationError(_("Die Voraussetzungen für diesen Schritt sind nicht erfüllt."))
    return method


def run_transition(
    application: Application,
    action: str,
    *,
    user,
    note: str = "",
    internal_note: str = "",
    amount: Money | None = None,
    args: tuple = (),
    kwargs: dict | None = None,
    deciding_body: str = "",
) -> ApplicationEvent:
    """Apply ``action`` to a locked application and record it; call inside ``transaction.atomic``.

    ``note`` is the message to the applicant (their history and the e-mail); ``internal_note`` is for staff only.
    """
    method = refuse_unless_allowed(application, action, user)
    from_state = application.state
    method(*args, **(kwargs or {}))
    application.save()
    event = ApplicationEvent.objects.create(
        application=application, actor=user, action=action, from_state=from_state,
        to_state=application.state, note=note.strip(), internal_note=internal_note.strip(), amount=amount,
        deciding_body=deciding_body,
    )
    from .. import outbox, tasks

    # An outbox row in this transaction: the mail goes out after the commit, or later, but is never lost.
    outbox.enqueue(tasks.notify_event, key=f"event:{event.pk}", target=application.file_number or application.title,
                   event_id=event.pk)
    return event
