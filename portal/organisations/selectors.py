"""Reads of organisations, scoped to the user: a foreign id is not found (404)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Organisation


def organisations_of(user) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).select_related("seat_municipality")


def organisation_get(user, pk: int) -> Organisation:
    return get_object_or_404(organisations_of(user), pk=pk)
