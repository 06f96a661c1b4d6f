"""How long a throttled person has to wait, and the German sentence that says so.

allauth counts attempts in the default cache (a list of timestamps per action and ip/key/user) but only says
"later"; the wait is read from the same counts."""

import math
import time
from datetime import timedelta

from allauth.core.internal import ratelimit
from django import forms
from django.utils import formats, timezone
from django.utils.translation import ngettext

APP = "allauth.account"


def retry_after(request, *, action: str, key: str | None = None, user=None) -> int:
    """Seconds until ``action`` is allowed again (0: allowed now). A rate per key or user is read only when
    that key or user is known."""
    now = time.time()
    wait = 0.0
    for rate in ratelimit.get_rates(app=APP, action=action):
        if (rate.per == "key" and key is None) or (
            rate.per == "user" and user is None and not request.user.is_authenticated
        ):
            continue
        cache_key = ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key, user=user)
        history = [stamp for stamp in ratelimit.cache.get(cache_key, []) if stamp > now - rate.duration]
        if len(history) >= rate.amount:
            # Newest first: the attempt at index amount-1 has to age out before the next one counts.
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait)


def longest_period(action: str) -> int:
    """The longest period of the action's rates: the wait when the exhausted count cannot be read."""
    return math.ceil(max((rate.duration for rate in ratelimit.get_rates(app=APP, action=action)), default=60))


def try_again_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    at = timezone.localtime(timezone.now() + timedelta(seconds=seconds))
    return ngettext(
        "Bitte versuchen Sie es in %(minutes)d Minute erneut (ab %(time)s Uhr).",
        "Bitte versuchen Sie es in %(minutes)d Minuten erneut (ab %(time)s Uhr).",
        minutes,
    ) % {"minutes": minutes, "time": formats.time_format(at, "H:i")}


class LoginThrottleMixin:
    """The message for too many wrong passwords says when the next attempt is possible."""

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError as error:
            key = self._get_login_attempts_cache_key(request, **credentials)
            seconds = retry_after(request, action="login_failed", key=key) or longest_period("login_failed")
            raise forms.ValidationError(
                f"{self.error_messages['too_many_login_attempts']} {try_again_message(seconds)}",
                code="too_many_login_attempts",
            ) from error
