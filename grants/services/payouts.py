"""Finance: payout batches and their execution."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from programmes import rules as programme_rules
from programmes.models import ProgrammeBudget

from .. import permissions as perms
from ..locks import lock_applications, lock_batch, lock_budgets
from ..models import Application, ApplicationEvent, GrantIncrease, PayoutBatch, PayoutItem
from ..states import PAID_OUT, State
from .transitions import run_transition

# An increase raised after the grant was paid is paid on its own while the grant is still held, also after the
# settlement (a follow-up run re-shares among all who hold a grant, see grants.allocations.HOLDING).
PAID_STATES = PAID_OUT


def remittance_text(application: Application, *, increase: bool = False) -> str:
    kind = "Erhoehung" if increase else "Zuwendung"  # SEPA's Latin character set: no umlauts
    text = f"{application.file_number} {kind} {application.programme.name}: {application.title}"
    return text[:140]


def _require_finance(user) -> None:
    if not (getattr(user, "is_authenticated", False) and user.has_perm("grants.manage_payouts")):
        raise PermissionDenied(_("Nur die Kasse darf Zahlungsläufe anlegen und ausführen."))


def _increases(increase_ids) -> list[GrantIncrease]:
    increases = list(GrantIncrease.objects.select_related("application").filter(pk__in=list(increase_ids))
                     .order_by("pk"))
    wrong = [i.application.file_number for i in increases
             if i.paid_with_grant or i.application.state not in PAID_STATES]
    if wrong:
        raise ValidationError(_("Diese Erhöhungen können nicht gesondert ausgezahlt werden: %(numbers)s")
                              % {"numbers": ", ".join(wrong)})
    return increases


@transaction.atomic
def payout_batch_create(*, user, application_ids=(), increase_ids=(), execution_date=None) -> PayoutBatch:
    """A batch of approved grants and of increases raised after their grant was paid (follow-up runs)."""
    _require_finance(user)
    applications = lock_applications({*application_ids, *GrantIncrease.objects.filter(
        pk__in=list(increase_ids)).values_list("application_id", flat=True)})
    increases = _increases(increase_ids)
    grants = [a for a in applications if a.pk in set(application_ids)]
    if not grants and not increases:
        raise ValidationError(_("Wählen Sie mindestens einen bewilligten Antrag."))
    not_approved = [a.file_number or str(a.pk) for a in grants if a.state != State.APPROVED]
    if not_approved:
        raise ValidationError(
            _("Nur bewilligte Anträge können ausgezahlt werden: %(numbers)s") % {"numbers": ", ".join(not_approved)}
        )
    partial = [a.file_number for a in applications if not perms.can_manage_payouts(a, user)]
    if partial:
        raise PermissionDenied(
            _("Sie gehören der Antragstellerin an und dürfen diese Auszahlung nicht anweisen: %(numbers)s")
            % {"numbers": ", ".join(partial)}
        )
    today = timezone.localdate()
    # A provisional unique number, replaced by one from the primary key: two finance
    # users creating batches in the same second cannot collide on a counted number.
    batch = PayoutBatch.objects.create(
        number=f"ZL-{today.year}-{get_random_string(12)}", execution_date=execution_date or today, created_by=user,
    )
    batch.number = f"ZL-{today.year}-{batch.pk:05d}"
    batch.save(update_fields=["number"])
    items = [PayoutItem(batch=batch, application=a, amount=a.approved_amount, end_to_end_id=a.file_number,
                        remittance_info=remittance_text(a)) for a in grants]
    items += [PayoutItem(batch=batch, application=i.application, increase=i, amount=i.amount,
                         end_to_end_id=f"{i.application.file_number}-E{i.pk}"[:35],
                         remittance_info=remittance_text(i.application, increase=True)) for i in increases]
    try:
        with transaction.atomic():
            PayoutItem.objects.bulk_create(items)
    except IntegrityError as exc:
        raise ValidationError(_("Mindestens ein Antrag steht bereits in einem anderen Zahlungslauf.")) from exc
    return batch


@transaction.atomic
def payout_batch_execute(*, user, batch_id: int) -> PayoutBatch:
    """Mark the transfer as executed: each grant moves to paid exactly once; increases are booked as paid."""
    _require_finance(user)
    batch = lock_batch(batch_id)
    if batch.status == PayoutBatch.Status.EXECUTED:
        return batch  # Running it again pays nothing twice.
    items = list(batch.items.all())
    paid = defaultdict(Decimal)
    note = _("Zahlungslauf %(number)s") % {"number": batch.number}
    applications = {a.pk: a for a in lock_applications({item.application_id for item in items})}
    for item in items:
        application = applications[item.application_id]
        if item.increase_id is None:
            due = programme_rules.settlement_due_on(application.programme, application.planned_end)
            run_transition(application, "record_payout", user=user, amount=item.amount, note=note, args=(due,))
        else:
            ApplicationEvent.objects.create(
                application=application, actor=user, action="pay_increase", from_state=application.state,
                to_state=application.state, amount=item.amount, note=note)
        paid[(application.programme_id, application.budget_year)] += item.amount.amount
    # Budgets last and in primary-key order (see grants.locks), one update per budget.
    for budget in lock_budgets(paid):
        ProgrammeBudget.objects.filter(pk=budget.pk).update(paid=F("paid") + paid[(budget.programme_id, budget.year)])
    batch.status = PayoutBatch.Status.EXECUTED
    batch.executed_by = user
    batch.executed_at = timezone.now()
    batch.save(update_fields=["status", "executed_by", "executed_at"])
    return batch
