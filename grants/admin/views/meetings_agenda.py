"""The agenda of a meeting: add recommended applications, remove an item, freeze; conflicts and attendance.

All of it needs ``grants.manage_meetings``; the services refuse what a frozen or decided meeting no longer
allows, and their German messages appear in the error summary (or as a message after a button).
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View
from wagtail.admin import messages

from ...models import AgendaItem, ConflictOfInterest
from ...services import committee
from .meetings import MANAGE_MEETINGS, TEMPLATES, MeetingMixin, agenda_candidates, agenda_row
from .meetings_forms import AgendaAddForm, AttendanceForm, ConflictForm, add_service_errors


class ManageMixin(MeetingMixin):
    permission_required = MANAGE_MEETINGS

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def show(self, **context):
        return self.render_to_response(self.get_context_data(meeting=self.meeting, **context))


class AgendaAddView(ManageMixin, TemplateView):
    """A checklist of the recommended applications the committee decides that wait on no agenda."""

    template_name = f"{TEMPLATES}/agenda_add.html"
    page_title = gettext_lazy("Anträge auf die Tagesordnung setzen")

    def form(self, data=None) -> AgendaAddForm:
        return AgendaAddForm(data, queryset=agenda_candidates(self.request.user))

    def get(self, request, *args, **kwargs):
        if self.meeting.is_frozen:
            return self.refuse(_("Die Tagesordnung ist festgeschrieben und kann nicht mehr geändert werden."))
        return self.show_form(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.show_form(form)
        try:
            added = committee.agenda_add(user=request.user, meeting_id=self.meeting.pk,
                                         application_ids=[a.pk for a in form.cleaned_data["applications"]])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.show_form(form)
        messages.success(request, ngettext("%(count)d Antrag steht jetzt auf der Tagesordnung.",
                                           "%(count)d Anträge stehen jetzt auf der Tagesordnung.", len(added))
                         % {"count": len(added)})
        return redirect(self.meeting_url())

    def show_form(self, form):
        if form.is_bound:
            messages.error(self.request, _("Die Tagesordnung wurde nicht geändert. Bitte prüfen Sie die Auswahl."))
        chosen = {str(v) for v in (form["applications"].value() or [])}
        rows = [(application, str(application.pk) in chosen) for application in
                form.fields["applications"].queryset]
        return self.show(form=form, rows=rows)


class AgendaRemoveView(ManageMixin, View):
    """POST only, from the meeting page: the item leaves the (open) agenda."""

    def post(self, request, *args, **kwargs):
        item = get_object_or_404(AgendaItem.objects.select_related("application"), pk=kwargs["item"],
                                 meeting=self.meeting)
        try:
            committee.agenda_remove(user=request.user, item_id=item.pk)
        except ValidationError as exc:
            return self.refuse(" ".join(exc.messages))
        messages.success(request, _("%(number)s wurde von der Tagesordnung genommen.")
                         % {"number": item.application.file_number})
        return redirect(self.meeting_url())


class AgendaFreezeView(ManageMixin, TemplateView):
    """GET: what freezing means, the items once more; POST: freeze."""

    template_name = f"{TEMPLATES}/freeze.html"
    page_title = gettext_lazy("Tagesordnung festschreiben")

    def get(self, request, *args, **kwargs):
        if self.meeting.is_frozen:
            return self.refuse(_("Die Tagesordnung ist bereits festgeschrieben."))
        items = self.meeting.items.select_related("application__organisation", "application__programme",
                                                  "application__assessment").order_by("position", "pk")
        return self.show(items=[(item, agenda_row(item)) for item in items])

    def post(self, request, *args, **kwargs):
        try:
            committee.agenda_freeze(user=request.user, meeting_id=self.meeting.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.meeting_url())
        messages.success(request, _("Die Tagesordnung ist festgeschrieben. Die Beschlussvorlage kann jetzt "
                                    "heruntergeladen werden."))
        return redirect(self.meeting_url())


class ConflictsView(ManageMixin, TemplateView):
    """The declared conflicts of interest and a form for one more (member, item, reason, note)."""

    template_name = f"{TEMPLATES}/conflicts.html"
    page_title = gettext_lazy("Befangenheit erfassen")

    def get(self, request, *args, **kwargs):
        if self.meeting.is_decided:
            return self.refuse(_("Die Beschlüsse sind erfasst; Befangenheiten können nicht mehr erklärt werden."))
        return self.show_form(ConflictForm(meeting=self.meeting))

    def post(self, request, *args, **kwargs):
        form = ConflictForm(request.POST, meeting=self.meeting)
        if form.is_valid():
            data = form.cleaned_data
            try:
                committee.conflict_declare(user=request.user, item_id=data["item"].pk, member_id=data["member"].pk,
                                           reason=data["reason"], note=data["note"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Die Befangenheit von %(name)s zu TOP %(position)s ist erfasst; "
                                            "das Mitglied stimmt über diesen Punkt nicht mit.")
                                 % {"name": data["member"].name, "position": data["item"].position})
                return redirect("ausschuss:conflicts", self.meeting.pk)
        messages.error(request, _("Die Befangenheit wurde nicht erfasst. Bitte prüfen Sie die Angaben."))
        return self.show_form(form)

    def show_form(self, form):
        conflicts = (ConflictOfInterest.objects.filter(item__meeting=self.meeting)
                     .select_related("item__application__organisation", "member").order_by("item__position", "pk"))
        return self.show(form=form, conflicts=[(c, agenda_row(c.item)) for c in conflicts])


class AttendanceView(ManageMixin, TemplateView):
    template_name = f"{TEMPLATES}/attendance.html"
    page_title = gettext_lazy("Anwesenheit erfassen")

    def get(self, request, *args, **kwargs):
        if self.meeting.is_decided:
            return self.refuse(_("Die Beschlüsse sind erfasst; die Anwesenheit kann nicht mehr geändert werden."))
        present = [m.pk for m in self.meeting.members.all() if m.present]
        return self.show(form=AttendanceForm(meeting=self.meeting, initial={"present": present}))

    def post(self, request, *args, **kwargs):
        form = AttendanceForm(request.POST, meeting=self.meeting)
        if form.is_valid():
            try:
                committee.attendance_record(user=request.user, meeting_id=self.meeting.pk,
                                            present_member_ids=[m.pk for m in form.cleaned_data["present"]])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Die Anwesenheit ist gespeichert."))
                return redirect(self.meeting_url())
        messages.error(request, _("Die Anwesenheit wurde nicht gespeichert. Bitte prüfen Sie die Angaben."))
        return self.show(form=form)
