"""Membership by invitation: a member invites an address, the person joins by accepting while logged in as it.

The inviter learns nothing about the address: the answer is the same whether or not anyone is registered under
it, and who may join is decided only when the invitation is accepted. District staff (any role but the
applicant's, ``is_staff`` or superuser) never join an applicant organisation: a member of the organisation is
"biased" for its applications and would lose every action on them.
"""

import base64
import hashlib
import secrets
from datetime import timedelta

from cryptography.fernet import Fernet
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from portal.accounts.roles import APPLICANT

from .models import Invitation, Membership, Organisation

INVITATION_VALID_DAYS = 14


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def has_staff_role(user) -> bool:
    """Any role beyond the applicant's: staff flag, superuser, another group or a permission of its own."""
    return bool(
        user.is_staff or user.is_superuser or user.groups.exclude(name=APPLICANT).exists()
        or user.user_permissions.exists()
    )


def _require_member(organisation_id: int, user) -> None:
    if not Membership.objects.filter(organisation_id=organisation_id, user_id=user.pk).exists():
        raise PermissionDenied(_("Sie gehören dieser Organisation nicht an."))


@transaction.atomic
def invitation_create(*, user, organisation_id: int, email: str) -> Invitation:
    """Invite ``email``; inviting an address with an open invitation renews it (new link, new period).

    Raises ValidationError only for what the member already knows: a malformed address or a current member.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    _require_member(organisation.pk, user)
    email = (email or "").strip().lower()
    if not email or "@" not in email or len(email) > 254:
        raise ValidationError({"email": _("Geben Sie eine gültige E-Mail-Adresse an.")})
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("Diese Person gehört der Organisation bereits an.")})
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=INVITATION_VALID_DAYS)
    invitation = organisation.invitations.open().filter(email__iexact=email).first()
    if invitation is None:
        invitation = Invitation(organisation=organisation, email=email, invited_by=user)
    invitation.invited_by, invitation.token_hash, invitation.expires_at = user, token_hash(token), expires_at
    invitation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:  # the same address invited at the same moment by another member
        raise ValidationError({"email": _("Diese Adresse wurde soeben schon eingeladen.")}) from exc
    _queue_invitation_email(invitation, token)
    return invitation


def seal(token: str) -> str:
    """The token encrypted with a key derived from SECRET_KEY, for the outbox row that sends the link."""
    return _fernet().encrypt(token.encode()).decode()


def unseal(sealed: str) -> str:
    return _fernet().decrypt(sealed.encode()).decode()


def _fernet() -> Fernet:
    key = salted_hmac("portal.organisations.invitation-link", "outbox", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _queue_invitation_email(invitation: Invitation, token: str) -> None:
    from grants import outbox

    from .tasks import send_invitation_email

    # One row per link: a renewed invitation (new token) is a new e-mail.
    outbox.enqueue(send_invitation_email, key=f"invitation:{invitation.pk}:{invitation.token_hash[:32]}",
                   target=invitation.email, invitation_id=invitation.pk, sealed_token=seal(token))


@transaction.atomic
def invitation_revoke(*, user, organisation_id: int, invitation_id: int) -> Invitation:
    _require_member(organisation_id, user)
    invitation = (Invitation.objects.select_for_update()
                  .filter(organisation_id=organisation_id, pk=invitation_id).first())
    if invitation is None:
        raise PermissionDenied(_("Diese Einladung gehört nicht zu Ihrer Organisation."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("Diese Einladung wurde bereits angenommen."))
    if invitation.revoked_at is None:
        invitation.revoked_at, invitation.revoked_by = timezone.now(), user
        invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token_hash=token_hash(token)).first()


def invitation_refusal(invitation: Invitation | None, user) -> str | None:
    """Why ``user`` cannot accept ``invitation`` now, in one German sentence; None if they can."""
    if invitation is None:
        return _("Dieser Einladungslink ist ungültig. Prüfen Sie, ob Sie ihn vollständig aus der E-Mail "
                 "übernommen haben.")
    if invitation.revoked_at is not None:
        return _("Diese Einladung wurde zurückgezogen.")
    if invitation.accepted_at is not None:
        return _("Diese Einladung wurde bereits angenommen; sie gilt nur einmal.")
    if invitation.is_expired:
        return _("Diese Einladung ist abgelaufen. Bitten Sie ein Mitglied der Organisation um eine neue "
                 "Einladung.")
    if (user.email or "").strip().lower() != invitation.email.lower():
        return _("Diese Einladung gilt für eine andere E-Mail-Adresse. Melden Sie sich mit der Adresse an, an "
                 "die die Einladung ging.")
    if has_staff_role(user):
        return _("Mit einem Konto der Verwaltung (Sachbearbeitung, Leitung oder eine andere Rolle des Landkreises) "
                 "können Sie keiner antragstellenden Organisation beitreten: Sie wären bei deren Anträgen "
                 "befangen. Nutzen Sie für die Organisation ein eigenes Konto mit einer anderen Adresse.")
    if invitation.organisation.memberships.filter(user_id=user.pk).exists():
        return _("Sie gehören dieser Organisation bereits an.")
    return None


@transaction.atomic
def invitation_accept(*, user, token: str) -> Membership:
    """The invited person joins: logged in as the invited address, not staff, the invitation open and current."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Bitte melden Sie sich an."))
    invitation = Invitation.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    refusal = invitation_refusal(invitation, user)
    if refusal:
        raise ValidationError(refusal)
    membership = Membership.objects.create(organisation_id=invitation.organisation_id, user=user)
    # Members of an applicant organisation hold the applicant role (a group without staff rights).
    group = Group.objects.filter(name=APPLICANT).first()
    if group is not None:
        user.groups.add(group)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
