from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from .second_factor import needs_second_factor


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff may swap factors but never remove their last one (applicants may)."""
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        if not needs_second_factor(authenticator.user):
            return True
        return Authenticator.objects.filter(
            user_id=authenticator.user_id, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exclude(pk=authenticator.pk).exists()
