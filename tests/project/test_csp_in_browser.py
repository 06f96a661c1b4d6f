"""A real browser (Debian's Chromium, driven by playwright) opens representative pages under the real headers and
reports no Content-Security-Policy violation: what the HTML checks in tests/admin/test_csp_crawl.py cannot see
(scripts that create scripts, eval, style attributes set by script)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from wagtail.models import Locale

from cms.models import ProgrammePage
from cms.setup import ensure_site_tree
from grants.services.applications import application_submit
from tests.factories import UserFactory, make_application, role_user

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="braucht /usr/bin/chromium (apt-get install chromium)"),
]


def session_cookie(user) -> dict:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key}


def violations_on(browser, base_url: str, user, paths: list[str]) -> dict[str, list[str]]:
    context = browser.new_context(base_url=base_url)
    if user is not None:
        context.add_cookies([{**session_cookie_for[user.pk], "url": base_url}])
    found = {}
    for path in paths:
        page = context.new_page()
        messages = []
        page.on("console", lambda message, bucket=messages: bucket.append(message.text))
        response = page.goto(path, wait_until="networkidle")
        assert response.status == 200, path
        found[path] = [text for text in messages if "Content Security Policy" in text]
        page.close()
    context.close()
    return found


session_cookie_for: dict = {}


def test_pages_raise_no_csp_violation_in_chromium(live_server, monkeypatch):
    playwright = pytest.importorskip("playwright.sync_api")
    # playwright's sync API runs an event loop in this thread; the ORM work is all done before it starts.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # A transactional test runs after others have flushed the tables, Wagtail's default locale included.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    application = make_application(amount="800.00")
    submitted = make_application(amount="900.00", programme=application.programme)
    application_submit(user=submitted.created_by, application_id=submitted.pk)
    ensure_site_tree(programmes=[application.programme])
    programme_page = ProgrammePage.objects.get(programme=application.programme)
    applicant = application.created_by
    staff = role_user("Sachbearbeitung")
    superuser = UserFactory(is_staff=True, is_superuser=True)
    for user in (applicant, staff, superuser):
        session_cookie_for[user.pk] = session_cookie(user)
    visits = [
        (None, ["/", programme_page.url]),
        (applicant, [reverse("portal:dashboard"), reverse("portal:application_edit", args=[application.pk])]),
        (staff, ["/admin/", reverse("antraege:index"), reverse("antraege:detail", args=[submitted.pk])]),
        (superuser, [reverse("wagtailadmin_pages:edit", args=[programme_page.pk]),
                     reverse("foerderprogramme:edit", args=[application.programme.pk])]),
    ]
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            found = {}
            for user, paths in visits:
                found.update(violations_on(browser, live_server.url, user, paths))
        finally:
            browser.close()
    assert {path: texts for path, texts in found.items() if texts} == {}
    assert len(found) == 9
