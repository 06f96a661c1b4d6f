"""The staff admin is for staff: a logged-in person without admin access is sent to their own start page.

Wagtail answers such a person with a redirect to the login, and allauth sends a logged-in person straight back
to ``next`` — an endless loop in the browser. This middleware breaks it before Wagtail sees the request.
"""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _


class AdminAreaOnlyForStaffMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # A view hook, like the second-factor check before it: that one answers first.
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and request.path.startswith(reverse("wagtailadmin_home"))
                and not user.has_perm("wagtailadmin.access_admin")):
            if request.headers.get("x-requested-with") == "XMLHttpRequest" or request.method != "GET":
                raise PermissionDenied
            messages.info(request, _("Der Verwaltungsbereich ist den Mitarbeitenden des Landkreises vorbehalten."))
            return HttpResponseRedirect(get_adapter(request).get_login_redirect_url(request))
        return None
