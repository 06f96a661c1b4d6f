"""Staff sessions end after 30 minutes idle and 10 hours at most; «angemeldet bleiben» does not change that."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from portal.accounts.middleware import SEEN_RESOLUTION_SECONDS
from portal.accounts.roles import APPLICANT, FINANCE, STAFF
from tests.factories.people import role_user, totp_code

pytestmark = pytest.mark.django_db
MONDAY_MORNING = "2026-03-02 08:00:00+01:00"
PAGE = reverse("portal:dashboard")  # login_required: an ended session lands on the login page


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_staff_session_ends_after_30_idle_minutes(client, time_machine):
    time_machine.move_to(MONDAY_MORNING, tick=False)
    client.force_login(role_user(STAFF))
    assert client.get(PAGE).status_code == 200
    time_machine.shift(timedelta(minutes=29))
    assert client.get(PAGE).status_code == 200  # activity restarts the 30 minutes
    time_machine.shift(timedelta(minutes=29))
    assert client.get(PAGE).status_code == 200
    time_machine.shift(timedelta(minutes=31))
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not logged_in(client)


def test_active_staff_session_ends_after_10_hours(client, time_machine):
    time_machine.move_to(MONDAY_MORNING, tick=False)
    client.force_login(role_user(FINANCE))
    for _step in range(30):  # a request every 20 minutes up to 9 h 40 min
        assert client.get(PAGE).status_code == 200
        time_machine.shift(timedelta(minutes=20))
    assert logged_in(client)
    response = client.get(PAGE)  # 10 hours after login
    assert response["Location"].startswith(reverse("account_login"))
    assert not logged_in(client)
    page = client.get(response["Location"])
    assert "Höchstdauer von 10 Stunden" in page.content.decode()


def test_idle_check_is_in_the_middleware_not_only_in_the_cookie(client, time_machine):
    """Even a session store that never expires (e.g. a copied cookie) is refused after the idle time."""
    time_machine.move_to(MONDAY_MORNING, tick=False)
    client.force_login(role_user(STAFF))
    session = client.session
    session.set_expiry(7 * 24 * 3600)
    session.save()
    time_machine.shift(timedelta(minutes=31))
    response = client.get(PAGE)
    assert response["Location"].startswith(reverse("account_login"))
    assert not logged_in(client)
    assert "30 Minuten ohne Aktivität" in client.get(response["Location"]).content.decode()


def test_applicants_keep_the_normal_session(client, time_machine):
    time_machine.move_to(MONDAY_MORNING, tick=False)
    client.force_login(role_user(APPLICANT))
    time_machine.shift(timedelta(hours=11))
    assert client.get(reverse("portal:dashboard")).status_code == 200
    time_machine.shift(timedelta(days=3))
    assert client.get(reverse("portal:dashboard")).status_code == 200
    assert logged_in(client)


def test_stay_logged_in_has_no_effect_for_staff(client):
    staff = role_user(STAFF)
    client.post(reverse("account_login"), {"login": staff.email, "password": "demo-pass-123", "remember": "on"})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(staff)})
    assert logged_in(client)
    idle = settings.STAFF_SESSION_IDLE_MINUTES * 60 + SEEN_RESOLUTION_SECONDS
    assert client.session.get_expiry_age() <= idle
    assert int(client.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) <= idle


def test_stay_logged_in_still_works_for_applicants(client):
    applicant = role_user(APPLICANT)
    client.post(reverse("account_login"), {"login": applicant.email, "password": "demo-pass-123", "remember": "on"})
    assert logged_in(client)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
