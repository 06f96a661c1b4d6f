"""Staff screens for bank-detail changes: the list of changes waiting, and confirming or rejecting one.

Both need ``organisations.confirm_bank_details`` (403 otherwise); deciding needs a login within the last
minutes (allauth's reauthentication), and the four-eyes rule is the service's (``bank_details_confirm``).
"""

from allauth.account.decorators import reauthentication_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from grants.admin.access import PermissionRequiredMixin, forbidden

from .models import BankDetailsChange
from .services import CONFIRM_PERMISSION, bank_details_confirm, bank_details_reject

INDEX = "bankverbindungen_index"


class BankChangesMixin(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    permission_required = CONFIRM_PERMISSION
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse(INDEX), "label": _("Bankverbindungen")}]


class PendingBankChangesView(BankChangesMixin, TemplateView):
    template_name = "organisations/admin/bank_changes_index.html"
    page_title = gettext_lazy("Bankverbindungen: Änderungen zur Bestätigung")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pending = (BankDetailsChange.objects.filter(status=BankDetailsChange.Status.PENDING)
                   .select_related("organisation", "entered_by").order_by("entered_at", "pk"))
        page = Paginator(pending, 50).get_page(self.request.GET.get("p"))
        context.update(page_obj=page, changes=page.object_list)
        return context


class _Reauthenticated:
    """After the permission check (so a user without it gets 403, not a password prompt): a recent login."""

    def dispatch(self, request, *args, **kwargs):
        return reauthentication_required(super().dispatch)(request, *args, **kwargs)


class BankChangeDecideView(BankChangesMixin, _Reauthenticated, TemplateView):
    """GET shows the change with the full new details; POST confirms or rejects it."""

    template_name = "organisations/admin/bank_change_decide.html"
    page_title = gettext_lazy("Änderung der Bankverbindung prüfen")

    def get_change(self) -> BankDetailsChange:
        return get_object_or_404(BankDetailsChange.objects.select_related("organisation", "entered_by", "decided_by"),
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        change = self.get_change()
        user = self.request.user
        context.update(
            change=change, organisation=change.organisation,
            is_pending=change.status == BankDetailsChange.Status.PENDING,
            entered_by_me=change.entered_by_id == user.pk,
            is_member=change.organisation.memberships.filter(user_id=user.pk).exists(),
        )
        return context

    def post(self, request, *args, **kwargs):
        change = self.get_change()
        decide = {"confirm": bank_details_confirm, "reject": bank_details_reject}.get(request.POST.get("action"))
        if decide is None:
            messages.error(request, _("Bitte wählen Sie „Bestätigen“ oder „Ablehnen“."))
            return redirect("bankverbindungen_decide", change.pk)
        try:
            decided = decide(user=request.user, change_id=change.pk)
        except PermissionDenied as exc:
            return forbidden(request, str(exc))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("bankverbindungen_decide", change.pk)
        text = (_("Die Bankverbindung von „%(name)s“ ist bestätigt und gilt ab jetzt für Auszahlungen.")
                if decided.status == BankDetailsChange.Status.CONFIRMED else
                _("Die Änderung der Bankverbindung von „%(name)s“ ist abgelehnt; es gilt die bisher bestätigte."))
        messages.success(request, text % {"name": decided.organisation.name})
        return redirect(INDEX)
