"""An applicant never reaches another organisation's data: every portal URL with an id is 404, GET and POST."""

import pytest
from django.urls import reverse

from grants.models import Attachment, Document
from grants.states import State
from portal import urls_portal
from portal.organisations.invitations import invitation_create
from portal.organisations.models import Invitation, Membership

from .helpers import stored_attachment, stored_letter

pytestmark = pytest.mark.django_db

# URL name -> which object's id goes into the path.
URLS_WITH_ID = {
    "application_detail": "application",
    "application_edit": "application",
    "application_withdraw": "application",
    "application_decline": "application",
    "attachment_upload": "application",
    "settlement": "application",
    "settlement_receipt_upload": "application",
    "attachment_download": "attachment",
    "attachment_delete": "attachment",
    "document_download": "document",
    "organisation_detail": "organisation",
    "organisation_edit": "organisation",
    "member_invite": "organisation",
    "invitation_revoke": "invitation",
}


def test_matrix_covers_every_portal_url_with_an_id():
    with_id = {p.name for p in urls_portal.urlpatterns if "<int:pk>" in str(p.pattern)}
    assert with_id == set(URLS_WITH_ID)


@pytest.fixture
def targets(application, member):
    return {
        "application": application.pk,
        "attachment": stored_attachment(application, member).pk,
        "document": stored_letter(application).pk,
        "organisation": application.organisation.pk,
        "invitation": invitation_create(user=member, organisation_id=application.organisation_id,
                                        email="eingeladen@example.org").pk,
    }


def _post_data(application):
    # A plausible, complete POST for every form, so only the scoping can stop it.
    return {
        "action": "submit", "title": "Übernommen", "note": "weg", "reason": "weg", "email": "someone@example.org",
        "kosten-TOTAL_FORMS": "1", "kosten-INITIAL_FORMS": "0", "kosten-0-description": "X", "kosten-0-amount": "500",
        "ausgaben-TOTAL_FORMS": "0", "ausgaben-INITIAL_FORMS": "0", "report": "x", "participants_reached": "1",
    }


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(URLS_WITH_ID))
def test_outsider_gets_404(outsider_client, application, targets, name, method):
    url = reverse(f"portal:{name}", args=[targets[URLS_WITH_ID[name]]])
    response = getattr(outsider_client, method)(url, _post_data(application) if method == "post" else None)
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == State.DRAFT
    assert application.title != "Übernommen"
    assert Attachment.objects.filter(pk=targets["attachment"]).exists()
    assert Document.objects.filter(pk=targets["document"]).exists()
    assert Membership.objects.filter(organisation=application.organisation).count() == 1
    assert Invitation.objects.get(pk=targets["invitation"]).revoked_at is None
    assert not Invitation.objects.filter(email="someone@example.org").exists()


@pytest.mark.parametrize("name", sorted(URLS_WITH_ID))
def test_member_reaches_the_same_urls(member_client, targets, name):
    """The other side of the matrix: the 404s above come from the scoping, not from wrong URLs."""
    url = reverse(f"portal:{name}", args=[targets[URLS_WITH_ID[name]]])
    assert member_client.get(url).status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(URLS_WITH_ID))
def test_anonymous_is_sent_to_login(client, targets, name):
    url = reverse(f"portal:{name}", args=[targets[URLS_WITH_ID[name]]])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_reader_cannot_edit_through_the_portal(client, application):
    """Staff may read applications in the admin, but the applicant portal is for members only."""
    from tests.factories import role_user

    client.force_login(role_user("Sachbearbeitung"))
    for name in ("application_detail", "application_edit", "application_withdraw", "settlement"):
        assert client.get(reverse(f"portal:{name}", args=[application.pk])).status_code == 404


def test_mutations_need_the_csrf_token(member, application):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("portal:application_withdraw", args=[application.pk]), {"note": ""})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == State.DRAFT
