"""The few views of the accounts app: where the other login doors lead, and the answer when throttled."""

from http import HTTPStatus
from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from .throttling import longest_period, retry_after, try_again_message

# allauth views answering 429 → the rate-limit action they count (see ACCOUNT_RATE_LIMITS).
ACTION_BY_URL_NAME = {
    "account_login": "login",
    "account_signup": "signup",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_change_password": "change_password",
    "account_email": "manage_email",
    "account_reauthenticate": "reauthenticate",
}


def to_allauth(url_name: str):
    """A view that leads to allauth's ``url_name``, keeping ``next`` (GET or POST alike: nothing posted is used)."""

    def redirect(request, *args, **kwargs):
        target = reverse(url_name)
        next_url = request.GET.get("next")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)

    redirect.__name__ = f"to_{url_name}"
    # Nothing posted is read; a stale form of the old login page still gets the way to the new one.
    return csrf_exempt(redirect)


def page_password_disabled(request, *args, **kwargs):
    # Wagtail's shared page/collection passwords are switched off (WAGTAIL_PRIVATE_PAGE_OPTIONS): a second
    # login without rate limit. Pages restricted to logged-in users go through allauth's login instead.
    raise Http404


def too_many_requests(request, exception=None):
    """allauth's 429 answer (``handler429`` of the root URLconf): a portal page saying when to try again."""
    match = request.resolver_match
    action = ACTION_BY_URL_NAME.get(match.url_name if match else "")
    seconds = 60
    if action:
        key = (request.POST.get("email") or "").strip().lower() or None if action == "reset_password" else None
        seconds = retry_after(request, action=action, key=key) or longest_period(action)
    response = render(request, "429.html", {"try_again": try_again_message(seconds)},
                      status=HTTPStatus.TOO_MANY_REQUESTS)
    response["Retry-After"] = str(seconds)
    return response
