"""The staff home page lists what waits for the user's role, linked to the filtered listing."""

import pytest
from django.urls import reverse

from grants.states import State
from tests.factories.people import totp_code

from .conftest import login

pytestmark = pytest.mark.django_db


def test_staff_see_the_queues_of_their_role_with_counts(client, people, application_in):
    application_in(State.SUBMITTED)
    application_in(State.SUBMITTED)
    application_in(State.APPROVED)
    login(client, people.staff)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Eingereicht – Prüfung beginnen" in html
    assert f'{reverse("antraege:index")}?state=submitted' in html
    assert "<td class=\"w-text-end\">2</td>" in html
    assert "Bewilligt – Auszahlung offen" not in html  # finance's queue


def test_finance_sees_the_payout_queue(client, people, application_in):
    application_in(State.APPROVED)
    login(client, people.finance)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Bewilligt – Auszahlung offen" in html
    assert "Eingereicht – Prüfung beginnen" not in html


def test_staff_land_in_the_admin_after_login_and_applicants_in_the_portal(client, people):
    for user, target in [(people.staff, reverse("wagtailadmin_home")), (people.applicant, reverse("portal:dashboard"))]:
        client.logout()
        response = client.post(reverse("account_login"), {"login": user.email, "password": "demo-pass-123"})
        assert response.status_code == 302
        if user == people.staff:  # staff confirm with their second factor
            assert response.url == reverse("mfa_authenticate")
            response = client.post(response.url, {"code": totp_code(user)})
        assert response.url == target


def test_admin_pages_are_titled_for_the_portal_and_load_nothing_from_elsewhere(client, people):
    login(client, people.staff)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Förderportal Verwaltung</title>" in html
    assert "gravatar.com" not in html
