"""Finance: payout batches and their execution."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes import rules as programme_rules
from programmes.models import ProgrammeBudget

from ..locks import lock_applications, lock_batch
from ..models import Application, PayoutBatch, PayoutItem
from ..states import State
from .transitions import run_transition


def remittance_text(application: Application) -> str:
    text = f"{application.file_number} Zuwendung {application.programme.name}: {application.title}"
    return text[:140]


@transaction.atomic
def payout_batch_create(*, user, application_ids, execution_date=None) -> PayoutBatch:
    if not user.has_perm("grants.manage_payouts"):
        raise PermissionDenied(_("Nur die Kasse darf Zahlungsläufe anlegen."))
    applications = lock_applications(application_ids)
    if not applications:
        raise ValidationError(_("Wählen Sie mindestens einen bewilligten Antrag."))
    not_approved = [a.file_number for a in applications if a.state != State.APPROVED]
    if not_approved:
        raise ValidationError(
            _("Nur bewilligte Anträge können ausgezahlt werden: %(numbers)s") % {"numbers": ", ".join(not_approved)}
        )
    today = timezone.localdate()
    count = PayoutBatch.objects.filter(created_at__year=today.year).count() + 1
    batch = PayoutBatch.objects.create(
        number=f"ZL-{today.year}-{count:04d}-{timezone.now():%H%M%S}",
        execution_date=execution_date or today, created_by=user,
    )
    try:
        with transaction.atomic():
            PayoutItem.objects.bulk_create(
                PayoutItem(batch=batch, application=a, amount=a.approved_amount, end_to_end_id=a.file_number,
                           remittance_info=remittance_text(a))
                for a in applications
            )
    except IntegrityError as exc:
        raise ValidationError(_("Mindestens ein Antrag steht bereits in einem anderen Zahlungslauf.")) from exc
    return batch


@transaction.atomic
def payout_batch_execute(*, user, batch_id: int) -> PayoutBatch:
    """Mark the transfer as executed: each application moves to paid exactly once."""
    batch = lock_batch(batch_id)
    if batch.status == PayoutBatch.Status.EXECUTED:
        return batch  # Running it again pays nothing twice.
    items = list(batch.items.all())
    for application in lock_applications(item.application_id for item in items):
        item = next(i for i in items if i.application_id == application.pk)
        due = programme_rules.settlement_due_on(application.programme, application.planned_end)
        run_transition(
            application, "record_payout", user=user, amount=item.amount,
            note=_("Zahlungslauf %(number)s") % {"number": batch.number}, args=(due,),
        )
        ProgrammeBudget.objects.filter(programme_id=application.programme_id, year=application.budget_year).update(
            paid=F("paid") + item.amount.amount
        )
    batch.status = PayoutBatch.Status.EXECUTED
    batch.executed_by = user
    batch.executed_at = timezone.now()
    batch.save(update_fields=["status", "executed_by", "executed_at"])
    return batch
