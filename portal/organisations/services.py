"""Writes of organisations and memberships; views call only these."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.roles import APPLICANT
from programmes.choices import ApplicantType

from .models import Membership, Organisation

ORGANISATION_FIELDS = [
    "name", "legal_form", "applicant_type", "street", "house_number", "postcode", "town", "country",
    "contact_name", "contact_email", "contact_phone", "seat_municipality", "iban", "bic", "account_holder",
]
# A Kommunaler Verbund names its member municipalities (their population is its own in a formula allocation).
MEMBERS_FIELD = "member_municipalities"


def _is_member(organisation: Organisation, user) -> bool:
    return organisation.memberships.filter(user_id=user.pk).exists()


def _apply(organisation: Organisation, data: dict) -> None:
    for field in ORGANISATION_FIELDS:
        if field in data:
            setattr(organisation, field, data[field])


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
    organisation.full_clean()
    members = _members(organisation, data)
    organisation.save()
    organisation.member_municipalities.set(members)
    _add_member(organisation, user)
    return organisation


@transaction.atomic
def organisation_update(*, user, organisation_id: int, data: dict) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    if not _is_member(organisation, user):
        raise PermissionDenied(_("Sie gehören dieser Organisation nicht an."))
    _apply(organisation, data)
    organisation.full_clean()
    members = _members(organisation, data)
    organisation.save()
    organisation.member_municipalities.set(members)
    return organisation
