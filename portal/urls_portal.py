"""The applicant portal under /portal/. Every id in a path is looked up through a scoped selector."""

from django.urls import path

from .views import applications, attachments, dashboard, decline, documents, organisations, settlements

app_name = "portal"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    # Organisation profile
    path("organisationen/neu/", organisations.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisationen/<int:pk>/", organisations.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("organisationen/<int:pk>/bearbeiten/", organisations.OrganisationEditView.as_view(),
         name="organisation_edit"),
    path("organisationen/<int:pk>/mitglieder/einladen/", organisations.InvitationCreateView.as_view(),
         name="member_invite"),
    path("einladungen/<int:pk>/zurueckziehen/", organisations.InvitationRevokeView.as_view(),
         name="invitation_revoke"),
    path("einladung/<str:token>/", organisations.InvitationAcceptView.as_view(), name="invitation_accept"),
    # Applications
    path("antraege/neu/<str:programme_code>/", applications.ApplicationCreateView.as_view(),
         name="application_create"),
    path("antraege/<int:pk>/", applications.ApplicationDetailView.as_view(), name="application_detail"),
    path("antraege/<int:pk>/bearbeiten/", applications.ApplicationEditView.as_view(), name="application_edit"),
    path("antraege/<int:pk>/zurueckziehen/", applications.ApplicationWithdrawView.as_view(),
         name="application_withdraw"),
    path("antraege/<int:pk>/verzichten/", decline.ApplicationDeclineView.as_view(), name="application_decline"),
    path("antraege/<int:pk>/anlagen/neu/", attachments.AttachmentUploadView.as_view(), name="attachment_upload"),
    # Settlement
    path("antraege/<int:pk>/verwendungsnachweis/", settlements.SettlementView.as_view(), name="settlement"),
    path("antraege/<int:pk>/verwendungsnachweis/belege/neu/", attachments.SettlementReceiptUploadView.as_view(),
         name="settlement_receipt_upload"),
    # Files: looked up by their own id through grants.selectors
    path("anlagen/<int:pk>/", attachments.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("anlagen/<int:pk>/loeschen/", attachments.AttachmentDeleteView.as_view(), name="attachment_delete"),
    path("bescheide/<int:pk>/", documents.DocumentDownloadView.as_view(), name="document_download"),
]
