"""Running one state-machine transition with its event row and its side effects."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm
from djmoney.money import Money

from programmes.rules import window_error

from ..models import Application, ApplicationEvent


def refuse_unless_allowed(application: Application, action: str, user) -> Callable:
    method = getattr(application, action)
    if not has_transition_perm(method, user):
        raise PermissionDenied(_("Sie dürfen diesen Schritt bei diesem Antrag nicht ausführen."))
    if not can_proceed(method):
        # Say why in the applicant's words where we can.
        missing = application.missing_items() if action in {"submit", "resubmit"} else []
        if missing:
            raise ValidationError(missing)
        if action == "submit" and not application.window_open():
            raise ValidationError(window_error(application.programme, timezone.localdate()))
        raise ValidationError(
            _("Dieser Schritt ist im Status „%(state)s“ nicht möglich.") % {"state": application.get_state_display()}
        )
    return method


def run_transition(
    application: Application,
    action: str,
    *,
    user,
    note: str = "",
    amount: Money | None = None,
    args: tuple = (),
    kwargs: dict | None = None,
) -> ApplicationEvent:
    """Apply ``action`` to a locked application and record it; call inside ``transaction.atomic``."""
    method = refuse_unless_allowed(application, action, user)
    from_state = application.state
    method(*args, **(kwargs or {}))
    application.save()
    event = ApplicationEvent.objects.create(
        application=application, actor=user, action=action, from_state=from_state,
        to_state=application.state, note=note, amount=amount,
    )
    from .. import tasks

    transaction.on_commit(lambda: tasks.notify_event.delay(event.pk))
    return event
