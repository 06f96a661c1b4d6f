"""Who may open which admin screen, and the querysets every id lookup goes through."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ..models import Application, Attachment, Document
from ..selectors import applications_for
from ..states import State

VIEW_APPLICATIONS = "grants.view_application"
MANAGE_PAYOUTS = "grants.manage_payouts"


def admin_applications(user) -> QuerySet[Application]:
    """Applications staff may open in the admin.

    Drafts are the applicant's unfinished work and not yet before the authority,
    so the admin never shows them; users without the view permission see nothing.
    """
    if not (user.is_authenticated and user.has_perm(VIEW_APPLICATIONS)):
        return Application.objects.none()
    return applications_for(user).exclude(state=State.DRAFT)


def admin_attachments(user) -> QuerySet[Attachment]:
    return Attachment.objects.select_related("application").filter(application__in=admin_applications(user))


def admin_documents(user) -> QuerySet[Document]:
    return Document.objects.select_related("application").filter(application__in=admin_applications(user))


def forbidden(request, message=None) -> TemplateResponse:
    """A real 403 page inside the admin (Wagtail turns a raised PermissionDenied into a redirect)."""
    return TemplateResponse(
        request,
        "staff/forbidden.html",
        {"message": message or _("Sie haben keine Berechtigung für diese Seite."),
         "header_title": _("Keine Berechtigung")},
        status=403,
    )


class PermissionRequiredMixin:
    """Check ``permission_required`` before anything else runs; answer 403 otherwise."""

    permission_required: str = VIEW_APPLICATIONS

    def has_permission(self, user) -> bool:
        return user.is_authenticated and user.has_perm(self.permission_required)

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission(request.user):
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, str(exc) or None)
