"""After the meeting: the decisions of the whole agenda in one form, the letters job, the downloads.

Recording needs ``grants.manage_meetings``; the approval list (PDF, XLSX, CSV) and the minutes need
``grants.view_meeting`` (the committee role may download them). The ZIP of all decision letters holds the
applicants' letters and is for staff who send them: ``grants.manage_meetings``.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages

from ...committee_exports import approval_export, minutes_export
from ...models import ConflictOfInterest, LetterBundle
from ...services.committee_decisions import letters_restart, meeting_record_decisions
from .downloads import private_file_response
from .meetings import MANAGE_MEETINGS, TEMPLATES, MeetingMixin
from .meetings_forms import DecisionsForm, add_service_errors

RUNNING = (LetterBundle.Status.PENDING, LetterBundle.Status.RUNNING)


class DecisionsView(MeetingMixin, TemplateView):
    """Every item's decision and the resolution date at once; all or nothing (the service decides)."""

    permission_required = MANAGE_MEETINGS
    template_name = f"{TEMPLATES}/decisions.html"
    page_title = gettext_lazy("Beschlüsse erfassen")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Beschlüsse erfassen")}]

    def closed(self):
        """A refusal when the meeting takes no decisions (not frozen yet, or already decided), else None."""
        if self.meeting.is_decided:
            return self.refuse(_("Die Beschlüsse dieser Sitzung sind bereits erfasst."))
        if not self.meeting.is_frozen:
            return self.refuse(_("Beschlüsse werden zu einer festgeschriebenen Tagesordnung erfasst."))
        return None

    def items(self):
        conflicts = ConflictOfInterest.objects.select_related("member").order_by("pk")
        return list(self.meeting.items.prefetch_related(Prefetch("conflicts", queryset=conflicts))
                    .order_by("position", "pk"))

    def get(self, request, *args, **kwargs):
        return self.closed() or self.show(DecisionsForm(meeting=self.meeting, items=self.items()))

    def post(self, request, *args, **kwargs):
        if refusal := self.closed():
            return refusal
        form = DecisionsForm(request.POST, meeting=self.meeting, items=self.items())
        if form.is_valid():
            try:
                meeting_record_decisions(user=request.user, meeting_id=self.meeting.pk,
                                         resolution_date=form.cleaned_data["resolution_date"],
                                         decisions=form.decisions())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Die Beschlüsse sind erfasst. Die Bescheide werden erstellt."))
                return redirect("ausschuss:letters", self.meeting.pk)
        messages.error(request, _("Es wurde kein Beschluss gespeichert. Bitte prüfen Sie die Angaben."))
        return self.show(form)

    def show(self, form):
        members = list(self.meeting.members.all())
        voters = sum(1 for m in members if m.present and m.votes)
        return self.render_to_response(self.get_context_data(form=form, meeting=self.meeting, voters=voters,
                                                             members=members))


class LettersView(MeetingMixin, TemplateView):
    """Progress of the letters job; the page reloads itself every 3 seconds while it runs."""

    template_name = f"{TEMPLATES}/letters.html"
    page_title = gettext_lazy("Bescheide der Sitzung")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Bescheide")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bundle = LetterBundle.objects.filter(meeting=self.meeting).first()
        percent = round(100 * bundle.done / bundle.total) if bundle and bundle.total else 0
        context.update(meeting=self.meeting, bundle=bundle, running=bool(bundle and bundle.status in RUNNING),
                       percent=percent, may_download=self.request.user.has_perm(MANAGE_MEETINGS))
        return context


class LettersRestartView(MeetingMixin, View):
    """POST only, from the letters page after a failure: the job runs again (a second click does nothing more)."""

    permission_required = MANAGE_MEETINGS

    def post(self, request, *args, **kwargs):
        try:
            bundle = letters_restart(user=request.user, meeting_id=self.meeting.pk)
        except ValidationError as exc:
            return self.refuse(" ".join(exc.messages))
        if bundle.status != LetterBundle.Status.DONE:
            messages.success(request, _("Die Erstellung der Bescheide wurde erneut gestartet."))
        return redirect("ausschuss:letters", self.meeting.pk)


class LettersZipView(MeetingMixin, View):
    """The ZIP of all decision letters, from private storage, once the job is done."""

    permission_required = MANAGE_MEETINGS

    def get(self, request, *args, **kwargs):
        bundle = LetterBundle.objects.filter(meeting=self.meeting).first()
        if bundle is None or bundle.status != LetterBundle.Status.DONE or not bundle.file:
            messages.error(request, _("Die Bescheide sind noch nicht fertig."))
            return redirect("ausschuss:letters", self.meeting.pk)
        name = f"Bescheide-{self.meeting.date:%Y-%m-%d}-{self.meeting.pk}.zip"
        return private_file_response(bundle.file, filename=name, content_type="application/zip")


def file_response(export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class ApprovalListDownloadView(MeetingMixin, View):
    """The approval list (Beschlussvorlage) of a frozen agenda: ``fmt`` is pdf, xlsx or csv."""

    fmt = "pdf"

    def get(self, request, *args, **kwargs):
        try:
            return file_response(approval_export(self.meeting, self.fmt))
        except ValidationError as exc:
            return self.refuse(" ".join(exc.messages))


class MinutesDownloadView(MeetingMixin, View):
    """The minutes (Niederschrift) once the decisions are recorded."""

    def get(self, request, *args, **kwargs):
        try:
            return file_response(minutes_export(self.meeting))
        except ValidationError as exc:
            return self.refuse(" ".join(exc.messages))
