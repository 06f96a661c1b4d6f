from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationCoreConfig(AppConfig):
    name = "integration_core"
    verbose_name = _("Integrationskern")
