import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
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

    def get_reauthentication_methods(self, user):
        """The second factor first when there is one: it proves the device, not only a known password."""
        methods = super().get_reauthentication_methods(user)
        return sorted(methods, key=lambda method: not method["id"].startswith("mfa_"))

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and _first_factor_right_after_login(context.request):
            return False
        return required


def _first_factor_right_after_login(request) -> bool:
    """Setting up the first factor within minutes of a password login needs no second password prompt.

    Staff without a factor are sent to its setup straight after login (and on to their recovery codes);
    asking for the password they just typed would only confuse. Once a session began with a factor in
    place, every change (another key, removing one, new recovery codes) asks again.
    """
    from allauth.mfa.models import Authenticator

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    logins = [r for r in get_authentication_records(request, user) if r.get("method") == "password"]
    if not logins or time.time() - logins[-1]["at"] >= account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    logged_in_at = datetime.fromtimestamp(logins[-1]["at"], tz=UTC)
    return not Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        created_at__lt=logged_in_at,
    ).exists()
