"""Reads of the programmes app, scoped to the acting user (404 for what a user may not see).

Allocation runs are district business, not an organisation's: whoever holds
``programmes.view_allocationrun`` sees all of them, everyone else none.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from integration_core.models import Municipality

from .models import AllocationRun

VIEW_RUN = "programmes.view_allocationrun"
# The list shows no figures per municipality, so it never loads the (large) JSON columns.
_LIST_DEFERRED = ("rules", "inputs", "outputs", "steps")


def allocation_runs_for(user, *, kind: str | None = None) -> QuerySet[AllocationRun]:
    """The runs ``user`` may see, newest first, with their author (one query for a listing)."""
    if not (user.is_authenticated and user.has_perm(VIEW_RUN)):
        return AllocationRun.objects.none()
    runs = AllocationRun.objects.select_related("created_by").order_by("-created_at", "-pk")
    return runs.filter(kind=kind) if kind else runs


def allocation_run_list(user, *, kind: str | None = None) -> QuerySet[AllocationRun]:
    return allocation_runs_for(user, kind=kind).defer(*_LIST_DEFERRED)


def allocation_run_get(user, *, pk: int, kind: str | None = None) -> AllocationRun:
    """One run with its author and predecessor; Http404 if it does not exist or ``user`` may not see it."""
    return get_object_or_404(allocation_runs_for(user, kind=kind).select_related("follows"), pk=pk)


def staffing_key_municipalities() -> QuerySet[Municipality]:
    """The municipalities a staffing key can be shared among: all member municipalities, by name."""
    return Municipality.objects.order_by("name", "ags")
