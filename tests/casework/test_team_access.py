"""The provider's lead gives and takes access to the provider's cases on the team page; nobody else reaches it."""

import pytest
from django.urls import reverse

from integration_core.models import CaseReadLog, ProviderMembership, ProviderRole, ReadPurpose
from portal.accounts.roles import CASE_WORKER
from tests.factories import UserFactory, role_user

from .conftest import login

pytestmark = pytest.mark.django_db


def test_the_lead_adds_and_removes_a_person(client, provider, lead, worker):
    newcomer = role_user(CASE_WORKER, email="neu@example.org")
    url = reverse("casework:team", args=[provider.pk])
    assert url in login(client, lead).get(reverse("casework:case_list")).content.decode()
    assert worker.email in client.get(url).content.decode()
    response = client.post(url, {"email": "neu@example.org", "role": ProviderRole.CASE_WORKER})
    assert response.status_code == 302
    membership = ProviderMembership.objects.get(user=newcomer)
    client.post(reverse("casework:team_remove", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active is False
    assert list(CaseReadLog.objects.filter(subject=newcomer).values_list("purpose", flat=True).order_by("pk")) == [
        ReadPurpose.ACCESS_GRANTED, ReadPurpose.ACCESS_REVOKED]


def test_an_unknown_address_is_a_clear_error(client, provider, lead):
    response = login(client, lead).post(reverse("casework:team", args=[provider.pk]),
                                        {"email": "niemand@example.org", "role": ProviderRole.CASE_WORKER})
    assert response.status_code == 400
    assert "kein aktives Konto" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_case_workers_other_leads_and_superusers_get_404_or_403(client, provider, worker, stranger, method):
    from tests.factories.cases import case_lead

    other_lead = case_lead(stranger.provider_memberships.get().provider)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    membership = worker.provider_memberships.get()
    data = {"email": superuser.email, "role": ProviderRole.LEAD}
    for user in (worker, other_lead, superuser, stranger):
        for url in (reverse("casework:team", args=[provider.pk]),
                    reverse("casework:team_remove", args=[membership.pk])):
            response = getattr(login(client, user), method)(url, data)
            assert response.status_code in (403, 404, 405), (user, url)
    assert not ProviderMembership.objects.filter(user=superuser).exists()
    assert ProviderMembership.objects.get(pk=membership.pk).is_active
    for user in (role_user("Antragsteller"), role_user("Sachbearbeitung")):
        assert login(client, user).get(reverse("casework:team", args=[provider.pk])).status_code == 403
