from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from portal.accounts.urls import wagtail_admin_patterns, wagtail_page_patterns

urlpatterns = [
    path("admin/", include(wagtail_admin_patterns)),
    path("konto/", include("allauth.urls")),
    path("portal/", include("portal.urls_portal", namespace="portal")),
    path("fallarbeit/", include("portal.casework.urls", namespace="casework")),
    path("sprache/", set_language, name="set_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; keep it last.
urlpatterns += [path("", include(wagtail_page_patterns))]

# allauth answers throttled requests with this view (see portal.accounts.views).
handler429 = "portal.accounts.views.too_many_requests"
