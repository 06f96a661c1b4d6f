from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Benutzerkonten")

    def ready(self):
        from allauth.mfa.signals import authenticator_added, authenticator_removed
        from django.contrib.auth.signals import user_logged_in

        from .roles import sync_roles

        # After the last app has migrated, every permission exists.
        post_migrate.connect(sync_roles, dispatch_uid="portal.accounts.sync_roles")
        # Every login (allauth's, and force_login in tests) starts the clock of the staff session.
        user_logged_in.connect(_start_session_policy, dispatch_uid="portal.accounts.session_policy")
        authenticator_added.connect(_refresh_session_policy, dispatch_uid="portal.accounts.factor_added")
        authenticator_removed.connect(_refresh_session_policy, dispatch_uid="portal.accounts.factor_removed")


def _start_session_policy(sender, request, user, **kwargs):
    from .second_factor import start_session_policy

    if request is not None and hasattr(request, "session"):
        start_session_policy(request, user)


def _refresh_session_policy(sender, request, user, **kwargs):
    """A factor added or removed shows at once (on the dashboard), not only at the next minute's check."""
    import time

    from .second_factor import SessionPolicy

    if request is None or not hasattr(request, "session"):
        return
    policy = SessionPolicy.load(request.session, user)
    if policy is not None:
        policy.checked = 0.0
        policy.recheck(user, time.time())
        policy.save(request.session)
