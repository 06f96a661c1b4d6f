"""The staff home page lists side effects (e-mails, letters) that have waited too long to go out."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .. import outbox

SHOWN = 20
# Staff who answer for letters and mails to applicants (Sachbearbeitung, Leitung); the other roles with
# admin access (finance, committee, data protection, statistics) have nothing to do about them.
PERMISSION = "grants.review_application"


class OutboxPanel(Component):
    name = "grants_outbox"
    template_name = "grants/admin/home_outbox.html"
    order = 40

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        if not user.has_perm(PERMISSION):
            return {"rows": []}
        waiting = outbox.overdue()
        rows = [
            {"kind": outbox.label_for(m.kind), "target": m.target, "created_at": m.created_at,
             "attempts": m.attempts, "error": m.last_error}
            for m in waiting[:SHOWN]
        ]
        return {"rows": rows, "count": waiting.count() if len(rows) == SHOWN else len(rows),
                "heading": _("Ausstehende Folgeaktionen")}
