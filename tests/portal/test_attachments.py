"""Attachments are checked by content, limited in size, served only as downloads; letters come back unchanged."""

import pytest
from django.urls import reverse

from grants.models import Attachment
from grants.states import State

from .conftest import advance
from .helpers import PDF_BYTES, PNG_BYTES, real_docx, stored_attachment, stored_letter, upload, zip_bytes

pytestmark = pytest.mark.django_db


def post_upload(client, application, file, name="attachment_upload"):
    return client.post(reverse(f"portal:{name}", args=[application.pk]), {"file": file})


def test_real_pdf_is_stored_privately(member_client, application):
    response = post_upload(member_client, application, upload("Finanzplan.pdf", PDF_BYTES))
    assert response.status_code == 302
    attachment = Attachment.objects.get(application=application)
    assert attachment.kind == "application"
    assert attachment.original_name == "Finanzplan.pdf"
    assert attachment.content_type == "application/pdf"
    assert "Finanzplan" not in attachment.file.name  # random name on disk


def test_pdf_name_with_png_content_is_judged_by_content(member_client, application):
    post_upload(member_client, application, upload("scan.pdf", PNG_BYTES, "application/pdf"))
    attachment = Attachment.objects.get(application=application)
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")


def test_pdf_name_with_html_content_is_refused(member_client, application):
    html = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    response = post_upload(member_client, application, upload("antrag.pdf", html, "application/pdf"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "hat kein erlaubtes Format" in page
    assert 'href="#id_file"' in page
    assert not Attachment.objects.exists()


def test_file_over_10_mb_is_refused(member_client, application):
    # Over the file limit, under the request limit (the form around it): refused on the form field.
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024 + 1)
    response = post_upload(member_client, application, upload("gross.pdf", big))
    assert "ist größer als 10 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_zip_without_word_document_is_not_a_docx(member_client, application):
    fake = zip_bytes({"[Content_Types].xml": b"<Types/>", "evil.html": b"<html></html>"})
    response = post_upload(member_client, application, upload("brief.docx", fake))
    assert "hat kein erlaubtes Format" in response.content.decode()
    assert not Attachment.objects.exists()


def test_real_docx_is_accepted(member_client, application):
    post_upload(member_client, application, upload("brief.docx", real_docx()))
    assert Attachment.objects.get().content_type.endswith("wordprocessingml.document")


def test_download_is_an_attachment_with_nosniff(member_client, member, application):
    attachment = stored_attachment(application, member, name="Kostenplan März.pdf")
    response = member_client.get(reverse("portal:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Kostenplan" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_stored_letter_is_served_unchanged(member_client, application):
    content = PDF_BYTES + b"% Bescheid II-IMP-2026-0001\n"
    document = stored_letter(application, content=content)
    response = member_client.get(reverse("portal:document_download", args=[document.pk]))
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_detail_page_links_the_letters(member_client, application):
    document = stored_letter(application)
    html = member_client.get(reverse("portal:application_detail", args=[application.pk])).content.decode()
    assert reverse("portal:document_download", args=[document.pk]) in html


def test_delete_while_editable(member_client, member, application):
    attachment = stored_attachment(application, member)
    url = reverse("portal:attachment_delete", args=[attachment.pk])
    assert member_client.get(url).status_code == 200  # confirmation page, nothing deleted
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    member_client.post(url)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_no_delete_or_upload_after_submission(member_client, member, application):
    attachment = stored_attachment(application, member)
    advance(application, member, State.SUBMITTED)
    member_client.post(reverse("portal:attachment_delete", args=[attachment.pk]))
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    response = post_upload(member_client, application, upload("spaet.pdf", PDF_BYTES))
    assert response.status_code == 302
    assert Attachment.objects.count() == 1


def test_receipts_are_settlement_attachments(member_client, member, application):
    advance(application, member, State.PAID)
    response = post_upload(member_client, application, upload("Quittung.png", PNG_BYTES),
                           name="settlement_receipt_upload")
    assert response["Location"] == reverse("portal:settlement", args=[application.pk])
    assert Attachment.objects.get().kind == "settlement"
