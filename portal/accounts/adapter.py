from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from .error_messages import ERROR_MESSAGES
from .mails import PortalMailsMixin
from .throttling import LoginThrottleMixin


class AccountAdapter(PortalMailsMixin, LoginThrottleMixin, DefaultAccountAdapter):
    """District staff land in the staff area after login, case workers in their case list,
    applicants in their portal."""

    error_messages = {**DefaultAccountAdapter.error_messages, **ERROR_MESSAGES}

    def get_login_redirect_url(self, request):
        if request.user.has_perm("wagtailadmin.access_admin"):
            return reverse("wagtailadmin_home")
        if request.user.has_perm("integration_core.view_case"):
            return reverse("casework:case_list")
        return super().get_login_redirect_url(request)
