"""The preview in the language the staff user chose: its steps' words and figures follow it."""

import pytest
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db


def _prefer(user, language: str) -> None:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def test_the_preview_steps_follow_the_users_language(client, world, staff, urls):
    client.force_login(staff.clerk)
    _prefer(staff.clerk, "en")
    html = client.get(urls.preview).content.decode()
    assert "Step 1" in html
    assert "Bestadt (0.40" in html  # the figure inside the step in English format
    assert "Bestadt (0,40" not in html
    assert "100,000.00 €" in html
    _prefer(staff.clerk, "de")
    html = client.get(urls.preview).content.decode()
    assert "Schritt 1 – Förderfähigkeit" in html
    assert "Bestadt (0,40 VZÄ)" in html
    assert "100.000,00 €" in html
