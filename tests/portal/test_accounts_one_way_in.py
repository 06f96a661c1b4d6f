"""One way in: every password is checked by allauth's login (verification, rate limits), by no other view."""

import inspect
import re

import pytest
from allauth.account.views import LoginView as AllauthLoginView
from django.contrib.auth import views as auth_views
from django.test import Client
from django.urls import URLResolver, get_resolver, include, path, reverse

from tests.factories import UserFactory, role_user

AUTH_VIEW_CLASSES = (auth_views.LoginView, auth_views.PasswordResetView, auth_views.PasswordResetConfirmView,
                     auth_views.PasswordChangeView)
# A call that checks a password or logs a person in, or a form that does.
CHECKS_PASSWORD = re.compile(
    r"(?<!\w)(?:login|authenticate|check_password)\(|AuthenticationForm|PasswordViewRestrictionForm"
)
TRUSTED = ("allauth.", "django.views.", "django.contrib.messages.", "builtins")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def _source_checks_password(obj) -> bool:
    try:
        return bool(CHECKS_PASSWORD.search(inspect.getsource(obj)))
    except (OSError, TypeError):
        return False


def _why_a_login(callback) -> str | None:
    """Why this view authenticates a password outside allauth, or None."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        if view_class.__module__.startswith("allauth."):
            return None
        if issubclass(view_class, AUTH_VIEW_CLASSES):
            return f"{view_class.__module__}.{view_class.__qualname__} is a Django auth view"
        for klass in view_class.__mro__:
            if not klass.__module__.startswith(TRUSTED) and _source_checks_password(klass):
                return f"{klass.__module__}.{klass.__qualname__} checks a password"
        return None
    function = inspect.unwrap(callback)
    module = getattr(function, "__module__", "")
    if module.startswith("allauth."):
        return None
    if module.startswith("django.contrib.admin"):
        return "Django's admin site is routed"
    if _source_checks_password(function):
        return f"{module}.{function.__qualname__} checks a password"
    return None


def test_the_walk_sees_allauths_login_and_would_see_wagtails():
    routes = dict(_walk(get_resolver().url_patterns))
    assert routes["konto/login/"].view_class is AllauthLoginView
    # The detector is not blind: Wagtail's own URL lists hold login views, and it names them.
    from wagtail import urls as wagtail_urls
    from wagtail.admin import urls as wagtailadmin_urls

    unpatched = [path("admin/", include(wagtailadmin_urls)), path("", include(wagtail_urls))]
    found = {route for route, callback in _walk(unpatched) if _why_a_login(callback)}
    assert {"admin/login/", "_util/login/", "admin/password_reset/",
            "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/"} <= found


def test_no_view_but_allauths_authenticates_a_password():
    offenders = {route: why for route, callback in _walk(get_resolver().url_patterns)
                 if (why := _why_a_login(callback))}
    assert offenders == {}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_wagtail_admin_login_leads_to_allauths_login_keeping_next(method):
    user = UserFactory(email="sb@kreis.de")
    data = {"username": user.email, "password": "demo-pass-123"} if method == "post" else None
    response = getattr(Client(), method)("/admin/login/?next=/admin/pages/", data)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2Fpages%2F"
    # Nothing posted there logged anybody in.
    assert "_auth_user_id" not in response.client.session


@pytest.mark.django_db
def test_protected_pages_and_the_admin_send_visitors_to_allauths_login():
    client = Client()
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"].startswith(f"{reverse('account_login')}?next=")
    assert client.get("/_util/login/?next=/intern/")["Location"] == f"{reverse('account_login')}?next=%2Fintern%2F"
    assert client.get(reverse("wagtailadmin_login")).url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_password_reset_and_page_passwords_of_wagtail_are_gone():
    client = Client()
    assert client.get("/admin/password_reset/")["Location"] == reverse("account_reset_password")
    assert client.post("/admin/password_reset/", {"email": "x@y.de"})["Location"] == reverse("account_reset_password")
    assert client.get("/admin/password_reset/confirm/MQ/abc-def/")["Location"] == reverse("account_reset_password")
    assert client.post("/_util/authenticate_with_password/1/1/", {"password": "geheim"}).status_code == 404


@pytest.mark.django_db
def test_the_wagtail_account_page_changes_neither_password_nor_address():
    staff = role_user("Sachbearbeitung")
    client = Client()
    client.force_login(staff)
    html = client.get(reverse("wagtailadmin_account")).content.decode()
    assert 'type="password"' not in html
    assert 'name="email-email"' not in html
