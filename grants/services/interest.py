"""Interest on a refund (§ 49a Abs. 3 VwVfG): staff set the start date, or waive it with a reason.

The amount is computed by ``programmes.interest`` from the base-rate table staff keep
(``programmes.BaseRate``), up to the day the refund arrives, and recorded with the receipt.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from programmes.interest import interest
from programmes.models import BaseRate

from .. import permissions as perms
from ..locks import lock_application
from ..models import Application, ApplicationEvent, Refund
from ..states import State


def base_rate_table() -> list[tuple[date, object]]:
    return list(BaseRate.objects.order_by("valid_from").values_list("valid_from", "rate"))


def refund_interest(refund: Refund, until: date) -> Money:
    """Interest on ``refund`` from its start date up to the day before ``until``; 0 when waived or not set."""
    if refund.interest_from is None or refund.interest_waived:
        return Money(0, "EUR")
    try:
        value = interest(refund.amount.amount, refund.interest_from, until, base_rate_table())
    except ValueError as exc:
        raise ValidationError(_("Für den Zinsbeginn %(day)s ist kein Basiszinssatz eingetragen. Bitte ergänzen Sie "
                                "die Tabelle der Basiszinssätze.") % {"day": refund.interest_from.strftime("%d.%m.%Y")}
                              ) from exc
    return Money(value, "EUR")


@transaction.atomic
def refund_set_interest(*, user, application_id: int, interest_from: date | None, waived: bool = False,
                        waiver_reason: str = "") -> Refund:
    """Charge interest from ``interest_from`` (the day the decision lost effect), or waive it with a reason."""
    application: Application = lock_application(application_id)
    if not perms.can_check_settlement(application, user):
        raise PermissionDenied(_("Sie dürfen Rückforderungen nicht festsetzen."))
    if application.state != State.REFUND_CLAIMED:
        raise ValidationError(_("Zinsen werden nur zu einer offenen Rückforderung festgesetzt."))
    refund = application.refund
    waiver_reason = (waiver_reason or "").strip()
    if waived and not waiver_reason:
        raise ValidationError(_("Ein Zinsverzicht braucht eine Begründung (z. B. nicht zu vertreten und "
                                "fristgerecht erstattet)."))
    if not waived and interest_from is None:
        raise ValidationError(_("Geben Sie an, ab wann die Rückforderung zu verzinsen ist."))
    if interest_from is not None and application.paid_at and interest_from < timezone.localdate(application.paid_at):
        raise ValidationError(_("Die Verzinsung kann nicht vor der Auszahlung beginnen."))
    refund.interest_from, refund.interest_waived = interest_from, waived
    refund.interest_waiver_reason = waiver_reason if waived else ""
    refund.full_clean(validate_constraints=False)
    refund.save(update_fields=["interest_from", "interest_waived", "interest_waiver_reason"])
    note = (_("Zinsverzicht: %(reason)s") % {"reason": waiver_reason} if waived
            else _("Verzinsung ab %(day)s (§ 49a Abs. 3 VwVfG)") % {"day": interest_from.strftime("%d.%m.%Y")})
    ApplicationEvent.objects.create(application=application, actor=user, action="set_interest",
                                    from_state=application.state, to_state=application.state, note=note)
    return refund
