"""Finance: collect approved applications into payout batches, download the SEPA file, execute.

A batch also pays increases of formula grants (``GrantIncrease``) raised after their grant was paid: each is
its own payout item with its own end-to-end id.

Every view here needs ``grants.manage_payouts``; everyone else gets 403.
"""

from datetime import timedelta
from decimal import Decimal

from allauth.account.decorators import reauthentication_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from djmoney.money import Money
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from programmes.rules import format_eur

from ...models import GrantIncrease, PayoutBatch, PayoutItem
from ...sepa import FIELD_LABELS, payout_filename
from ...services import payouts
from ...states import State
from ..access import MANAGE_PAYOUTS, PermissionRequiredMixin, admin_applications
from ..forms import PayoutBatchForm

INDEX = "zahlungslaeufe:index"
# An account that changed this shortly before a batch is the classic sign of a redirected payment.
RECENT_BANK_CHANGE = timedelta(days=30)


def _eur(value) -> Money:
    if isinstance(value, Money):
        return value
    return Money(value or Decimal("0.00"), "EUR")


def payable_applications(user):
    """Approved applications that are in no batch yet."""
    return (
        admin_applications(user).select_related("organisation")
        .filter(state=State.APPROVED, payouts__isnull=True)
        .order_by("decided_at", "pk")
    )


def payable_increases(user):
    """Increases raised after their grant was paid, not yet in a batch: they are paid on their own."""
    return (
        GrantIncrease.objects.filter(
            paid_with_grant=False, payout__isnull=True, application__state__in=payouts.PAID_STATES,
            application__in=admin_applications(user),
        )
        .select_related("application__organisation", "allocation_run")
        # The run's figures are not needed here; its JSON columns can be large.
        .defer("allocation_run__rules", "allocation_run__inputs", "allocation_run__outputs", "allocation_run__steps")
        .order_by("created_at", "pk")
    )


class FinanceMixin(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    permission_required = MANAGE_PAYOUTS
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse(INDEX), "label": _("Zahlungsläufe")}]


