"""Security headers: personal data is never cached; the public pages may be."""

import pytest

from tests.factories import role_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/portal/", "/admin/", "/konto/login/"])
def test_personal_pages_are_not_stored(client, path):
    client.force_login(role_user("Sachbearbeitung"))
    response = client.get(path, follow=True)
    cache_control = response.headers["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_frames_and_sniffing_are_refused(client):
    response = client.get("/konto/login/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


# -- Content-Security-Policy, Permissions-Policy, HSTS ------------------------------------------------
def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_strict_policy(response, *, admin=False):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert all(source == "'self'" or source.startswith("'nonce-") for source in policy["script-src"])
    # Wagtail's admin writes style attributes: inline styles there only, never for scripts.
    assert policy["style-src"] == (["'self'", "'unsafe-inline'"] if admin else ["'self'"])
    assert policy["img-src"] == ["'self'", "data:"]
    for name in ("font-src", "connect-src", "form-action", "base-uri"):
        assert policy[name] == ["'self'"], name
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert not any("http" in source for sources in policy.values() for source in sources), "nothing from a CDN"
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert "publickey-credentials-get=(self)" in permissions
    assert "publickey-credentials-create=(self)" in permissions


def test_public_page_has_the_policies(client):
    from cms.setup import ensure_site_tree

    ensure_site_tree(programmes=[])
    response = client.get("/")
    assert response.status_code == 200
    assert_strict_policy(response)


def test_portal_page_has_the_policies(client):
    client.force_login(role_user("Antragsteller"))
    response = client.get("/portal/")
    assert response.status_code == 200
    assert_strict_policy(response)


def test_admin_page_has_the_policies_and_a_nonce(client):
    client.force_login(role_user("Sachbearbeitung"))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert_strict_policy(response, admin=True)
    assert any(source.startswith("'nonce-") for source in directives(response)["script-src"])


def test_file_download_has_the_policies(client):
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from grants.models import Attachment
    from tests.factories import make_application

    applicant = role_user("Antragsteller")
    application = make_application(member=applicant)
    attachment = Attachment(
        application=application, original_name="Kostenplan.pdf", content_type="application/pdf", size=9,
        uploaded_by=applicant,
    )
    attachment.file.save("upload.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    client.force_login(applicant)
    response = client.get(reverse("portal:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert_strict_policy(response)


def test_nonce_differs_per_response(client):
    client.force_login(role_user("Sachbearbeitung"))
    first, second = (directives(client.get("/admin/"))["script-src"] for _ in range(2))
    assert first != second


def production_settings(monkeypatch, **env):
    import importlib
    import sys

    for name, value in {
        "SECRET_KEY": "x" * 60, "SALT_KEY": "salt", "ALLOWED_HOSTS": "foerderportal.example",
        "DATABASE_URL": "sqlite:///:memory:", "CELERY_BROKER_URL": "memory://", "STATISTICS_PSEUDONYM_KEY": "k",
        "REDIS_URL": "redis://127.0.0.1:6379/1", **env,
    }.items():
        monkeypatch.setenv(name, value)
    for name in {"SECURE_HSTS_PRELOAD", "SECURE_HSTS_INCLUDE_SUBDOMAINS"} - set(env):
        monkeypatch.delenv(name, raising=False)
    sys.modules.pop("portal.settings.production", None)
    module = importlib.import_module("portal.settings.production")
    sys.modules.pop("portal.settings.production", None)
    return module


def test_hsts_preload_and_subdomains_are_off_by_default(monkeypatch):
    production = production_settings(monkeypatch)
    assert production.SECURE_HSTS_SECONDS >= 31_536_000
    assert production.SECURE_HSTS_PRELOAD is False
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is False
    assert set(production.SILENCED_SYSTEM_CHECKS) == {"security.W005", "security.W021"}


def test_hsts_preload_and_subdomains_are_switched_on_by_environment(monkeypatch):
    production = production_settings(monkeypatch, SECURE_HSTS_PRELOAD="true", SECURE_HSTS_INCLUDE_SUBDOMAINS="true")
    assert production.SECURE_HSTS_PRELOAD is True
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert production.SILENCED_SYSTEM_CHECKS == []


def test_check_deploy_is_clean_with_production_settings():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production", "SECRET_KEY": "ci-" + "k7#Q" * 15,
        "SALT_KEY": "ci-salt", "STATISTICS_PSEUDONYM_KEY": "ci-statistics", "ALLOWED_HOSTS": "foerderportal.example",
        "DATABASE_URL": "sqlite:///:memory:", "CELERY_BROKER_URL": "memory://", "REDIS_URL": "redis://127.0.0.1:6379/1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
