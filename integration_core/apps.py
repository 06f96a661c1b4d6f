from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationCoreConfig(AppConfig):
    name = "integration_core"
    verbose_name = _("Integrationskern")

    def ready(self):
        # The case read log in the admin (kept apart from wagtail_hooks.py, which holds the municipalities).
        from . import wagtail_hooks_cases  # noqa: F401
