"""Who must sign in with a second factor, and the session state the middleware keeps about it.

Everyone who sees other people's data or moves money needs a second factor: every role of
``portal.accounts.roles`` except applicants, and every ``is_staff`` or superuser account. Applicants
may add one in their portal. The same people get the short staff session (``StaffSessionMiddleware``).

The answer is kept in the session and checked against the database again at most once a minute, so a
page costs no extra query; a role given or a factor removed takes effect within that minute.
"""

import time
from dataclasses import asdict, dataclass

from django.contrib.auth.base_user import AbstractBaseUser

from .roles import APPLICANT, ROLE_PERMISSIONS

# New roles need the second factor unless they are added to the exceptions here.
ROLES_NEEDING_SECOND_FACTOR = tuple(role for role in ROLE_PERMISSIONS if role != APPLICANT)
SESSION_KEY = "portal.session_policy"
RECHECK_SECONDS = 60


def needs_second_factor(user: AbstractBaseUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.groups.filter(name__in=ROLES_NEEDING_SECOND_FACTOR).exists()


def has_second_factor(user: AbstractBaseUser) -> bool:
    """An authenticator app or a security key; recovery codes alone are only the way back in."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


@dataclass
class SessionPolicy:
    """What the session knows about its user: times are seconds since the epoch (``time.time()``)."""

    user: str
    privileged: bool
    enrolled: bool
    checked: float
    started: float
    seen: float

    @classmethod
    def start(cls, user: AbstractBaseUser, now: float) -> "SessionPolicy":
        return cls(user=str(user.pk), privileged=needs_second_factor(user), enrolled=has_second_factor(user),
                   checked=now, started=now, seen=now)

    @classmethod
    def load(cls, session, user: AbstractBaseUser) -> "SessionPolicy | None":
        data = session.get(SESSION_KEY)
        if not isinstance(data, dict) or data.get("user") != str(user.pk):
            return None
        try:
            return cls(**data)
        except TypeError:  # written by another version of this class
            return None

    def save(self, session) -> None:
        session[SESSION_KEY] = asdict(self)

    def recheck(self, user: AbstractBaseUser, now: float) -> bool:
        """Ask the database again once the last answer is a minute old (or while a factor is missing)."""
        if now - self.checked < RECHECK_SECONDS and not (self.privileged and not self.enrolled):
            return False
        self.privileged = needs_second_factor(user)
        self.enrolled = has_second_factor(user)
        self.checked = now
        return True


def start_session_policy(request, user: AbstractBaseUser) -> SessionPolicy:
    policy = SessionPolicy.start(user, time.time())
    policy.save(request.session)
    # The middleware applies the staff expiry to this response, after allauth's «remember me» has set its own.
    request.session_policy_started = True
    return policy
