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
