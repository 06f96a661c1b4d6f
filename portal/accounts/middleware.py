"""Two rules for everyone who needs a second factor (see ``second_factor``).

``StaffSessionMiddleware``: the session ends after ``STAFF_SESSION_IDLE_MINUTES`` without a request and
``STAFF_SESSION_MAX_HOURS`` after login at the latest, whatever «angemeldet bleiben» said at login.

``SecondFactorRequiredMiddleware``: until a second factor is set up, every page leads to its setup; only
the setup pages themselves, the re-authentication they may ask for, logout and the language switch answer.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .second_factor import SessionPolicy

# The session's «last seen» is written at most this often: one session write a minute, not one a request.
SEEN_RESOLUTION_SECONDS = 60

SETUP_URL_NAMES = frozenset({
    "mfa_index", "mfa_activate_totp", "mfa_view_recovery_codes", "mfa_download_recovery_codes",
    "mfa_generate_recovery_codes", "mfa_add_webauthn", "mfa_list_webauthn", "mfa_reauthenticate",
    "mfa_reauthenticate_webauthn", "account_reauthenticate", "account_logout", "set_language",
})


def _limits() -> tuple[int, int]:
    return settings.STAFF_SESSION_IDLE_MINUTES * 60, settings.STAFF_SESSION_MAX_HOURS * 60 * 60


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            self._check(request, user, time.time())
        response = self.get_response(request)
        policy = getattr(request, "session_policy", None)
        if not request.user.is_authenticated:  # logged out during this request
            return response
        if getattr(request, "session_policy_started", False):  # logged in during this request
            policy = SessionPolicy.load(request.session, request.user)
            if policy and policy.privileged:
                self._expire_with(request, policy, policy.started)
        elif policy and policy.privileged and getattr(request, "session_policy_touched", False):
            self._expire_with(request, policy, policy.seen)
        return response

    def _check(self, request, user, now: float) -> None:
        policy = SessionPolicy.load(request.session, user)
        if policy is None:
            # A session from before this rule (the login signal writes the policy): staff sign in again.
            policy = SessionPolicy.start(user, now)
            if policy.privileged:
                self._end(request, _("Bitte melden Sie sich erneut an."))
                return
            policy.save(request.session)
        changed = policy.recheck(user, now)
        if policy.privileged:
            idle, longest = _limits()
            if now - policy.seen >= idle:
                self._end(request, _("Sie wurden nach %(minutes)d Minuten ohne Aktivität abgemeldet. "
                                     "Bitte melden Sie sich erneut an.") % {"minutes": idle // 60})
                return
            if now - policy.started >= longest:
                self._end(request, _("Ihre Sitzung hat die Höchstdauer von %(hours)d Stunden erreicht. "
                                     "Bitte melden Sie sich erneut an.") % {"hours": longest // 3600})
                return
            if now - policy.seen >= SEEN_RESOLUTION_SECONDS:
                policy.seen = now
                changed = request.session_policy_touched = True
        if changed:
            policy.save(request.session)
        request.session_policy = policy

    @staticmethod
    def _end(request, message: str) -> None:
        logout(request)  # the request goes on as anonymous: login-protected pages send it to the login
        messages.info(request, message)

    @staticmethod
    def _expire_with(request, policy: SessionPolicy, now: float) -> None:
        """The cookie and the stored session die with the idle limit or the maximum, whichever comes first.

        A minute later than the check above, so that it is this middleware that ends the session and says why.
        """
        idle, longest = _limits()
        remaining = int(policy.started + longest - now)
        request.session.set_expiry(max(0, min(idle, remaining)) + SEEN_RESOLUTION_SECONDS)


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return (
        request.headers.get("HX-Request") == "true"
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or ("application/json" in accept and "text/html" not in accept)
        or request.content_type == "application/json"
    )


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MFA_ENFORCED or not request.user.is_authenticated:
            return None
        policy = getattr(request, "session_policy", None)
        if policy is None or not policy.privileged or policy.enrolled:
            return None
        match = request.resolver_match
        if (match and match.url_name in SETUP_URL_NAMES) or request.path.startswith(settings.STATIC_URL):
            return None
        if _wants_json(request):
            return JsonResponse(
                {"detail": _("Bitte richten Sie zuerst die Zwei-Faktor-Anmeldung ein.")}, status=403
            )
        return redirect("mfa_activate_totp")
