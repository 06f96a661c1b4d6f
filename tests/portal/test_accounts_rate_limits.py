"""Rate limits on login, sign-up, password reset and verification mails, counted in a cache all processes share."""

import os
import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from allauth.core.internal import ratelimit
from django.core import mail
from django.core.cache.backends.db import DatabaseCache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG = "E-Mail-Adresse oder Passwort stimmen nicht."
THROTTLED = re.compile(r"Zu viele fehlgeschlagene Anmeldeversuche\. Bitte versuchen Sie es in (\d+) Minuten erneut "
                       r"\(ab \d\d:\d\d Uhr\)\.")


def _thirty_wrong_passwords_over(cache_clients, monkeypatch) -> list[str]:
    """30 wrong passwords for one address from 30 client addresses, each request counted by the next of the
    cache clients (as if each were served by another process)."""
    UserFactory(email="ziel@verein.de")
    pages = []
    for attempt in range(30):
        monkeypatch.setattr(ratelimit, "cache", cache_clients[attempt % len(cache_clients)])
        response = Client(REMOTE_ADDR=f"10.9.{attempt}.1").post(
            reverse("account_login"), {"login": "ziel@verein.de", "password": f"falsch-{attempt}"})
        assert response.status_code == 200
        pages.append(response.content.decode())
    return pages


def _assert_throttled_together(pages: list[str], monkeypatch, cache_client) -> None:
    # 5 wrong passwords per address in 15 minutes, however many processes answer: the 6th is refused.
    assert [WRONG in page for page in pages] == [True] * 5 + [False] * 25
    assert all(THROTTLED.search(page) for page in pages[5:])
    assert THROTTLED.search(pages[5]).group(1) == "15"
    # Throttled means throttled: the right password does not get in either, now.
    monkeypatch.setattr(ratelimit, "cache", cache_client)
    right = Client(REMOTE_ADDR="10.9.99.1").post(
        reverse("account_login"), {"login": "ziel@verein.de", "password": "demo-pass-123"})
    assert right.status_code == 200
    assert THROTTLED.search(right.content.decode())


def test_wrong_passwords_over_two_database_cache_clients_are_throttled_together(monkeypatch):
    clients = [DatabaseCache("portal_cache", {}), DatabaseCache("portal_cache", {})]
    pages = _thirty_wrong_passwords_over(clients, monkeypatch)
    _assert_throttled_together(pages, monkeypatch, clients[0])


@pytest.fixture
def redis_cache_clients():
    import redis
    from django.core.cache.backends.redis import RedisCache

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except (redis.RedisError, OSError):
        pytest.skip(f"braucht Redis: unter {url} antwortet niemand (REDIS_URL setzen)")
    prefix = f"test-ratelimit-{uuid.uuid4().hex}"
    clients = [RedisCache(url, {"KEY_PREFIX": prefix}), RedisCache(url, {"KEY_PREFIX": prefix})]
    assert clients[0]._cache.get_client() is not clients[1]._cache.get_client()
    yield clients
    raw = redis.Redis.from_url(url)
    for key in raw.scan_iter(f"{prefix}:*"):
        raw.delete(key)


@pytest.mark.redis
def test_wrong_passwords_over_two_redis_clients_are_throttled_together(monkeypatch, redis_cache_clients):
    pages = _thirty_wrong_passwords_over(redis_cache_clients, monkeypatch)
    _assert_throttled_together(pages, monkeypatch, redis_cache_clients[1])


def test_too_many_sign_ups_from_one_address_get_a_german_page_saying_when():
    client = Client(REMOTE_ADDR="10.8.0.1")
    for number in range(5):
        response = client.post(reverse("account_signup"), {
            "email": f"neu{number}@verein.de", "password1": "Sonnenblume-42!", "password2": "Sonnenblume-42!"})
        assert response.status_code == 302
    throttled = client.post(reverse("account_signup"), {
        "email": "neu5@verein.de", "password1": "Sonnenblume-42!", "password2": "Sonnenblume-42!"})
    html = throttled.content.decode()
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert "<title>Zu viele Anfragen – " in html
    assert 'class="kern-heading-large"' in html
    assert re.search(r"Bitte versuchen Sie es in 1 Minute erneut \(ab \d\d:\d\d Uhr\)\.", html)
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.8.0.2").post(reverse("account_signup"), {
        "email": "neu6@verein.de", "password1": "Sonnenblume-42!", "password2": "Sonnenblume-42!"})
    assert other.status_code == 302


def test_password_reset_requests_for_one_address_are_limited_and_the_page_says_for_how_long():
    UserFactory(email="vergesslich@verein.de")
    for number in range(3):
        response = Client(REMOTE_ADDR=f"10.7.0.{number + 1}").post(
            reverse("account_reset_password"), {"email": "Vergesslich@verein.de"})
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    throttled = Client(REMOTE_ADDR="10.7.0.9").post(reverse("account_reset_password"),
                                                      {"email": "vergesslich@verein.de"})
    assert throttled.status_code == 429
    assert re.search(r"in 15 Minuten erneut", throttled.content.decode())
    assert 14 * 60 < int(throttled["Retry-After"]) <= 15 * 60
    assert len(mail.outbox) == 3


def test_verification_mails_to_one_address_are_spaced():
    client = Client(REMOTE_ADDR="10.6.0.1")
    client.post(reverse("account_signup"), {
        "email": "eilig@verein.de", "password1": "Sonnenblume-42!", "password2": "Sonnenblume-42!"})
    assert len(mail.outbox) == 1
    login = {"login": "eilig@verein.de", "password": "Sonnenblume-42!"}
    # An unverified login asks for the verification mail again: not within three minutes of the last one.
    Client(REMOTE_ADDR="10.6.0.2").post(reverse("account_login"), login)
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        Client(REMOTE_ADDR="10.6.0.3").post(reverse("account_login"), login)
    assert len(mail.outbox) == 2
