"""What every case-work page shares: login, the case-worker right, error mapping, the 403 page.

Which cases a user sees is decided by integration_core.cases.access alone: pages open a case
through ``case_for_read`` (logged, 404 outside the scope) and write through the services
(which check right and scope again).
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.views import View

from integration_core.cases.access import VIEW_CASE, has_role_perm


def forbidden(request, message: str = ""):
    return render(request, "casework/forbidden.html", {"message": message}, status=403)


class CaseworkView(LoginRequiredMixin, View):
    """Logged in (else login redirect) and holding the case-worker right (else 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role_perm(request.user, VIEW_CASE):
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            # A service refused the acting user (e.g. an extension by someone who is not the lead).
            return forbidden(request, " ".join(str(arg) for arg in exc.args))


def add_service_error(form, exc: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """A service's ValidationError on the form: on the named field (mapped if the form calls it
    differently), else on top of the form."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            name = field_map.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def error_entries(form=None, formsets=()) -> list[tuple[str, str]]:
    """The error summary's lines as (link target or "", text): each field error links to its control.

    ``formsets``: (formset, row label) pairs; their rows are numbered as on the page.
    """
    entries = []

    def add_form(form, prefix=""):
        entries.extend(("", f"{prefix}{error}") for error in form.non_field_errors())
        for field in form:
            target = field.id_for_label or field.auto_id
            entries.extend((f"#{target}", f"{prefix}{field.label}: {error}") for error in field.errors)

    if form is not None:
        add_form(form)
    for formset, row_label in formsets:
        entries.extend(("", str(error)) for error in formset.non_form_errors())
        for number, row in enumerate(formset.forms, start=1):
            add_form(row, prefix=f"{row_label} {number}, ")
    return entries
