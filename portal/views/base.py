"""What every applicant view shares: login, lookups through the selectors, error mapping."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from grants.selectors import application_get


class ApplicantView(LoginRequiredMixin, View):
    """Base for portal pages: the user must be logged in."""


class ScopedView(ApplicantView):
    """Looks up the object of the URL through a scoped selector before any method is dispatched.

    The lookup comes first, so a user outside the organisation gets 404 on GET
    and POST alike, even where a method is not allowed (405 only for members).
    """

    def load(self, request, pk: int) -> None:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.load(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class ApplicationScopedView(ScopedView):
    """``self.application``: one of the user's own organisations' applications, else 404."""

    def load(self, request, pk: int) -> None:
        self.application = application_get(request.user, pk, own_only=True)


def add_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field where it names one, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def safe_next(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
