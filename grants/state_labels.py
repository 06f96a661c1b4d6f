"""How an application's state reads on screen: one label per state, by kind of programme, and the Verzicht.

The state machine has one state per step for every programme; what a step means can differ by kind of
programme (its allocation method): in a formula allocation, "recommended" is staff confirming eligibility,
not a recommendation of an amount. A Verzicht (``decline``) ends in "withdrawn" like a withdrawal before the
decision; its event tells them apart, so no state of its own is needed. Every screen asks :func:`state_label`.
"""

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programmes.choices import AllocationMethod

from .models import Application, ApplicationEvent
from .states import State

DECLINE = "decline"  # the transition of a Verzicht (``Application.decline``)

# Per allocation method, the states (and the steps into them) whose meaning differs from the default label.
LABELS_BY_METHOD = {
    AllocationMethod.FORMULA: {State.RECOMMENDED: gettext_lazy("Förderfähigkeit bestätigt")},
}
STEP_LABELS_BY_METHOD = {
    AllocationMethod.FORMULA: {"recommend": gettext_lazy("Förderfähigkeit bestätigt")},
}


def step_label_for(programme, action: str) -> str | None:
    """The programme kind's own name for a step of the history, or None for the default name."""
    label = STEP_LABELS_BY_METHOD.get(programme.allocation_method, {}).get(action)
    return None if label is None else str(label)


def with_state_labels(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate the time of a Verzicht, so a list shows its labels without a query per row."""
    declined = ApplicationEvent.objects.filter(application=OuterRef("pk"), action=DECLINE).order_by("-created_at")
    return applications.annotate(declined_at=Subquery(declined.values("created_at")[:1]))


def declined_at(application: Application):
    """When the applicant gave the grant up (Verzicht), or None: a withdrawal before the decision is none."""
    if application.state != State.WITHDRAWN:
        return None
    if hasattr(application, "declined_at"):  # annotated by ``with_state_labels``
        return application.declined_at
    if application.decided_at is None:  # withdrawn before any decision: cannot be a Verzicht
        return None
    return (application.events.filter(action=DECLINE).order_by("-created_at")
            .values_list("created_at", flat=True).first())


def state_name(state: str, programme) -> str:
    """A state's name in a programme of this kind (e.g. in the history: from → to), "" for no state."""
    if not state:
        return ""
    own = LABELS_BY_METHOD.get(programme.allocation_method, {})
    return str(own[state]) if state in own else str(State(state).label)


def state_label(application: Application) -> str:
    """The state as applicants and staff read it: «Verzicht erklärt am …», the programme kind's own label,
    else the state's label."""
    declined = declined_at(application)
    if declined is not None:
        return _("Verzicht erklärt am %(date)s") % {
            "date": date_format(timezone.localtime(declined).date(), "SHORT_DATE_FORMAT")}
    return state_name(application.state, application.programme)
