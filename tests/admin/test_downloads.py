"""Private files leave only through the permission-checked admin download views."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from grants.models import Attachment, Document, DocumentKind
from grants.states import State
from tests.factories import UserFactory, make_application, role_user

from .conftest import login

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% Testdatei\n"


def attachment_of(application, name="Kostenplan <final>.pdf"):
    attachment = Attachment(
        application=application, original_name=name, content_type="application/pdf", size=len(PDF),
        uploaded_by=application.created_by,
    )
    attachment.file.save("upload.pdf", ContentFile(PDF), save=True)
    return attachment


def letter_of(application):
    document = Document(application=application, kind=DocumentKind.APPROVAL, sha256="0" * 64)
    document.file.save("letter.pdf", ContentFile(PDF), save=True)
    return document


def content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ["staff", "head", "finance"])
def test_staff_roles_download_attachments_and_letters(client, people, application_in, role):
    application = application_in(State.APPROVED)
    attachment, document = attachment_of(application), letter_of(application)
    login(client, getattr(people, role))

    response = client.get(reverse("antraege:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert content(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Kostenplan" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"

    response = client.get(reverse("antraege:document", args=[document.pk]))
    assert response.status_code == 200
    assert content(response) == PDF
    assert response["Content-Disposition"] == f'attachment; filename="{document.filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_detail_page_links_to_the_download_views(client, people, application_in):
    application = application_in(State.APPROVED)
    attachment, document = attachment_of(application), letter_of(application)
    html = login(client, people.staff).get(reverse("antraege:detail", args=[application.pk])).content.decode()
    assert reverse("antraege:attachment", args=[attachment.pk]) in html
    assert reverse("antraege:document", args=[document.pk]) in html
    assert "Kostenplan &lt;final&gt;.pdf" in html


def test_applicants_cannot_use_admin_download_urls(client, people, application_in):
    application = application_in(State.APPROVED)
    attachment, document = attachment_of(application), letter_of(application)
    outsider = role_user("Antragsteller")
    make_application(member=outsider)  # a member of another organisation
    for user in (outsider, people.applicant):
        login(client, user)
        for name, obj in (("antraege:attachment", attachment), ("antraege:document", document)):
            response = client.get(reverse(name, args=[obj.pk]))
            assert response.status_code == 302
            assert response["Location"] == "/portal/"  # logged in, but the admin is for staff


def test_admin_user_without_view_permission_gets_403_and_unknown_ids_404(client, people, application_in):
    application = application_in(State.APPROVED)
    attachment = attachment_of(application)
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    response = login(client, editor).get(reverse("antraege:attachment", args=[attachment.pk]))
    assert response.status_code == 403

    login(client, people.staff)
    assert client.get(reverse("antraege:attachment", args=[attachment.pk + 999])).status_code == 404
    assert client.get(reverse("antraege:document", args=[999])).status_code == 404


def test_attachments_of_drafts_are_not_served_in_the_admin(client, people, application_in):
    draft = application_in(State.DRAFT)
    attachment = attachment_of(draft)
    assert login(client, people.staff).get(reverse("antraege:attachment", args=[attachment.pk])).status_code == 404
