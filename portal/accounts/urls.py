"""Wagtail's URLs without its own login doors: every login and password reset goes through allauth.

The patterns keep their names, so Wagtail's own ``reverse("wagtailadmin_login")`` etc. still work and lead
to allauth."""

from django.urls import URLPattern, URLResolver, include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from .views import page_password_disabled, to_allauth

_ADMIN_PASSWORD_RESET = [
    path("", to_allauth("account_reset_password"), name="wagtailadmin_password_reset"),
    path("done/", to_allauth("account_reset_password"), name="wagtailadmin_password_reset_done"),
    path("confirm/<uidb64>/<token>/", to_allauth("account_reset_password"),
         name="wagtailadmin_password_reset_confirm"),
    path("complete/", to_allauth("account_login"), name="wagtailadmin_password_reset_complete"),
]

_REPLACED = {
    "wagtailadmin_login": to_allauth("account_login"),
    "wagtailcore_login": to_allauth("account_login"),
    "wagtailcore_authenticate_with_password": page_password_disabled,
}


def _without_login_views(patterns: list) -> list:
    result = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name in _REPLACED:
            result.append(URLPattern(pattern.pattern, _REPLACED[pattern.name], name=pattern.name))
        elif isinstance(pattern, URLResolver) and str(pattern.pattern) == "password_reset/":
            result.append(path("password_reset/", include(_ADMIN_PASSWORD_RESET)))
        else:
            result.append(pattern)
    return result


wagtail_admin_patterns = _without_login_views(wagtailadmin_urls.urlpatterns)
wagtail_page_patterns = _without_login_views(wagtail_urls.urlpatterns)
