from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Anträge und Zuwendungen")

    def ready(self):
        from . import figures  # noqa: F401 — registers the funding figures with the monitoring
