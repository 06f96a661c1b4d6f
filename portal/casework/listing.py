"""Search and filters of the case list, applied to the user's scoped case queryset.

The scope comes from ``cases_for_user``; this only narrows it. The duration states come from
integration_core.cases.duration (the 3 + 1-year rule lives there, not here).
"""

import re

from django.db.models import Q, QuerySet

from integration_core.cases import duration

from .forms.cases import STATUS_ENDED, STATUS_ENDING, STATUS_OPEN, STATUS_PAST_END

NUMBER = re.compile(r"^(?:IP)?[-\s]?0*(\d{1,9})$", re.IGNORECASE)


def search(cases: QuerySet, text: str) -> QuerySet:
    """By plan number ("IP-000042", "42") or by name (every word in the first or last name)."""
    text = (text or "").strip()
    if not text:
        return cases
    match = NUMBER.match(text)
    if match:
        return cases.filter(pk=int(match.group(1)))
    for word in text.split():
        cases = cases.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return cases


def apply_filters(cases: QuerySet, filters: dict) -> QuerySet:
    cases = search(cases, filters.get("q", ""))
    if filters.get("counselling_type"):
        cases = cases.filter(counselling_type=filters["counselling_type"])
    status = filters.get("status")
    if status == STATUS_OPEN:
        cases = cases.filter(ended_on__isnull=True, anonymised_at__isnull=True)
    elif status == STATUS_ENDED:
        cases = cases.filter(ended_on__isnull=False)
    elif status == STATUS_ENDING:
        cases = cases.filter(duration.ending_soon_q())
    elif status == STATUS_PAST_END:
        cases = cases.filter(duration.past_end_q())
    return cases
