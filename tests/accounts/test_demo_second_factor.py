"""The demo's staff accounts use one published TOTP secret; the login's second step shows the code in demo mode only."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from portal.demo import reference
from portal.demo.build import build_users
from portal.demo.second_factor import enrol_demo_second_factor
from tests.factories.people import totp_code

pytestmark = pytest.mark.django_db
AUTHENTICATE = reverse("mfa_authenticate")


@pytest.fixture
def demo_users():
    cache.clear()  # allauth remembers used codes there; the demo secret is the same in every test
    users = build_users()
    enrol_demo_second_factor()
    return users


def shown_code(html: str) -> str | None:
    match = re.search(r"Code dieses Demo-Kontos ist <strong>(\d{6})</strong>", html)
    return match.group(1) if match else None


def test_demo_staff_get_the_published_secret_applicants_nothing(demo_users):
    staff_accounts = [email for email, _f, _l, role in reference.USERS if role != "Antragsteller"]
    with_app = set(Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user__email", flat=True))
    assert with_app == set(staff_accounts)
    assert totp_code(demo_users["kasse"]) == totp_code(demo_users["leitung"])  # one secret for the demo
    assert enrol_demo_second_factor() == 0  # a second seed_demo changes nothing


def test_the_second_step_shows_the_current_code_of_a_demo_account(client, demo_users):
    response = client.post(reverse("account_login"), {"login": "kasse@demo.example", "password": "demo"})
    assert response["Location"] == AUTHENTICATE
    code = shown_code(client.get(AUTHENTICATE).content.decode())
    assert code is not None
    now = time.time()
    assert code in {totp_code(demo_users["kasse"], at=now), totp_code(demo_users["kasse"], at=now - 30)}
    assert client.post(AUTHENTICATE, {"code": code})["Location"] == reverse("wagtailadmin_home")


def test_outside_demo_mode_no_code_is_shown_and_no_demo_secret_is_given(client, demo_users, settings):
    settings.DEMO_MODE = False
    client.post(reverse("account_login"), {"login": "kasse@demo.example", "password": "demo"})
    page = client.get(AUTHENTICATE).content.decode()
    assert shown_code(page) is None
    assert totp_code(demo_users["kasse"]) not in page
    with pytest.raises(ImproperlyConfigured):
        enrol_demo_second_factor()
