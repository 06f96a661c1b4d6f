"""Committee meetings in the admin (menu «Ausschusssitzungen»): the list, a new meeting, the meeting page.

URL namespace ``ausschuss`` (``grants.wagtail_hooks_committee``). Looking and downloading need
``grants.view_meeting`` (staff, head of unit, the committee role); everything that changes a meeting needs
``grants.manage_meetings`` (the services check again). Everyone else: the 403 page.
The agenda steps are in ``meetings_agenda``, decisions, letters and downloads in ``meetings_decisions``.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.fields import DecimalField
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from ...models import AgendaItem, ConflictOfInterest, LetterBundle, Meeting
from ...services import committee
from ...states import State
from ..access import PermissionRequiredMixin, admin_applications
from .meetings_forms import MeetingForm, MemberFormSet, add_service_errors

VIEW_MEETING = "grants.view_meeting"
MANAGE_MEETINGS = "grants.manage_meetings"
INDEX = "ausschuss:index"
TEMPLATES = "grants/admin/committee"


def meeting_status(meeting: Meeting) -> tuple[str, str]:
    """(key, German label): planned until frozen, frozen until the decisions are recorded, then decided."""
    if meeting.is_decided:
        return "decided", _("beschlossen")
    if meeting.is_frozen:
        return "frozen", _("festgeschrieben")
    return "planned", _("in Vorbereitung")


def agenda_candidates(user):
    """Recommended applications the committee decides that wait on no open agenda.

    The committee decides (``programmes.rules.deciding_body``) when the programme says so for every
    application, or when the recommended amount (else the requested one) is above both the staff limit and
    a set head-of-unit limit. One query, however many applications.
    """
    amount = Coalesce("recommended_amount", "requested_amount", output_field=DecimalField())
    above_limits = (Q(programme__head_approval_limit__isnull=False)
                    & Q(decision_amount__gt=F("programme__staff_approval_limit"))
                    & Q(decision_amount__gt=F("programme__head_approval_limit")))
    waiting = AgendaItem.objects.filter(application=OuterRef("pk"), outcome="")
    return (admin_applications(user).filter(state=State.RECOMMENDED).annotate(decision_amount=amount)
            .filter(Q(programme__committee_decides_all=True) | above_limits).exclude(Exists(waiting))
            .select_related("organisation", "programme", "assessment")
            .order_by("programme__name", "file_number", "pk"))


class MeetingAdminMixin(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    permission_required = VIEW_MEETING
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse(INDEX), "label": _("Ausschusssitzungen")}]


class MeetingMixin(MeetingAdminMixin):
    """Looks the meeting up after the permission check (403 before 404)."""

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission(request.user):
            self.meeting = get_object_or_404(Meeting, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.meeting)

    def meeting_url(self) -> str:
        return reverse("ausschuss:detail", args=(self.meeting.pk,))

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": self.meeting_url(), "label": str(self.meeting)}]

    def refuse(self, message: str):
        messages.error(self.request, message)
        return redirect(self.meeting_url())


class MeetingIndexView(MeetingAdminMixin, TemplateView):
    template_name = f"{TEMPLATES}/index.html"
    page_title = gettext_lazy("Ausschusssitzungen")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Ausschusssitzungen")}]

    @property
    def header_buttons(self):
        if not self.request.user.has_perm(MANAGE_MEETINGS):
            return []
        return [HeaderButton(_("Neue Sitzung anlegen"), url=reverse("ausschuss:add"), icon_name="plus")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = Meeting.objects.annotate(item_count=Count("items")).order_by("-date", "-pk")
        page = Paginator(meetings, 50).get_page(self.request.GET.get("p"))
        rows = [(meeting, *meeting_status(meeting)) for meeting in page.object_list]
        context.update(page_obj=page, rows=rows,
                       waiting_count=agenda_candidates(self.request.user).count(),
                       may_manage=self.request.user.has_perm(MANAGE_MEETINGS))
        return context


class MeetingCreateView(MeetingAdminMixin, TemplateView):
    """The meeting and its members in one step; items deferred earlier join its agenda straight away."""

    permission_required = MANAGE_MEETINGS
    template_name = f"{TEMPLATES}/create.html"
    page_title = gettext_lazy("Neue Ausschusssitzung")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Neue Sitzung")}]

    def get(self, request, *args, **kwargs):
        return self.show(MeetingForm(), MemberFormSet(prefix="members"))

    def post(self, request, *args, **kwargs):
        form, members = MeetingForm(request.POST), MemberFormSet(request.POST, prefix="members")
        if not (form.is_valid() and members.is_valid()):
            return self.show(form, members)
        data = form.cleaned_data
        try:
            meeting = committee.meeting_create(
                user=request.user, committee=data["committee"], day=data["date"], is_public=data["is_public"],
                paper_number=data["paper_number"], location=data["location"],
                members=[committee.MemberData(m["name"], m["group"], m["role"]) for m in members.members()])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.show(form, members)
        carried = meeting.items.count()
        text = _("Die Sitzung %(meeting)s ist angelegt.") % {"meeting": meeting}
        if carried:
            text += " " + _("%(count)s vertagte(r) Punkt(e) stehen bereits auf der Tagesordnung.") % {"count": carried}
        messages.success(request, text)
        return redirect("ausschuss:detail", meeting.pk)

    def show(self, form, members):
        if form.is_bound:
            messages.error(self.request, _("Die Sitzung wurde nicht angelegt. Bitte prüfen Sie die Angaben."))
        return self.render_to_response(self.get_context_data(form=form, members=members))


class MeetingDetailView(MeetingMixin, TemplateView):
    """The agenda (live figures until frozen, the snapshot afterwards), members, conflicts, what comes next."""

    template_name = f"{TEMPLATES}/detail.html"
    page_title = gettext_lazy("Ausschusssitzung")

    def get_breadcrumbs_items(self):
        *items, _current = super().get_breadcrumbs_items()
        return [*items, {"url": "", "label": str(self.meeting)}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, user = self.meeting, self.request.user
        items = list(meeting.items.select_related("application__organisation", "application__programme",
                                                  "application__assessment")
                     .prefetch_related(Prefetch("conflicts", queryset=ConflictOfInterest.objects
                                                .select_related("member").order_by("pk")))
                     .order_by("position", "pk"))
        status, status_label = meeting_status(meeting)
        may_manage = user.has_perm(MANAGE_MEETINGS)
        bundle = LetterBundle.objects.filter(meeting=meeting).first()
        context.update(
            meeting=meeting, items=[(item, agenda_row(item)) for item in items], members=list(meeting.members.all()),
            status=status, status_label=status_label, may_manage=may_manage, bundle=bundle,
            may_change_agenda=may_manage and not meeting.is_frozen,
            may_record=may_manage and meeting.is_frozen and not meeting.is_decided and bool(items),
            may_declare=may_manage and not meeting.is_decided and bool(items),
            can_view_applications=user.has_perm("grants.view_application"),
        )
        return context


def agenda_row(item: AgendaItem) -> dict:
    """What the agenda shows for an item: the frozen snapshot, or the live application before freezing."""
    if item.snapshot:
        s = item.snapshot
        return {"file_number": s["file_number"], "applicant": s["applicant"], "title": s["title"],
                "programme": s["programme"], "recommended": Decimal(s["recommended"]),
                "justification": s["justification"], "conditions": s.get("conditions", "")}
    application = item.application
    assessment = getattr(application, "assessment", None)
    amount = application.recommended_amount or application.requested_amount
    return {"file_number": application.file_number, "applicant": application.organisation.name,
            "title": application.title, "programme": application.programme.name, "recommended": amount.amount,
            "justification": assessment.justification if assessment else "",
            "conditions": assessment.conditions if assessment else ""}
