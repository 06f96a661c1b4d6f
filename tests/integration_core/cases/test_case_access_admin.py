"""The admin no longer edits memberships; the proposal page works for the administrator and data protection."""

import pytest
from django.urls import NoReverseMatch, reverse

from integration_core.models import AccessProposal, CaseReadLog, ProviderMembership, ProviderRole
from portal.accounts.roles import CASE_WORKER, DATA_PROTECTION
from tests.factories import UserFactory, role_user

pytestmark = pytest.mark.django_db


def test_superuser_cannot_create_or_edit_memberships_in_the_admin(client, provider, worker):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    membership = worker.provider_memberships.get()
    for name, args in (("add", []), ("edit", [membership.pk]), ("delete", [membership.pk])):
        with pytest.raises(NoReverseMatch):
            reverse(f"traeger_mitarbeit:{name}", args=args)
    assert client.get("/admin/traeger_mitarbeit/new/").status_code == 404
    data = {"provider": provider.pk, "user": admin.pk, "role": ProviderRole.LEAD, "is_active": "on"}
    assert client.post("/admin/traeger_mitarbeit/new/", data).status_code == 404
    assert client.post(f"/admin/traeger_mitarbeit/edit/{membership.pk}/", data).status_code == 404
    assert client.get(reverse("traeger_mitarbeit:index")).status_code == 200  # still listed, read-only
    assert not ProviderMembership.objects.filter(user=admin).exists()


def test_the_two_steps_through_the_admin_page(client, provider):
    admin = UserFactory(is_superuser=True, is_staff=True, email="admin@example.org")
    newcomer = role_user(CASE_WORKER, email="neu@example.org")
    client.force_login(admin)
    page = client.get(reverse("fallzugang:index"))
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    client.post(reverse("fallzugang:index"), {"provider": provider.pk, "email": newcomer.email, "action": "grant",
                                              "role": ProviderRole.CASE_WORKER, "reason": "Neue Kollegin"})
    proposal = AccessProposal.objects.get()
    client.post(reverse("fallzugang:decide", args=[proposal.pk]), {"decision": "approve"})
    assert AccessProposal.objects.get().decided_at is None  # the administrator cannot approve
    client.force_login(role_user(DATA_PROTECTION))
    html = client.get(reverse("fallzugang:index")).content.decode()
    assert "Neue Kollegin" in html
    assert 'name="reason"' not in html
    client.post(reverse("fallzugang:decide", args=[proposal.pk]), {"decision": "approve"})
    assert ProviderMembership.objects.get(user=newcomer).is_active
    assert CaseReadLog.objects.filter(case__isnull=True, subject=newcomer).count() == 1


@pytest.mark.parametrize("role", ["Sachbearbeitung", "Leitung", "Fallleitung", "Fallbearbeitung", "Statistik"])
def test_other_roles_get_no_case_access_page(client, role):
    client.force_login(role_user(role))
    assert client.get(reverse("fallzugang:index")).status_code in (302, 403)
    assert client.post(reverse("fallzugang:index"), {"reason": "x"}).status_code in (302, 403)
    assert not AccessProposal.objects.exists()
