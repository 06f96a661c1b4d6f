"""The second factor: required for every role that sees other people's data or moves money, offered to applicants."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.accounts.mfa_adapter import MFAAdapter
from portal.accounts.roles import APPLICANT, CASE_WORKER, ROLE_PERMISSIONS, STAFF, sync_roles
from portal.accounts.second_factor import needs_second_factor
from tests.factories.people import UserFactory, enrol_totp, role_user, totp_code
from tests.project.test_settings import _import_production

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"
SETUP = reverse("mfa_activate_totp")
STAFF_ROLES = sorted(role for role in ROLE_PERMISSIONS if role != APPLICANT)


def member_of(role: str, **kwargs):
    """A user in the role's group only: not ``is_staff``, no factor (as a role given in the admin)."""
    sync_roles()
    user = UserFactory(second_factor=False, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


def code_for(secret: str, moment: float) -> str:
    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(moment) // app_settings.TOTP_PERIOD))


def password_login(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def factors(user) -> set[str]:
    return set(Authenticator.objects.filter(user=user).values_list("type", flat=True))


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_role_but_applicants_needs_a_second_factor(role):
    assert needs_second_factor(member_of(role))
    assert not needs_second_factor(member_of(APPLICANT))
    assert needs_second_factor(UserFactory(is_superuser=True, second_factor=False))
    assert needs_second_factor(UserFactory(is_staff=True, second_factor=False))


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_a_role_without_factor_is_sent_to_the_setup_from_every_area(client, role):
    client.force_login(member_of(role))
    for url in ["/portal/", "/fallarbeit/", "/admin/", "/admin/pages/", reverse("portal:organisation_create"), "/"]:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, SETUP), url
    assert client.post("/portal/organisationen/neu/", {"name": "x"})["Location"] == SETUP
    # Scripts get a refusal, not a page
    assert client.get("/fallarbeit/", headers={"HX-Request": "true"}).status_code == 403
    assert client.get("/admin/", headers={"Accept": "application/json"}).status_code == 403


def test_superuser_without_factor_is_held_too(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, second_factor=False))
    assert client.get("/admin/")["Location"] == SETUP


def test_the_setup_pages_logout_and_language_switch_stay_open(client):
    client.force_login(member_of(CASE_WORKER))
    assert client.get(reverse("mfa_index")).status_code == 200
    webauthn = client.get(reverse("mfa_add_webauthn"))  # a security key instead of the app
    assert webauthn.status_code == 200 or webauthn["Location"] != SETUP
    response = client.post(reverse("set_language"), {"language": "en", "next": SETUP})
    assert response["Location"] == SETUP
    assert client.post(reverse("account_logout"))["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_new_case_worker_sets_up_the_app_with_a_real_code_and_then_reaches_the_pages(client, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+01:00", tick=False)
    worker = member_of(CASE_WORKER)
    response = password_login(client, worker)
    assert client.get(response["Location"])["Location"] == SETUP  # the case list waits

    page = client.get(SETUP)  # right after the password: no second password prompt
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zwei-Faktor-Anmeldung einrichten" in html
    assert "alle anderen Seiten gesperrt" in html
    secret = page.context["form"].secret
    assert secret in html
    assert "<svg" in html

    wrong = client.post(SETUP, {"code": "000000" if code_for(secret, time.time()) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    assert factors(worker) == set()

    done = client.post(SETUP, {"code": code_for(secret, time.time())})
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert factors(worker) == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    codes = client.get(done["Location"])
    assert codes.status_code == 200  # shown once more without asking for the password again
    assert len(codes.context["unused_codes"]) == 10
    assert client.get("/fallarbeit/").status_code == 200


def test_staff_login_asks_for_the_code_after_the_password(client):
    staff = role_user(STAFF)
    response = password_login(client, staff)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone logs nobody in
    assert client.get("/admin/").status_code == 302

    page = client.get(reverse("mfa_authenticate"))
    assert "Anmeldung bestätigen" in page.content.decode()
    wrong = client.post(reverse("mfa_authenticate"), {"code": "12345x"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(staff)})
    assert response["Location"] == reverse("wagtailadmin_home")
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(client):
    staff = role_user(STAFF)
    first, second = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES).wrap() \
        .get_unused_codes()[:2]

    password_login(client, staff)
    assert client.post(reverse("mfa_authenticate"), {"code": first})["Location"] == reverse("wagtailadmin_home")
    client.logout()

    password_login(client, staff)
    again = client.post(reverse("mfa_authenticate"), {"code": first})
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.post(reverse("mfa_authenticate"), {"code": second})["Location"] == reverse("wagtailadmin_home")


def test_applicants_are_not_forced_but_may_set_up_a_factor(client):
    applicant = member_of(APPLICANT)
    response = password_login(client, applicant)
    assert response["Location"] == reverse("portal:dashboard")
    dashboard = client.get(reverse("portal:dashboard"))
    assert dashboard.status_code == 200
    assert f'href="{SETUP}"' in dashboard.content.decode()

    page = client.get(SETUP)
    assert "alle anderen Seiten gesperrt" not in page.content.decode()
    client.post(SETUP, {"code": code_for(page.context["form"].secret, time.time())})
    assert Authenticator.Type.TOTP in factors(applicant)
    assert f'href="{reverse("mfa_index")}"' in client.get(reverse("portal:dashboard")).content.decode()

    client.logout()
    assert password_login(client, applicant)["Location"] == reverse("mfa_authenticate")


def test_staff_cannot_remove_their_only_factor_applicants_can():
    staff, applicant = role_user(STAFF), member_of(APPLICANT)
    enrol_totp(applicant)
    adapter = MFAAdapter()
    assert not adapter.can_delete_authenticator(Authenticator.objects.get(user=staff, type="totp"))
    assert adapter.can_delete_authenticator(Authenticator.objects.get(user=applicant, type="totp"))


def test_enforcement_can_be_switched_off_outside_production_only(client, settings):
    settings.MFA_ENFORCED = False
    client.force_login(member_of(CASE_WORKER))
    assert client.get("/fallarbeit/").status_code == 200

    result = _import_production(
        SECRET_KEY="x" * 50, ALLOWED_HOSTS="x.example", DATABASE_URL="postgres://u@h/db", CELERY_BROKER_URL="redis://h",
        SALT_KEY="s" * 20, STATISTICS_PSEUDONYM_KEY="k" * 40, REDIS_URL="redis://h/1", MFA_ENFORCED="0",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "MFA_ENFORCED" in result.stderr


def test_a_security_key_can_be_added_instead_of_the_app(client):
    """WebAuthn is offered where the browser has it: the page opens and its script comes from a file."""
    worker = member_of(CASE_WORKER)
    password_login(client, worker)
    setup = client.get(SETUP).content.decode()
    assert f'href="{reverse("mfa_add_webauthn")}"' in setup
    page = client.get(reverse("mfa_add_webauthn"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "mfa/js/webauthn.js" in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    inline = [tag for tag in scripts if "src=" not in tag and 'type="application/json"' not in tag]
    assert inline == []  # no inline JavaScript (CSP without unsafe-inline): files and JSON data only
