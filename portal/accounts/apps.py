from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Benutzerkonten")

    def ready(self):
        from .roles import sync_roles

        # After the last app has migrated, every permission exists.
        post_migrate.connect(sync_roles, dispatch_uid="portal.accounts.sync_roles")
