"""A logged-in person without admin access who opens /admin/ lands on their own start page, never in a loop."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory, role_user
from tests.factories.cases import ProviderFactory, case_worker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/?next=/admin/", "/admin/foerderprogramme/"])
def test_an_applicant_opening_the_admin_is_sent_to_the_portal(client, path):
    applicant = role_user("Antragsteller")
    MembershipFactory(user=applicant)
    client.force_login(applicant)
    response = client.get(path, follow=True)  # the test client raises on a redirect loop
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    assert "Der Verwaltungsbereich ist den Mitarbeitenden des Landkreises vorbehalten." in response.content.decode()


def test_a_case_worker_opening_the_admin_is_sent_to_the_case_list(client):
    worker = case_worker(ProviderFactory())
    client.force_login(worker)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("casework:case_list")


def test_a_post_to_the_admin_without_access_is_forbidden(client):
    client.force_login(UserFactory())
    assert client.post("/admin/foerderprogramme/", {}).status_code == 403


def test_staff_and_anonymous_keep_their_ways(client):
    assert client.get("/admin/").url.startswith(reverse("account_login"))
    client.force_login(role_user("Sachbearbeitung"))
    assert client.get("/admin/").status_code == 200
