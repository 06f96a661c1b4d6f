"""Reads of the grants app, always scoped to the acting user.

Applicants see their organisations' applications; staff roles with the view
permission see all. Everything that takes an id goes through these, so a
foreign id is simply not found (404).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Application, Attachment, Document


def is_staff_reader(user) -> bool:
    return user.is_authenticated and user.has_perm("grants.view_application")


def applications_for(user) -> QuerySet[Application]:
    qs = Application.objects.select_related("programme", "organisation", "place")
    if not user.is_authenticated:
        return qs.none()
    if is_staff_reader(user):
        return qs
    return qs.filter(organisation__memberships__user=user)


def applications_of_organisations(user) -> QuerySet[Application]:
    """Only the user's own organisations' applications, whatever their role (applicant pages)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.select_related("programme", "organisation", "place").filter(
        organisation__memberships__user=user
    )


def application_get(user, pk: int, *, own_only: bool = False) -> Application:
    qs = applications_of_organisations(user) if own_only else applications_for(user)
    return get_object_or_404(qs, pk=pk)


def attachment_get(user, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.select_related("application").filter(application__in=applications_for(user)), pk=pk
    )


def document_get(user, pk: int) -> Document:
    return get_object_or_404(
        Document.objects.select_related("application").filter(application__in=applications_for(user)), pk=pk
    )
