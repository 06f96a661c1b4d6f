"""The programme log on the programme's admin pages: a panel on the edit form, a section on the inspect page."""

from wagtail.admin.panels import Panel

from .admin_views import GermanInspectView
from .models import ProgrammeLogEntry

LOG_ROWS = 100  # the latest changes; a programme's settings change a few times a year


def log_entries(programme) -> list[ProgrammeLogEntry]:
    if programme is None or programme.pk is None:
        return []
    return list(ProgrammeLogEntry.objects.filter(programme_id=programme.pk).select_related("actor")[:LOG_ROWS])


class ProgrammeLogPanel(Panel):
    """Read-only list of the programme's logged changes (newest first)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "programmes/admin/programme_log.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["log_entries"] = log_entries(self.instance)
            return context


class ProgrammeInspectView(GermanInspectView):
    template_name = "programmes/admin/programme_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["log_entries"] = log_entries(self.object)
        return context
