"""Registers the committee screens in the Wagtail admin (menu «Ausschusssitzungen», after Formelzuweisung).

URL namespace ``ausschuss`` under /admin/ausschuss/: index, add (neu/), detail (<pk>/), agenda_add
(<pk>/antraege/), agenda_remove (<pk>/punkt/<item>/entfernen/, POST), freeze (<pk>/festschreiben/),
conflicts (<pk>/befangenheit/), attendance (<pk>/anwesenheit/), decisions (<pk>/beschluesse/), letters
(<pk>/bescheide/), letters_zip (<pk>/bescheide/zip/), letters_restart (<pk>/bescheide/neu-starten/, POST),
list_pdf|list_xlsx|list_csv (<pk>/vorlage.<fmt>), minutes (<pk>/niederschrift.pdf). Imported at the end of
``grants.wagtail_hooks``.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet

from .admin.views import meetings, meetings_agenda, meetings_decisions
from .admin.viewsets import PermissionMenuItem


class CommitteeViewSet(ViewSet):
    name = "ausschuss"
    icon = "group"
    menu_label = _("Ausschusssitzungen")
    menu_order = 107  # between Formelzuweisung (105) and Zahlungsläufe (110)
    add_to_admin_menu = True

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            label=self.menu_label, url=reverse(self.get_url_name("index")), name=self.name,
            icon_name=self.icon, order=self.get_menu_item_order(order), permission=meetings.VIEW_MEETING,
        )

    def get_urlpatterns(self):
        downloads = [
            path(f"<int:pk>/vorlage.{fmt}", meetings_decisions.ApprovalListDownloadView.as_view(fmt=fmt),
                 name=f"list_{fmt}")
            for fmt in ("pdf", "xlsx", "csv")
        ]
        return [
            path("", meetings.MeetingIndexView.as_view(), name="index"),
            path("neu/", meetings.MeetingCreateView.as_view(), name="add"),
            path("<int:pk>/", meetings.MeetingDetailView.as_view(), name="detail"),
            path("<int:pk>/antraege/", meetings_agenda.AgendaAddView.as_view(), name="agenda_add"),
            path("<int:pk>/punkt/<int:item>/entfernen/", meetings_agenda.AgendaRemoveView.as_view(),
                 name="agenda_remove"),
            path("<int:pk>/festschreiben/", meetings_agenda.AgendaFreezeView.as_view(), name="freeze"),
            path("<int:pk>/befangenheit/", meetings_agenda.ConflictsView.as_view(), name="conflicts"),
            path("<int:pk>/anwesenheit/", meetings_agenda.AttendanceView.as_view(), name="attendance"),
            path("<int:pk>/beschluesse/", meetings_decisions.DecisionsView.as_view(), name="decisions"),
            path("<int:pk>/bescheide/", meetings_decisions.LettersView.as_view(), name="letters"),
            path("<int:pk>/bescheide/zip/", meetings_decisions.LettersZipView.as_view(), name="letters_zip"),
            path("<int:pk>/bescheide/neu-starten/", meetings_decisions.LettersRestartView.as_view(),
                 name="letters_restart"),
            *downloads,
            path("<int:pk>/niederschrift.pdf", meetings_decisions.MinutesDownloadView.as_view(), name="minutes"),
        ]


@hooks.register("register_admin_viewset")
def register_committee_viewset():
    return CommitteeViewSet()
