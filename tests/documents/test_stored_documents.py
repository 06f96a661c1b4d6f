"""Letters through the real flow: approval/rejection/refund store a Document once; downloads stay unchanged."""

import hashlib

import pytest

from grants import tasks
from grants.models import Document, DocumentKind
from grants.services import review
from tests.documents.helpers import pdf_text

pytestmark = pytest.mark.django_db


def _read(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_approval_stores_the_letter_once_and_unchanged(approved):
    application = approved(amount="1200.00")

    document = Document.objects.get(application=application, kind=DocumentKind.APPROVAL)
    data = _read(document)
    assert hashlib.sha256(data).hexdigest() == document.sha256
    text = pdf_text(data)
    assert application.file_number in text
    assert "1.200,00 €" in text
    assert "Zuwendungsbescheid" in text

    # The task runs again (retry, second worker): same row, same file, same bytes.
    again = tasks.generate_document(application.pk, DocumentKind.APPROVAL)
    assert again == document.pk
    assert Document.objects.filter(application=application).count() == 1
    stored = Document.objects.get(pk=again)
    assert stored.sha256 == document.sha256
    assert stored.file.name == document.file.name
    assert _read(stored) == data


def test_rejection_stores_a_rejection_letter(people, submitted, django_capture_on_commit_callbacks):
    application = submitted(amount="700.00")
    with django_capture_on_commit_callbacks(execute=True):
        review.application_reject(user=people.staff, application_id=application.pk, reasons='Zweck <unklar> & "vage"')

    document = Document.objects.get(application=application)
    assert document.kind == DocumentKind.REJECTION
    text = pdf_text(_read(document))
    assert 'Zweck <unklar> & "vage"' in text
    assert "Rechtsbehelfsbelehrung" in text


def test_refund_claim_stores_a_refund_notice(settled_with_refund):
    application = settled_with_refund()

    kinds = set(Document.objects.filter(application=application).values_list("kind", flat=True))
    assert kinds == {DocumentKind.APPROVAL, DocumentKind.REFUND_NOTICE}
    document = Document.objects.get(application=application, kind=DocumentKind.REFUND_NOTICE)
    text = pdf_text(_read(document))
    assert "200,00 €" in text
    assert f"{application.refund.due_on:%d.%m.%Y}" in text
