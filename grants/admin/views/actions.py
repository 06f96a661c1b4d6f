"""One view for every staff action: form page (GET), service call (POST), German errors."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ...models import Refund, Settlement
from ..actions import ACTIONS, available_actions
from .detail import ApplicationAdminMixin, formula_context

SETTLEMENT_ACTIONS = {"request_settlement_changes", "accept_settlement", "claim_refund"}


class ApplicationActionView(ApplicationAdminMixin, WagtailAdminTemplateMixin, FormView):
    """``action_name`` is set per URL. Only transitions the state machine offers this user are run."""

    template_name = "grants/admin/action_form.html"
    header_icon = "doc-full"
    action_name = None

    def dispatch(self, request, *args, **kwargs):
        if self.action_name not in ACTIONS:
            raise Http404
        self.action = ACTIONS[self.action_name]
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self._refuse_if_unavailable() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refuse_if_unavailable() or super().post(request, *args, **kwargs)

    def _refuse_if_unavailable(self):
        if self.action in available_actions(self.application, self.request.user):
            return None
        messages.error(
            self.request,
            _("„%(action)s“ ist Ihnen bei diesem Antrag im Status „%(state)s“ nicht möglich.")
            % {"action": self.action.label, "state": self.application.get_state_display()},
        )
        return redirect(self.get_detail_url())

    def get_page_title(self):
        return self.action.label

    def get_page_subtitle(self):
        return str(self.application)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.action.label}]

    def get_form_class(self):
        return self.action.form_class

    def get_initial(self):
        return self.action.initial(self.application)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if getattr(self.action.form_class, "takes_application", False):
            kwargs["application"] = self.application  # e.g. which assessment fields the programme asks for
        return kwargs

    def form_valid(self, form):
        if self.action.preview is not None and "vorschau" in self.request.POST:
            # «Vorschau berechnen»: the same page with the figures for what was entered; nothing is saved.
            return self.render_to_response(self.get_context_data(form=form, preview_data=form.cleaned_data))
        try:
            self.action.run(self.request.user, self.application, form.cleaned_data)
        except PermissionDenied as exc:
            messages.error(self.request, str(exc) or _("Sie dürfen diesen Schritt nicht ausführen."))
            return redirect(self.get_detail_url())
        except ValidationError as exc:
            # The service rolled everything back; say why, in its words.
            for message in exc.messages:
                form.add_error(None, message)
            if self.action.direct:
                for message in exc.messages:
                    messages.error(self.request, message)
                return redirect(self.get_detail_url())
            return self.form_invalid(form)
        messages.success(self.request, self.action.success)
        return redirect(self.get_detail_url())

    def form_invalid(self, form):
        messages.error(self.request, _("Bitte korrigieren Sie die markierten Angaben."))
        return super().form_invalid(form)

    def get_context_data(self, preview_data=None, **kwargs):
        context = super().get_context_data(**kwargs)
        # A flag, not ``action.preview`` in the template: the template engine calls a callable without arguments
        # and takes the failure for "false", so the button never showed.
        context["offers_preview"] = self.action.preview is not None
        if self.action.confirmation is not None:
            context["confirmation"] = self.action.confirmation(self.application)
        if self.action.preview is not None:
            context["preview"] = self.action.preview(self.application, preview_data)
        context.update(application=self.application, action=self.action, detail_url=self.get_detail_url(),
                       intro=self.action.intro_for(self.application),
                       # Confirming eligibility means checking the posts and the population basis: show them here.
                       **formula_context(self.application))
        if self.action.name in SETTLEMENT_ACTIONS:
            # Deciding on a settlement needs its figures on the same page, not one click back.
            context["settlement"] = Settlement.objects.filter(application=self.application).first()
        if self.action.name in ("record_refund_received", "set_interest"):
            # Finance books what was claimed: show the amount and due date it is checking against.
            context["refund"] = Refund.objects.filter(application=self.application).first()
        return context
