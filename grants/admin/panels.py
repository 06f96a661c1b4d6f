"""The staff home page shows what is waiting for whom, counted in one query."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from ..models import Application
from ..states import State

# (label, filter on the listing, the permission of the role that acts next)
QUEUES = [
    (_("Eingereicht – Prüfung beginnen"), {"state": State.SUBMITTED}, "grants.review_application"),
    (_("In Prüfung"), {"state": State.IN_REVIEW}, "grants.review_application"),
    (_("Empfohlen – Bewilligung offen"), {"state": State.RECOMMENDED}, "grants.approve_application"),
    (_("Bewilligt – Auszahlung offen"), {"state": State.APPROVED}, "grants.manage_payouts"),
    (_("Verwendungsnachweis eingereicht – Prüfung offen"), {"state": State.SETTLEMENT_SUBMITTED},
     "grants.check_settlement"),
    (_("Verwendungsnachweis überfällig"), {"settlement_overdue": "true"}, "grants.check_settlement"),
    (_("Rückforderung offen – Zahlungseingang buchen"), {"state": State.REFUND_CLAIMED}, "grants.record_refund"),
]


def queue_counts() -> list[int]:
    aggregates = {}
    for index, (_label, filters, _perm) in enumerate(QUEUES):
        condition = Q(settlement_overdue=True) if "settlement_overdue" in filters else Q(state=filters["state"])
        aggregates[f"q{index}"] = Count("pk", filter=condition)
    counts = Application.objects.aggregate(**aggregates)
    return [counts[f"q{index}"] for index in range(len(QUEUES))]


class WorkQueuePanel(Component):
    name = "grants_work_queue"
    template_name = "grants/admin/home_work_queue.html"
    order = 50

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        index = reverse("antraege:index")
        rows = [
            {"label": label, "count": count, "url": f"{index}?{urlencode(filters)}"}
            for (label, filters, perm), count in zip(QUEUES, queue_counts(), strict=True)
            if user.has_perm(perm)
        ]
        return {"rows": rows}
