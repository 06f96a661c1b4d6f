"""Writes of organisations and memberships; views call only these."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants import outbox
from portal.accounts.roles import APPLICANT
from programmes.choices import ApplicantType

from . import tasks
from .models import BankDetailsChange, Membership, Organisation, mask_iban

ORGANISATION_FIELDS = [
    "name", "legal_form", "applicant_type", "street", "house_number", "postcode", "town", "country",
    "contact_name", "contact_email", "contact_phone", "seat_municipality", "iban", "bic", "account_holder",
]
# Entered in the profile like the rest, but they become the payout account only once staff confirm them.
BANK_FIELDS = ("iban", "bic", "account_holder")
CONFIRM_PERMISSION = "organisations.confirm_bank_details"
# A Kommunaler Verbund names its member municipalities (their population is its own in a formula allocation).
MEMBERS_FIELD = "member_municipalities"


def _is_member(organisation: Organisation, user) -> bool:
    return organisation.memberships.filter(user_id=user.pk).exists()


def _apply(organisation: Organisation, data: dict) -> None:
    for field in ORGANISATION_FIELDS:
        if field in data and field not in BANK_FIELDS:
            setattr(organisation, field, data[field])


def _compact(value) -> str:
    return "".join((value or "").split()).upper()


def _bank_details_enter(organisation: Organisation, data: dict, user) -> BankDetailsChange | None:
    """Bank details from the profile form wait as ``pending_*`` with a change event, unless they are unchanged.

    Entering the confirmed details again withdraws a waiting change. The caller holds the organisation's row lock.
    """
    if "iban" not in data:
        return None
    entered = (_compact(data.get("iban")), _compact(data.get("bic")), (data.get("account_holder") or "").strip())
    if not entered[2]:
        raise ValidationError({"account_holder": _("Bitte geben Sie die Kontoinhaberin oder den Kontoinhaber an.")})
    confirmed = (organisation.iban, organisation.bic, organisation.account_holder)
    waiting = (organisation.pending_iban, organisation.pending_bic, organisation.pending_account_holder)
    if entered == (waiting if organisation.has_pending_bank_details else confirmed):
        return None
    if organisation.pk:
        organisation.bank_changes.filter(status=BankDetailsChange.Status.PENDING).update(
            status=BankDetailsChange.Status.SUPERSEDED, decided_at=timezone.now())
    if entered == confirmed:
        organisation.pending_iban = organisation.pending_bic = organisation.pending_account_holder = ""
        return None
    organisation.pending_iban, organisation.pending_bic, organisation.pending_account_holder = entered
    change = BankDetailsChange(
        organisation=organisation, old_iban_masked=mask_iban(organisation.iban),
        new_iban_masked=mask_iban(entered[0]), holder_changed=entered[2] != organisation.account_holder,
        entered_by=user,
    )
    change.full_clean(exclude=["organisation"])
    return change


def _save_bank_change(change: BankDetailsChange | None) -> None:
    if change is not None:
        change.save()
        notify_members_of_bank_change(change)


def notify_members_of_bank_change(change: BankDetailsChange) -> None:
    """The one side effect of a bank-details change: an e-mail to every member, through the outbox, sent once."""
    outbox.enqueue(tasks.notify_bank_details_change, key=f"bank-change:{change.pk}", target=str(change.organisation),
                   change_id=change.pk)


def _members(organisation: Organisation, data: dict) -> list:
    """The members to store: required for a Verbund (kept if not given), none for any other type."""
    if organisation.applicant_type != ApplicantType.MUNICIPAL_ASSOCIATION:
        return []
    if MEMBERS_FIELD in data:
        members = list(data[MEMBERS_FIELD] or [])
    else:
        members = list(organisation.member_municipalities.all()) if organisation.pk else []
    if not members:
        raise ValidationError({MEMBERS_FIELD: _(
            "Wählen Sie die Mitgliedskommunen Ihres Verbunds aus: Ihre Einwohnerzahlen bestimmen den Anteil in "
            "einer Formelzuweisung.")})
    return members


def _add_member(organisation: Organisation, user) -> Membership:
    membership = Membership.objects.create(organisation=organisation, user=user)
    # Members of an applicant organisation hold the applicant role (a group without staff rights).
    group = Group.objects.filter(name=APPLICANT).first()
    if group is not None:
        user.groups.add(group)
    return membership


@transaction.atomic
def organisation_create(*, user, data: dict) -> Organisation:
    """Create the organisation from the profile form; the creator becomes its first member."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Bitte melden Sie sich an."))
    organisation = Organisation()
    _apply(organisation, data)
    change = _bank_details_enter(organisation, data, user)
    organisation.full_clean()
    members = _members(organisation, data)
    organisation.save()
    organisation.member_municipalities.set(members)
    _add_member(organisation, user)
    _save_bank_change(change)
    return organisation


