from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Benutzerkonten")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .roles import sync_roles

        # After the last app has migrated, every permission exists.
        post_migrate.connect(sync_roles, dispatch_uid="portal.accounts.sync_roles")
        # Every login (allauth's, and force_login in tests) starts the clock of the staff session.
        user_logged_in.connect(_start_session_policy, dispatch_uid="portal.accounts.session_policy")


def _start_session_policy(sender, request, user, **kwargs):
    from .second_factor import start_session_policy

    if request is not None and hasattr(request, "session"):
        start_session_policy(request, user)

