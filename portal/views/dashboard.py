from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from grants.selectors import applications_of_organisations


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["applications"] = applications_of_organisations(self.request.user).order_by("-created_at")
        context["organisations"] = self.request.user.organisations.all()
        return context