@transaction.atomic
def organisation_update(*, user, organisation_id: int, data: dict) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    if not _is_member(organisation, user):
        raise PermissionDenied(_("Sie gehören dieser Organisation nicht an."))
    _apply(organisation, data)
    change = _bank_details_enter(organisation, data, user)
    organisation.full_clean()
    members = _members(organisation, data)
    organisation.save()
    organisation.member_municipalities.set(members)
    _save_bank_change(change)
    return organisation




def _decidable_change(*, user, change_id: int) -> tuple[Organisation, BankDetailsChange]:
    """The waiting change under the organisation's row lock, if ``user`` may decide it (four eyes)."""
    if not (getattr(user, "is_authenticated", False) and user.has_perm(CONFIRM_PERMISSION)):
        raise PermissionDenied(_("Sie dürfen Bankverbindungen nicht bestätigen."))
    organisation_id = BankDetailsChange.objects.values_list("organisation_id", flat=True).get(pk=change_id)
    # Organisation first, as organisation_update locks it: the two never wait on each other crosswise.
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    change = BankDetailsChange.objects.select_for_update().get(pk=change_id)
    if change.status != BankDetailsChange.Status.PENDING:
        messages = {
            BankDetailsChange.Status.CONFIRMED: _("Diese Änderung der Bankverbindung ist bereits bestätigt."),
            BankDetailsChange.Status.REJECTED: _("Diese Änderung der Bankverbindung ist bereits abgelehnt."),
            BankDetailsChange.Status.SUPERSEDED: _(
                "Diese Änderung ist durch eine neuere ersetzt worden. Bitte prüfen Sie die neue Änderung."),
        }
        raise ValidationError(messages[change.status])
    if change.entered_by_id == user.pk:
        raise PermissionDenied(_("Vier-Augen-Prinzip: Eine Änderung der Bankverbindung, die Sie selbst "
                                 "eingetragen haben, muss eine andere Person bestätigen."))
    if _is_member(organisation, user):
        raise PermissionDenied(_("Sie gehören dieser Organisation an und dürfen ihre Bankverbindung nicht "
                                 "bestätigen."))
    return organisation, change


def _decide(change: BankDetailsChange, *, user, status: str) -> None:
    change.status = status
    change.decided_by = user
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def bank_details_confirm(*, user, change_id: int) -> BankDetailsChange:
    """The waiting bank details become the payout account; a second confirmation is refused, not repeated."""
    organisation, change = _decidable_change(user=user, change_id=change_id)
    organisation.iban = organisation.pending_iban
    organisation.bic = organisation.pending_bic
    organisation.account_holder = organisation.pending_account_holder
    organisation.pending_iban = organisation.pending_bic = organisation.pending_account_holder = ""
    organisation.full_clean()
    organisation.save(update_fields=["iban", "bic", "account_holder", "pending_iban", "pending_bic",
                                     "pending_account_holder"])
    _decide(change, user=user, status=BankDetailsChange.Status.CONFIRMED)
    return change


@transaction.atomic
def bank_details_reject(*, user, change_id: int) -> BankDetailsChange:
    """The waiting bank details are discarded; payouts keep the confirmed account."""
    organisation, change = _decidable_change(user=user, change_id=change_id)
    organisation.pending_iban = organisation.pending_bic = organisation.pending_account_holder = ""
    organisation.save(update_fields=["pending_iban", "pending_bic", "pending_account_holder"])
    _decide(change, user=user, status=BankDetailsChange.Status.REJECTED)
    return change
