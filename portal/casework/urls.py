"""Case work under /fallarbeit/. Every case id is opened through integration_core's scoped selectors."""

from django.urls import path

from .views import case_page, cases, competences, consent, plan_actions, team

app_name = "casework"

urlpatterns = [
    path("", cases.CaseListView.as_view(), name="case_list"),
    path("neu/", cases.CaseCreateView.as_view(), name="case_create"),
    # The provider's lead decides who reads the provider's cases.
    path("traeger/<int:pk>/zugriff/", team.TeamView.as_view(), name="team"),
    path("zugriff/<int:pk>/entziehen/", team.TeamRemoveView.as_view(), name="team_remove"),
    path("<int:pk>/", case_page.CaseDetailView.as_view(), name="case_detail"),
    path("<int:pk>/rahmendaten/", cases.FrameEditView.as_view(), name="frame_edit"),
    path("<int:pk>/teil-a/", competences.CompetencesEditView.as_view(), name="competences_edit"),
    path("<int:pk>/einwilligungen/neu/", consent.ConsentCreateView.as_view(), name="consent_create"),
    path("<int:pk>/einwilligungen/<int:consent_id>/widerruf/", consent.ConsentWithdrawView.as_view(),
         name="consent_withdraw"),
    # One-step writes posted from the case page.
    path("<int:pk>/ziele/neu/", plan_actions.GoalAddView.as_view(), name="goal_add"),
    path("<int:pk>/ziele/<int:goal_id>/stand/", plan_actions.GoalAchievedView.as_view(), name="goal_achieved"),
    path("<int:pk>/stichtag/", plan_actions.ReportingStatusView.as_view(), name="reporting_status"),
    path("<int:pk>/verlaengerung/", plan_actions.ExtensionView.as_view(), name="extension"),
    path("<int:pk>/beenden/", plan_actions.EndView.as_view(), name="end"),
    path("<int:pk>/uebergabe/", plan_actions.HandoverView.as_view(), name="handover"),
]
