"""The demo's staff accounts sign in with a second factor like real staff, from one published secret."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.accounts.models import User
from portal.accounts.second_factor import has_second_factor, needs_second_factor

from . import reference

DEMO_DOMAIN = "@demo.example"


def enrol_demo_second_factor() -> int:
    """Give every demo account that needs a second factor an authenticator app with the demo secret.

    Idempotent: accounts that already have a factor keep it. Returns how many were enrolled.
    """
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("The published demo TOTP secret is for DEMO_MODE only.")
    enrolled = 0
    for user in User.objects.filter(email__endswith=DEMO_DOMAIN).order_by("pk"):
        if needs_second_factor(user) and not has_second_factor(user):
            TOTP.activate(user, reference.DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
            enrolled += 1
    return enrolled


def demo_totp_code(user) -> str:
    """The current code of a demo account, or "" outside demo mode and for every other account."""
    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
    from allauth.mfa.utils import decrypt

    if not settings.DEMO_MODE or user is None or not getattr(user, "pk", None):
        return ""
    authenticator = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
    if authenticator is None or decrypt(authenticator.data["secret"]) != reference.DEMO_TOTP_SECRET:
        return ""
    # The middle of allauth's tolerance window: the counter of this very moment.
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(reference.DEMO_TOTP_SECRET, counters[app_settings.TOTP_TOLERANCE]))
