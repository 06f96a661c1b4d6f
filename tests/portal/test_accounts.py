"""Registration with e-mail verification, login and password reset through our KERN templates."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "Sonnenblume-Brücke-42"


def _link(message, pattern: str) -> str:
    match = re.search(pattern, message.body)
    assert match, message.body
    return match.group(1)


def test_signup_verify_and_login(client):
    response = client.post(reverse("account_signup"), {
        "email": "neu@verein.example", "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neu@verein.example"]
    confirm_url = _link(mail.outbox[0], r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)")

    client.logout()
    # Not verified yet: login leads to the "please verify" page, not into the portal.
    blocked = client.post(reverse("account_login"), {"login": "neu@verein.example", "password": PASSWORD})
    assert blocked["Location"] != reverse("portal:dashboard")

    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "E-Mail-Adresse bestätigen" in page.content.decode()
    client.post(confirm_url)

    client.logout()
    response = client.post(reverse("account_login"), {"login": "neu@verein.example", "password": PASSWORD})
    assert response["Location"] == reverse("portal:dashboard")
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_login_with_wrong_password_shows_error_summary(client):
    from tests.factories import UserFactory

    UserFactory(email="erika@example.org")
    response = client.post(reverse("account_login"), {"login": "erika@example.org", "password": "falsch"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert "<title>Fehler: Anmelden – " in html


def test_password_reset_sends_an_email(client):
    from tests.factories import UserFactory

    UserFactory(email="vergesslich@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "vergesslich@example.org"})
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    reset_url = _link(mail.outbox[0], r"https?://[^/\s]+(/konto/password/reset/key/[^\s]+/)")
    # The link leads to our form for the new password (allauth redirects once to hide the key).
    page = client.get(reset_url, follow=True)
    assert 'id="id_password1"' in page.content.decode()
    done = client.post(page.redirect_chain[-1][0], {"password1": PASSWORD, "password2": PASSWORD})
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    assert client.login(username="vergesslich@example.org", password=PASSWORD)


@pytest.mark.parametrize(
    ("name", "title"),
    [("account_login", "Anmelden"), ("account_signup", "Registrieren"),
     ("account_reset_password", "Passwort zurücksetzen"), ("account_reset_password_done", "Passwort zurücksetzen"),
     ("account_email_verification_sent", "E-Mail-Adresse bestätigen")],
)
def test_account_pages_use_the_portal_layout(client, name, title):
    html = client.get(reverse(name)).content.decode()
    assert f"<title>{title} – " in html
    assert 'class="skip-link' in html
    assert 'class="kern-heading-large"' in html
