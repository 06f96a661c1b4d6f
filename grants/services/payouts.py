"""Finance: payout batches and their execution."""

import hashlib
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from programmes import rules as programme_rules
from programmes.models import ProgrammeBudget

from .. import permissions as perms
from .. import sepa
from ..locks import lock_applications, lock_batch, lock_budgets, lock_organisations
from ..models import Application, ApplicationEvent, GrantIncrease, PayoutBatch, PayoutItem
from ..states import PAID_OUT, State
from .transitions import run_transition

# An increase raised after the grant was paid is paid on its own while the grant is still held, also after the
# settlement (a follow-up run re-shares among all who hold a grant, see grants.allocations.HOLDING).
PAID_STATES = PAID_OUT


def remittance_text(application: Application, *, increase: bool = False) -> str:
    """The remittance text as written; ``grants.sepa.sepa_text`` fits it to the SEPA set and 140 characters."""
    kind = "Erhöhung" if increase else "Zuwendung"
    return f"{application.file_number} {kind} {application.programme.name}: {application.title}"


def unpayable_reason(organisation) -> str | None:
    """Why nothing can be paid to ``organisation`` now, or None: only confirmed bank details are paid to."""
    if not organisation.iban:
        return _("Keine bestätigte Bankverbindung: Die Bankverbindung dieser Organisation ist noch von der "
                 "Verwaltung zu bestätigen (Menü „Bankverbindungen“). Bis dahin kann nichts ausgezahlt werden.")
    return None


def _item(batch: PayoutBatch, application: Application, organisation, **fields) -> PayoutItem:
    increase = fields.get("increase")
    payee, shortened = sepa.payee_fields(organisation, remittance_text(application, increase=increase is not None))
    return PayoutItem(batch=batch, application=application, shortened=shortened, **payee, **fields)


def _store_file(batch: PayoutBatch) -> None:
    """Write the SEPA file once, with its SHA-256; downloads return exactly these bytes."""
    content = sepa.build_payout_xml(batch)
    batch.sepa_sha256 = hashlib.sha256(content).hexdigest()
    batch.sepa_file.save(sepa.payout_filename(batch), ContentFile(content), save=False)
    # The file is written before the commit; if the transaction fails, the row that names it does not exist.
    batch.save(update_fields=["sepa_file", "sepa_sha256"])


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
    organisations = {o.pk: o for o in lock_organisations(a.organisation_id for a in applications)}
    # An organisation without confirmed bank details is left out with its reason; the rest goes on.
    skipped = list({a.pk: _skip(a, organisations[a.organisation_id])
                    for a in [*grants, *(i.application for i in increases)]
                    if unpayable_reason(organisations[a.organisation_id])}.values())
    left_out = {row["application"] for row in skipped}
    grants = [a for a in grants if a.pk not in left_out]
    increases = [i for i in increases if i.application_id not in left_out]
    if not grants and not increases:
        raise ValidationError([_("%(number)s: %(reason)s") % row for row in skipped])
    today = timezone.localdate()
    # A provisional unique number, replaced by one from the primary key: two finance
    # users creating batches in the same second cannot collide on a counted number.
    batch = PayoutBatch.objects.create(
        number=f"ZL-{today.year}-{get_random_string(12)}", execution_date=execution_date or today, created_by=user,
        skipped=skipped,
    )
    batch.number = f"ZL-{today.year}-{batch.pk:05d}"
    batch.save(update_fields=["number"])
    items = [_item(batch, a, organisations[a.organisation_id], amount=a.approved_amount, end_to_end_id=a.file_number)
             for a in grants]
    items += [_item(batch, i.application, organisations[i.application.organisation_id], increase=i, amount=i.amount,
                    end_to_end_id=f"{i.application.file_number}-E{i.pk}"[:35]) for i in increases]
    try:
        with transaction.atomic():
            PayoutItem.objects.bulk_create(items)
    except IntegrityError as exc:
        raise ValidationError(_("Mindestens ein Antrag steht bereits in einem anderen Zahlungslauf.")) from exc
    _store_file(batch)
    return batch


def _skip(application: Application, organisation) -> dict:
    return {"application": application.pk, "number": application.file_number or str(application.pk),
            "organisation": organisation.name, "reason": str(unpayable_reason(organisation))}


def payout_batch_file(*, user, batch_id: int) -> bytes:
    """The stored SEPA file for finance (the download); see ``stored_sepa_file``."""
    _require_finance(user)
    return stored_sepa_file(batch_id=batch_id)


@transaction.atomic
def stored_sepa_file(*, batch_id: int) -> bytes:
    """The SEPA file as stored at creation, the same bytes on every call; refused if they no longer match the hash.

    A batch created before files were stored gets its file written once here, from its frozen items. Also used
    by the ``export_payout_batch`` command, which runs with the operator's rights.
    """
    batch = lock_batch(batch_id)
    if not batch.sepa_file:
        _store_file(batch)
    with batch.sepa_file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != batch.sepa_sha256:
        raise ValidationError(_("Die gespeicherte SEPA-Datei des Zahlungslaufs %(number)s stimmt nicht mehr mit "
                                "ihrer Prüfsumme überein. Bitte wenden Sie sich an den Betrieb; die Datei wird so "
                                "nicht ausgegeben.") % {"number": batch.number})
    return content


@transaction.atomic
def payout_batch_execute(*, user, batch_id: int) -> PayoutBatch:
    """Mark the transfer as executed: each grant moves to paid exactly once; increases are booked as paid."""
    _require_finance(user)
    batch = lock_batch(batch_id)
    if batch.status == PayoutBatch.Status.EXECUTED:
        return batch  # Running it again pays nothing twice.
    if timezone.localdate() < batch.execution_date:
        raise ValidationError(
            _("Der Zahlungslauf %(number)s ist für den %(date)s angesetzt und kann erst ab diesem Tag als "
              "ausgeführt markiert werden.")
            % {"number": batch.number, "date": batch.execution_date.strftime("%d.%m.%Y")})
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