class BatchMixin(FinanceMixin):
    def dispatch(self, request, *args, **kwargs):
        if self.has_permission(request.user):
            self.batch = get_object_or_404(PayoutBatch, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.batch.number

    def get_detail_url(self):
        return reverse("zahlungslaeufe:detail", args=(self.batch.pk,))

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": self.get_detail_url(), "label": self.batch.number}]


class PayoutBatchIndexView(FinanceMixin, TemplateView):
    template_name = "grants/admin/payout_batch_index.html"
    page_title = gettext_lazy("Zahlungsläufe")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Zahlungsläufe")}]

    @property
    def header_buttons(self):
        return [HeaderButton(_("Neuen Zahlungslauf anlegen"), url=reverse("zahlungslaeufe:add"), icon_name="plus")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batches = PayoutBatch.objects.annotate(item_count=Count("items"), total_amount=Sum("items__amount")).order_by(
            "-created_at", "-pk"
        )
        page = Paginator(batches, 50).get_page(self.request.GET.get("p"))
        for batch in page.object_list:
            batch.total = _eur(batch.total_amount)
        context.update(page_obj=page, batches=page.object_list,
                       waiting_count=payable_applications(self.request.user).count(),
                       waiting_increases=payable_increases(self.request.user).count())
        return context


# Money leaves the district's account: building, downloading and executing a batch ask for the password or a
# second-factor code again unless given in the last 5 minutes (after the permission check; a POST is replayed).
@method_decorator(reauthentication_required, name="post")
class PayoutBatchCreateView(FinanceMixin, FormView):
    template_name = "grants/admin/payout_batch_create.html"
    form_class = PayoutBatchForm
    page_title = gettext_lazy("Neuer Zahlungslauf")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Neuer Zahlungslauf")}]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["queryset"] = payable_applications(self.request.user)
        kwargs["increases"] = payable_increases(self.request.user)
        return kwargs

    def form_valid(self, form):
        try:
            batch = payouts.payout_batch_create(
                user=self.request.user,
                application_ids=[a.pk for a in form.cleaned_data["applications"]],
                increase_ids=[i.pk for i in form.cleaned_data["increases"]],
                execution_date=form.cleaned_data["execution_date"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        count = batch.items.count()
        if batch.skipped:
            messages.warning(self.request, ngettext(
                "%(count)d gewählte Auszahlung wurde nicht aufgenommen (keine bestätigte Bankverbindung); "
                "die Einzelheiten stehen auf der Seite des Zahlungslaufs.",
                "%(count)d gewählte Auszahlungen wurden nicht aufgenommen (keine bestätigte Bankverbindung); "
                "die Einzelheiten stehen auf der Seite des Zahlungslaufs.", len(batch.skipped),
            ) % {"count": len(batch.skipped)})
        messages.success(
            self.request,
            ngettext(
                "Zahlungslauf %(number)s mit %(count)d Auszahlung angelegt.",
                "Zahlungslauf %(number)s mit %(count)d Auszahlungen angelegt.",
                count,
            )
            % {"number": batch.number, "count": count},
        )
        return redirect("zahlungslaeufe:detail", batch.pk)

    def form_invalid(self, form):
        messages.error(self.request, _("Der Zahlungslauf wurde nicht angelegt. Bitte prüfen Sie die Angaben."))
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        chosen = {str(v) for v in (form["applications"].value() or [])}
        rows = form.fields["applications"].queryset
        context["rows"] = [(a, str(a.pk) in chosen) for a in rows]
        chosen_increases = {str(v) for v in (form["increases"].value() or [])}
        context["increase_rows"] = [(i, str(i.pk) in chosen_increases) for i in form.fields["increases"].queryset]
        # Per row: why it cannot be paid (no confirmed bank details); such rows cannot be ticked.
        for organisation in [*(a.organisation for a, _c in context["rows"]),
                             *(i.application.organisation for i, _c in context["increase_rows"])]:
            organisation.unpayable_reason = payouts.unpayable_reason(organisation)
        return context


class PayoutBatchDetailView(BatchMixin, TemplateView):
    template_name = "grants/admin/payout_batch_detail.html"
    page_title = gettext_lazy("Zahlungslauf")

    def get_breadcrumbs_items(self):
        *items, _current = super().get_breadcrumbs_items()
        return [*items, {"url": "", "label": self.batch.number}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = list(
            PayoutItem.objects.filter(batch=self.batch).select_related("application__organisation")
            # The organisation's latest bank-details change, from its change events (by relation, not by import).
            .annotate(bank_changed_at=Max("application__organisation__bank_changes__entered_at"))
            .order_by("pk")
        )
        since = self.batch.created_at - RECENT_BANK_CHANGE
        for item in items:
            item.recent_bank_change = item.bank_changed_at is not None and item.bank_changed_at >= since
            item.shortened_labels = [str(FIELD_LABELS.get(key, key)) for key in item.shortened]
        context.update(
            batch=self.batch, items=items,
            total=sum((item.amount for item in items), Money(0, "EUR")),
            is_open=self.batch.status == PayoutBatch.Status.OPEN,
            recent_changes=[item for item in items if item.recent_bank_change],
            shortened_items=[item for item in items if item.shortened],
            execution_due=self.batch.execution_date <= timezone.localdate(),
        )
        return context


@method_decorator(reauthentication_required, name="get")
class PayoutBatchDownloadView(BatchMixin, TemplateView):
    """The SEPA credit transfer file (pain.001) as stored when the batch was created: the same bytes every time."""

    def get(self, request, *args, **kwargs):
        try:
            content = payouts.payout_batch_file(user=request.user, batch_id=self.batch.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.get_detail_url())
        response = HttpResponse(content, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{payout_filename(self.batch)}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


@method_decorator(reauthentication_required, name="post")
class PayoutBatchExecuteView(BatchMixin, TemplateView):
    """Confirmation (GET) and execution (POST): each application is paid once, even when posted twice."""

    template_name = "grants/admin/payout_batch_execute.html"
    page_title = gettext_lazy("Zahlungslauf als ausgeführt markieren")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Als ausgeführt markieren")}]

    def get(self, request, *args, **kwargs):
        if self.batch.status == PayoutBatch.Status.EXECUTED:
            messages.warning(request, _("Dieser Zahlungslauf ist bereits ausgeführt."))
            return redirect(self.get_detail_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.batch.status == PayoutBatch.Status.EXECUTED:
            messages.warning(request, _("Dieser Zahlungslauf ist bereits ausgeführt."))
            return redirect(self.get_detail_url())
        try:
            batch = payouts.payout_batch_execute(user=request.user, batch_id=self.batch.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.get_detail_url())
        messages.success(
            request, _("Zahlungslauf %(number)s ist ausgeführt; die Anträge stehen auf „ausgezahlt“.")
            % {"number": batch.number},
        )
        return redirect(self.get_detail_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = PayoutItem.objects.filter(batch=self.batch).aggregate(count=Count("pk"), total=Sum("amount"))
        context.update(batch=self.batch, item_count=totals["count"], total_display=format_eur(_eur(totals["total"])),
                       detail_url=self.get_detail_url())
        return context
