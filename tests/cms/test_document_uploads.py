"""Documents uploaded in the Wagtail admin are public: they pass the same content checks as applicants' files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from tests import uploads_crafted as crafted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def add_document(client, name: str, content: bytes):
    return client.post(reverse("wagtaildocs:add"), {
        "title": "Merkblatt", "collection": Collection.get_first_root_node().pk,
        "file": SimpleUploadedFile(name, content),
    })


def test_a_clean_pdf_is_added(editor_client):
    assert add_document(editor_client, "Merkblatt.pdf", crafted.pdf()).status_code == 302
    assert get_document_model().objects.get().file.name.endswith(".pdf")


def test_a_clean_csv_is_added(editor_client):
    assert add_document(editor_client, "Zahlen.csv", b"AGS;Name\n08215100;Musterstadt\n").status_code == 302


@pytest.mark.parametrize(("name", "content", "says"), [
    ("Merkblatt.pdf", crafted.pdf_with_open_action_js(), "enthält JavaScript"),
    ("Merkblatt.docx", crafted.docx({"word/vbaProject.bin": b"VBA"}), "enthält Makros"),
    ("Merkblatt.pdf", crafted.docx(), "ist eine DOCX-Datei"),
    ("Zahlen.csv", b"<html><script>alert(1)</script></html>", "keine CSV-Datei"),
])
def test_hostile_documents_are_refused(editor_client, name, content, says):
    response = add_document(editor_client, name, content)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not get_document_model().objects.exists()
