"""Who may read cases is assigned by the provider's lead, or by an administrator with data protection's approval.

Each path and each role: the lead assigns and removes; a lead of another provider, a case worker, staff, data
protection alone and a superuser alone cannot; the superuser proposes and a data-protection user approves
(neither alone, not the proposer, not a superuser); every grant and removal is in the case read log.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from integration_core.cases.access import case_for_read, case_for_write, cases_for_user
from integration_core.cases.assignments import (
    access_proposal_create,
    access_proposal_decide,
    provider_member_assign,
    provider_member_remove,
)
from integration_core.models import AccessProposal, CaseReadLog, ProviderMembership, ProviderRole, ReadPurpose
from portal.accounts.roles import CASE_WORKER, DATA_PROTECTION
from tests.factories import UserFactory, role_user
from tests.factories.cases import CaseFactory, ProviderFactory, case_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True, email="admin@example.org")


@pytest.fixture
def data_protection(db):
    return role_user(DATA_PROTECTION, email="dsb@example.org")


@pytest.fixture
def newcomer(db):
    return role_user(CASE_WORKER, email="neu@example.org")


def _access_log():
    return list(CaseReadLog.objects.filter(case__isnull=True).order_by("pk").values_list(
        "purpose", "user__email", "subject__email", "provider_id"))


def test_the_lead_assigns_and_removes_and_both_are_logged(provider, lead, newcomer):
    case = CaseFactory(case_worker=lead)
    membership = provider_member_assign(user=lead, provider_id=provider.pk, email="NEU@example.org",
                                        role=ProviderRole.LEAD)
    assert case in cases_for_user(user=newcomer)
    provider_member_remove(user=lead, membership_id=membership.pk)
    assert not cases_for_user(user=newcomer).exists()
    assert ProviderMembership.objects.get(pk=membership.pk).is_active is False
    assert _access_log() == [
        (ReadPurpose.ACCESS_GRANTED, lead.email, newcomer.email, provider.pk),
        (ReadPurpose.ACCESS_REVOKED, lead.email, newcomer.email, provider.pk),
    ]


@pytest.mark.parametrize("who", ["other_lead", "case_worker", "staff", "data_protection", "superuser", "nobody"])
def test_nobody_else_assigns_directly(provider, worker, newcomer, who, superuser, data_protection):
    actor = {
        "other_lead": lambda: case_lead(ProviderFactory()),
        "case_worker": lambda: worker,
        "staff": lambda: role_user("Sachbearbeitung"),
        "data_protection": lambda: data_protection,
        "superuser": lambda: superuser,
        "nobody": UserFactory,
    }[who]()
    with pytest.raises(PermissionDenied):
        provider_member_assign(user=actor, provider_id=provider.pk, email=newcomer.email, role=ProviderRole.LEAD)
    with pytest.raises(PermissionDenied):
        provider_member_remove(user=actor, membership_id=worker.provider_memberships.get().pk)
    assert not ProviderMembership.objects.filter(user=newcomer).exists()
    assert worker.provider_memberships.get().is_active
    assert _access_log() == []


def test_the_superuser_cannot_give_itself_access_alone(provider, worker, superuser):
    case = CaseFactory(case_worker=worker)
    proposal = access_proposal_create(user=superuser, provider_id=provider.pk, email=superuser.email,
                                      action=AccessProposal.Action.GRANT, role=ProviderRole.LEAD,
                                      reason="Vertretung der Fallleitung")
    # Proposed only: no membership, no case.
    assert not ProviderMembership.objects.filter(user=superuser).exists()
    with pytest.raises(Http404):
        case_for_read(user=superuser, case_id=case.pk)
    with pytest.raises(PermissionDenied):  # the superuser's all-permissions do not make it data protection
        access_proposal_decide(user=superuser, proposal_id=proposal.pk, approve=True)
    other_admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        access_proposal_decide(user=other_admin, proposal_id=proposal.pk, approve=True)
    assert AccessProposal.objects.get(pk=proposal.pk).decided_at is None
    assert _access_log() == []


def test_data_protection_approves_the_administrators_proposal(provider, worker, superuser, data_protection):
    case = CaseFactory(case_worker=worker)
    newcomer = role_user(CASE_WORKER, email="vertretung@example.org")
    proposal = access_proposal_create(user=superuser, provider_id=provider.pk, email=newcomer.email,
                                      action=AccessProposal.Action.GRANT, role=ProviderRole.LEAD,
                                      reason="Vertretung der Fallleitung ab 1. Januar")
    access_proposal_decide(user=data_protection, proposal_id=proposal.pk, approve=True)
    assert case_for_read(user=newcomer, case_id=case.pk) == case
    proposal.refresh_from_db()
    assert (proposal.approved, proposal.decided_by) == (True, data_protection)
    entry = CaseReadLog.objects.get(case__isnull=True)
    assert (entry.purpose, entry.user, entry.subject, entry.provider) == (
        ReadPurpose.ACCESS_GRANTED, data_protection, newcomer, provider)
    assert superuser.email in entry.detail
    assert data_protection.email in entry.detail
    with pytest.raises(ValidationError):  # decided once
        access_proposal_decide(user=data_protection, proposal_id=proposal.pk, approve=False)


def test_a_removal_proposal_and_a_refusal(provider, worker, superuser, data_protection):
    refused = access_proposal_create(user=superuser, provider_id=provider.pk, email=worker.email,
                                     action=AccessProposal.Action.REVOKE, role="", reason="Wechsel des Trägers")
    access_proposal_decide(user=data_protection, proposal_id=refused.pk, approve=False)
    assert worker.provider_memberships.get().is_active
    assert _access_log() == []
    removal = access_proposal_create(user=superuser, provider_id=provider.pk, email=worker.email,
                                     action=AccessProposal.Action.REVOKE, role="", reason="Wechsel des Trägers")
    access_proposal_decide(user=data_protection, proposal_id=removal.pk, approve=True)
    assert not cases_for_user(user=worker).exists()
    assert _access_log() == [(ReadPurpose.ACCESS_REVOKED, data_protection.email, worker.email, provider.pk)]


def test_data_protection_cannot_propose_nor_decide_its_own(provider, superuser, data_protection, newcomer):
    with pytest.raises(PermissionDenied):
        access_proposal_create(user=data_protection, provider_id=provider.pk, email=newcomer.email,
                               action=AccessProposal.Action.GRANT, role=ProviderRole.LEAD, reason="x")
    proposal = access_proposal_create(user=superuser, provider_id=provider.pk, email=newcomer.email,
                                      action=AccessProposal.Action.GRANT, role=ProviderRole.CASE_WORKER, reason="x")
    # A superuser who also holds the data-protection role still cannot decide (and never its own proposal).
    superuser.groups.add(data_protection.groups.get())
    with pytest.raises(PermissionDenied):
        access_proposal_decide(user=superuser, proposal_id=proposal.pk, approve=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessProposal.objects.filter(pk=proposal.pk).update(decided_by=superuser, decided_at=proposal.proposed_at,
                                                             approved=True)
    with pytest.raises(ValidationError):  # one open proposal per provider and person
        access_proposal_create(user=superuser, provider_id=provider.pk, email=newcomer.email,
                               action=AccessProposal.Action.GRANT, role=ProviderRole.LEAD, reason="y")


def test_superuser_status_alone_opens_no_case_anywhere(provider, worker, superuser):
    case = CaseFactory(case_worker=worker)
    # Even with a membership written behind the services' back, the role is missing: nothing opens.
    ProviderMembership.objects.create(provider=provider, user=superuser, role=ProviderRole.LEAD)
    assert not cases_for_user(user=superuser).exists()
    with pytest.raises(Http404):
        case_for_read(user=superuser, case_id=case.pk)
    with pytest.raises(PermissionDenied):
        case_for_write(user=superuser, case_id=case.pk)
