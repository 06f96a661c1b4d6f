"""Who may read cases: assigned by the provider's lead, or by an administrator with data protection's approval.

A superuser is no shortcut to case data: a case is only ever seen through an active ``ProviderMembership``
(``access.case_scope_q``), and memberships are written only here — by the active lead (Fallleitung) of that
provider, or by the two steps of an ``AccessProposal``: an administrator proposes, a user of the «Datenschutz»
role who is neither the proposer nor a superuser approves. Every grant and removal is an entry in the case
read log (``CaseReadLog`` with ``ReadPurpose.ACCESS_GRANTED`` / ``ACCESS_REVOKED``) in the same transaction.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AccessProposal, CaseReadLog, Provider, ProviderMembership, ProviderRole, ReadPurpose
from .access import is_lead

DATA_PROTECTION_GROUP = "Datenschutz"  # portal.accounts.roles.DATA_PROTECTION (a lower package cannot import it)
DECIDE_PROPOSAL = "integration_core.decide_accessproposal"


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def may_propose(user) -> bool:
    """Administrators (superusers) propose; they never assign directly."""
    return _signed_in(user) and user.is_superuser


def may_decide(user) -> bool:
    """The data-protection role, held in its own right: a superuser's all-permissions do not count."""
    # has_perm first: cached for the request, so pages that only ask (the admin menu) cost no query.
    return (_signed_in(user) and not user.is_superuser and user.has_perm(DECIDE_PROPOSAL)
            and user.groups.filter(name=DATA_PROTECTION_GROUP).exists())


def _log(*, actor, provider_id: int, subject, purpose: str, detail: str) -> CaseReadLog:
    return CaseReadLog.objects.create(case=None, user=actor, provider_id=provider_id, subject=subject,
                                      purpose=purpose, detail=detail[:300])


def _grant(*, actor, provider_id: int, member, role: str, detail: str) -> ProviderMembership:
    if role not in ProviderRole.values:
        raise ValidationError({"role": _("Wählen Sie eine Funktion.")})
    if not member.is_active:
        raise ValidationError({"user": _("Dieses Konto ist deaktiviert.")})
    membership, created = ProviderMembership.objects.select_for_update().get_or_create(
        provider_id=provider_id, user=member, defaults={"role": role, "is_active": True})
    if not created and membership.is_active and membership.role == role:
        raise ValidationError(_("Diese Person hat diesen Zugriff bereits."))
    membership.role, membership.is_active = role, True
    membership.save(update_fields=["role", "is_active"])
    _log(actor=actor, provider_id=provider_id, subject=member, purpose=ReadPurpose.ACCESS_GRANTED,
         detail=f"{ProviderRole(role).label}{detail}")
    return membership


def _revoke(*, actor, provider_id: int, member, detail: str) -> ProviderMembership:
    membership = ProviderMembership.objects.select_for_update().filter(
        provider_id=provider_id, user=member, is_active=True).first()
    if membership is None:
        raise ValidationError(_("Diese Person hat keinen Zugriff auf die Fälle dieses Trägers."))
    membership.is_active = False  # kept, not deleted: the row shows who once had access
    membership.save(update_fields=["is_active"])
    _log(actor=actor, provider_id=provider_id, subject=member, purpose=ReadPurpose.ACCESS_REVOKED,
         detail=f"{membership.get_role_display()}{detail}")
    return membership


def _require_lead(user, provider_id: int) -> None:
    if not (_signed_in(user) and is_lead(user, provider_id)):
        raise PermissionDenied(_("Nur die Fallleitung dieses Trägers vergibt den Zugriff auf seine Fälle."))


def _member_by_email(email: str):
    member = get_user_model().objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if member is None:
        raise ValidationError({"email": _("Unter dieser Adresse gibt es kein aktives Konto.")})
    return member


@transaction.atomic
def provider_member_assign(*, user, provider_id: int, email: str, role: str) -> ProviderMembership:
    """The provider's lead gives a person access to the provider's cases (case worker: own cases; lead: all)."""
    _require_lead(user, provider_id)
    return _grant(actor=user, provider_id=provider_id, member=_member_by_email(email), role=role, detail="")


@transaction.atomic
def provider_member_remove(*, user, membership_id: int) -> ProviderMembership:
    membership = ProviderMembership.objects.select_related("user").filter(pk=membership_id).first()
    if membership is None:
        raise PermissionDenied(_("Nur die Fallleitung dieses Trägers vergibt den Zugriff auf seine Fälle."))
    _require_lead(user, membership.provider_id)
    if membership.user_id == user.pk:
        raise ValidationError(_("Sie können sich nicht selbst entfernen; das tut eine andere Fallleitung oder die "
                                "Administration mit Zustimmung des Datenschutzes."))
    return _revoke(actor=user, provider_id=membership.provider_id, member=membership.user, detail="")


@transaction.atomic
def access_proposal_create(*, user, provider_id: int, email: str, action: str, role: str,
                           reason: str) -> AccessProposal:
    """An administrator proposes a grant or a removal; nothing changes until data protection approves."""
    if not may_propose(user):
        raise PermissionDenied(_("Nur die Administration schlägt eine Zugriffsänderung vor."))
    provider = Provider.objects.filter(pk=provider_id).first()
    if provider is None:
        raise ValidationError({"provider": _("Wählen Sie einen Träger.")})
    if action not in AccessProposal.Action.values:
        raise ValidationError({"action": _("Wählen Sie, ob der Zugriff erteilt oder entzogen werden soll.")})
    if action == AccessProposal.Action.GRANT and role not in ProviderRole.values:
        raise ValidationError({"role": _("Wählen Sie eine Funktion.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Begründen Sie den Vorschlag; der Datenschutz entscheidet danach.")})
    proposal = AccessProposal(provider=provider, user=_member_by_email(email), action=action,
                              role=role or ProviderRole.CASE_WORKER, reason=reason.strip(), proposed_by=user)
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError as exc:
        raise ValidationError(_("Für diese Person und diesen Träger liegt schon ein offener Vorschlag vor.")) from exc
    return proposal


@transaction.atomic
def access_proposal_decide(*, user, proposal_id: int, approve: bool) -> AccessProposal:
    """Data protection approves (the change is made and logged) or refuses (nothing changes) a proposal."""
    if not may_decide(user):
        raise PermissionDenied(_("Über Vorschläge zum Fallzugriff entscheidet der Datenschutz."))
    proposal = AccessProposal.objects.select_for_update().select_related("user", "proposed_by").filter(
        pk=proposal_id).first()
    if proposal is None or proposal.decided_at is not None:
        raise ValidationError(_("Über diesen Vorschlag ist bereits entschieden."))
    if proposal.proposed_by_id == user.pk:
        raise PermissionDenied(_("Über den eigenen Vorschlag entscheidet eine andere Person."))
    if approve:
        detail = _(" (Vorschlag von %(proposer)s, genehmigt von %(approver)s)") % {
            "proposer": proposal.proposed_by.email, "approver": user.email}
        if proposal.action == AccessProposal.Action.GRANT:
            _grant(actor=user, provider_id=proposal.provider_id, member=proposal.user,
                   role=proposal.role, detail=detail)
        else:
            _revoke(actor=user, provider_id=proposal.provider_id, member=proposal.user,
                    detail=detail)
    proposal.decided_by, proposal.decided_at, proposal.approved = user, timezone.now(), approve
    proposal.save(update_fields=["decided_by", "decided_at", "approved"])
    return proposal
