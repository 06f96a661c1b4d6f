"""allauth's mails speak like the portal: "Sie", the district's and the portal's name, links on the base URL."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE_URL = "https://foerderportal.kreis-beispiel.de"
PASSWORD = "Sonnenblume-Brücke-42"
INFORMAL = re.compile(r"\b(du|dein|deine|deinen|dich|dir|hallo|hello)\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _district(settings):
    settings.WAGTAILADMIN_BASE_URL = f"{BASE_URL}/"
    settings.DISTRICT_NAME = "Landkreis Beispielhausen"
    settings.WAGTAIL_SITE_NAME = "Förderportal Beispielhausen"


def _assert_speaks_like_the_portal(message, subject: str) -> list[str]:
    text = f"{message.subject}\n{message.body}"
    assert message.subject == f"[Förderportal Beispielhausen] {subject}"
    assert "Landkreis Beispielhausen" in message.body
    assert re.search(r"\b(Sie|Ihr|Ihre|Ihrem|Ihren)\b", message.body)
    assert not INFORMAL.search(text), INFORMAL.search(text)
    assert "testserver" not in text
    assert "example.com" not in text
    links = re.findall(r"https?://\S+", message.body)
    assert links
    assert all(link.startswith(f"{BASE_URL}/") for link in links), links
    assert "{%" not in message.body
    assert f"Förderportal Beispielhausen: {BASE_URL}/" in message.body  # the signature
    return [link for link in links if link != f"{BASE_URL}/"]


def test_sign_up_and_a_repeated_verification_mail():
    client = Client()
    client.post(reverse("account_signup"), {"email": "neu@verein.de", "password1": PASSWORD, "password2": PASSWORD})
    [link] = _assert_speaks_like_the_portal(mail.outbox[0], "Bitte bestätigen Sie Ihre E-Mail-Adresse")
    assert "/konto/confirm-email/" in link
    assert "neu@verein.de" in mail.outbox[0].body
    # The link works on the portal (the path of the base URL link is the real one).
    assert client.get(link.removeprefix(BASE_URL)).status_code == 200


def test_sign_up_with_a_registered_address_tells_the_owner():
    UserFactory(email="bekannt@verein.de")
    Client().post(reverse("account_signup"), {"email": "bekannt@verein.de", "password1": PASSWORD,
                                               "password2": PASSWORD})
    links = _assert_speaks_like_the_portal(mail.outbox[-1], "Für diese E-Mail-Adresse gibt es bereits ein Konto")
    assert f"{BASE_URL}/konto/password/reset/" in links


def test_password_reset_key_and_the_notice_after_the_reset():
    UserFactory(email="vergesslich@verein.de")
    client = Client()
    client.post(reverse("account_reset_password"), {"email": "vergesslich@verein.de"})
    [link] = _assert_speaks_like_the_portal(mail.outbox[0], "Passwort zurücksetzen")
    page = client.get(link.removeprefix(BASE_URL), follow=True)
    client.post(page.redirect_chain[-1][0], {"password1": PASSWORD, "password2": PASSWORD})
    assert len(mail.outbox) == 2
    notice = mail.outbox[1]
    _assert_speaks_like_the_portal(notice, "Ihr Passwort wurde zurückgesetzt")
    assert "IP-Adresse: 127.0.0.1" in notice.body


def test_password_reset_for_an_unknown_address_invites_to_register():
    Client().post(reverse("account_reset_password"), {"email": "unbekannt@verein.de"})
    links = _assert_speaks_like_the_portal(mail.outbox[0], "Kein Konto zu dieser E-Mail-Adresse")
    assert links == [f"{BASE_URL}/konto/signup/"]


def test_password_change_notice():
    user = UserFactory(email="aendert@verein.de")
    client = Client()
    client.force_login(user)
    response = client.post(reverse("account_change_password"), {
        "oldpassword": "demo-pass-123", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    _assert_speaks_like_the_portal(mail.outbox[-1], "Ihr Passwort wurde geändert")
