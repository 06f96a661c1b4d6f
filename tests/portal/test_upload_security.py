"""Uploads through the real views: hostile files refused on the field with nothing saved, safe names,
file modes, 413 before the body is read, 429 after too many uploads."""

import io
import os
import stat
from datetime import datetime, time

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from grants.models import Attachment
from grants.states import State
from portal.upload_limits import SizeCapUploadHandler, UploadSizeLimitMiddleware
from portal.views.attachments import AttachmentUploadView
from tests import uploads_crafted as crafted
from tests.factories import make_application, role_user

from .conftest import advance
from .helpers import PDF_BYTES, stored_attachment, stored_letter, upload

pytestmark = pytest.mark.django_db


def post_upload(client, application, file, name="attachment_upload"):
    return client.post(reverse(f"portal:{name}", args=[application.pk]), {"file": file})


def files_on_disk() -> list[str]:
    root = settings.PRIVATE_ROOT
    return [os.path.join(folder, name) for folder, _dirs, names in os.walk(root) for name in names]


@pytest.mark.parametrize(("name", "build", "says"), [
    ("Programm.pdf", crafted.pdf_with_open_action_js, "enthält JavaScript"),
    ("Programm.pdf", crafted.pdf_with_launch, "einen Befehl, der Programme startet"),
    ("Programm.pdf", crafted.pdf_with_embedded_file, "enthält eingebettete Dateien"),
    ("Seite.pdf", crafted.pdf_html_polyglot, "HTML-Code"),
    ("Seite.pdf", crafted.pdf_parsing_with_html, "HTML-Code"),
    ("Bericht.docx", crafted.docx_zip_bomb, "entpackt zu groß"),
    ("Bericht.docx", lambda: crafted.docx({"word/vbaProject.bin": b"VBA"}), "enthält Makros"),
    ("Virus.pdf", crafted.eicar_behind_pdf_header, "kein lesbares PDF"),
    ("Leer.pdf", lambda: b"", "ist leer"),
    ("Foto.jpg", crafted.broken_jpeg, "kein lesbares Bild"),
])
def test_hostile_file_is_refused_on_the_field_and_nothing_is_saved(member_client, application, name, build, says):
    response = post_upload(member_client, application, upload(name, build()))
    assert response.status_code == 200
    page = response.content.decode()
    assert says in page
    assert 'href="#id_file"' in page  # the error summary links the file field
    assert not Attachment.objects.exists()
    assert files_on_disk() == []


@pytest.mark.parametrize(("name", "build", "stored_as"), [
    ("Konzept.docx", crafted.docx, "Konzept.docx"),
    ("Kosten.xlsx", crafted.xlsx, "Kosten.xlsx"),
    ("Konzept.odt", crafted.odt, "Konzept.odt"),
    ("Foto.jpeg", lambda: crafted.image("JPEG"), "Foto.jpg"),
    ("Quittung.png", lambda: crafted.image("PNG"), "Quittung.png"),
])
def test_each_accepted_kind_is_stored(member_client, application, name, build, stored_as):
    assert post_upload(member_client, application, upload(name, build())).status_code == 302
    assert Attachment.objects.get().original_name == stored_as


def test_beleg_bat_holding_a_pdf_is_stored_and_served_as_beleg_pdf(member_client, member, application, client):
    response = post_upload(member_client, application, upload("Beleg.bat", PDF_BYTES, "application/x-msdownload"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("Beleg.pdf", "application/pdf")
    assert attachment.file.name.endswith(".pdf")
    assert "Beleg" not in attachment.file.name
    download = member_client.get(reverse("portal:attachment_download", args=[attachment.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="Beleg.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF_BYTES
    # Staff download it under the same name.
    advance(application, member, State.SUBMITTED)
    client.force_login(role_user("Sachbearbeitung"))
    staff_download = client.get(reverse("antraege:attachment", args=[attachment.pk]))
    assert staff_download["Content-Disposition"] == 'attachment; filename="Beleg.pdf"'


def test_a_row_stored_before_is_served_under_a_safe_name(member_client, member, application):
    attachment = stored_attachment(application, member, name='Beleg"; x=.bat')
    download = member_client.get(reverse("portal:attachment_download", args=[attachment.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="Beleg__ x.pdf"'


def test_private_files_are_written_0640_in_folders_0750(member_client, application):
    post_upload(member_client, application, upload("Plan.pdf", PDF_BYTES))
    path = Attachment.objects.get().file.path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o750
    letter = stored_letter(application)
    assert stat.S_IMODE(os.stat(letter.file.path).st_mode) == 0o640


def test_the_private_storage_itself_sets_the_modes(tmp_path):
    # The private storage as the settings configure it (the tests point it at a temporary folder).
    from portal.settings import base

    options = {**base.STORAGES["private"]["OPTIONS"], "location": str(tmp_path)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "FILE_UPLOAD_PERMISSIONS", None)
        patch.setattr(settings, "FILE_UPLOAD_DIRECTORY_PERMISSIONS", None)
        name = FileSystemStorage(**options).save("documents/1/bescheid.pdf", ContentFile(PDF_BYTES))
    assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o640
    assert stat.S_IMODE(os.stat(tmp_path / "documents").st_mode) == 0o750


class _Untouchable(io.RawIOBase):
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = readline = read


def test_oversize_request_gets_413_before_the_body_is_read(member, application):
    request = RequestFactory().post(reverse("portal:attachment_upload", args=[application.pk]),
                                    {"file": upload("Plan.pdf", PDF_BYTES)})
    request.META["CONTENT_LENGTH"] = str(settings.UPLOAD_REQUEST_MAX_BYTES + 1)
    request._stream = _Untouchable()
    request.user = member
    reached = []
    response = UploadSizeLimitMiddleware(reached.append)(request)
    assert response.status_code == 413
    assert "Die Datei ist zu groß" in response.content.decode()
    assert reached == []


def test_oversize_upload_through_the_stack_never_reaches_the_view(member_client, application, settings, monkeypatch):
    settings.UPLOAD_REQUEST_MAX_BYTES = 4096
    reached = []
    monkeypatch.setattr(AttachmentUploadView, "post", lambda *args, **kwargs: reached.append(True))
    response = post_upload(member_client, application, upload("Plan.pdf", PDF_BYTES + b"%" * 8192))
    assert response.status_code == 413
    page = response.content.decode()
    assert "höchstens 10 MB je Datei" in page
    assert '<html lang="de">' in page
    assert reached == []
    assert not Attachment.objects.exists()


def test_a_body_longer_than_declared_is_cut_off_while_streaming(member, application):
    # Should a server hand over more than the declared length (or none): the handler stops at the limit.
    request = RequestFactory().post(reverse("portal:attachment_upload", args=[application.pk]),
                                    {"file": upload("Plan.pdf", PDF_BYTES + b"%" * 20_000)})
    request.upload_handlers.insert(0, SizeCapUploadHandler(request, 10_000))
    response = UploadSizeLimitMiddleware(lambda request: None).process_view(request, None, (), {})
    assert response.status_code == 413
    assert not request.FILES


def test_a_body_within_the_limit_streams_through(member, application):
    request = RequestFactory().post(reverse("portal:attachment_upload", args=[application.pk]),
                                    {"file": upload("Plan.pdf", PDF_BYTES)})
    request.upload_handlers.insert(0, SizeCapUploadHandler(request, 10_000))
    assert UploadSizeLimitMiddleware(lambda request: None).process_view(request, None, (), {}) is None
    assert request.FILES["file"].read() == PDF_BYTES


def test_too_many_uploads_get_429_with_the_time_to_try_again(member_client, member, application, settings):
    settings.UPLOAD_RATE_LIMIT = (3, 600)
    other_member = role_user("Antragsteller")
    other = make_application(member=other_member)
    # Today at 14:00:10 (Berlin): the session of the fixture's login stays valid, whenever the suite runs.
    first = timezone.make_aware(datetime.combine(timezone.localdate(), time(14, 0, 10)))
    with time_machine.travel(first, tick=False):
        for number in range(3):
            assert post_upload(member_client, application, upload(f"Beleg {number}.pdf", PDF_BYTES)).status_code == 302
        response = post_upload(member_client, application, upload("Beleg 4.pdf", PDF_BYTES))
        assert response.status_code == 429
        page = response.content.decode()
        assert "Bitte versuchen Sie es in 10 Minuten wieder, ab 14:11 Uhr." in page
        assert 'href="#id_file"' in page
        assert response["Retry-After"] == "601"
        assert Attachment.objects.filter(application=application).count() == 3
        # Counted per user: someone else uploads meanwhile.
        member_client.force_login(other_member)
        assert post_upload(member_client, other, upload("Plan.pdf", PDF_BYTES)).status_code == 302
    member_client.force_login(member)
    later = timezone.make_aware(datetime.combine(timezone.localdate(), time(14, 10, 11)))
    with time_machine.travel(later, tick=False):
        assert post_upload(member_client, application, upload("Beleg 4.pdf", PDF_BYTES)).status_code == 302
    assert Attachment.objects.filter(application=application).count() == 4


def test_receipts_count_towards_the_same_limit(member_client, member, application, settings):
    settings.UPLOAD_RATE_LIMIT = (1, 600)
    advance(application, member, State.PAID)
    assert post_upload(member_client, application, upload("Quittung.pdf", PDF_BYTES),
                       name="settlement_receipt_upload").status_code == 302
    response = post_upload(member_client, application, upload("Quittung2.pdf", PDF_BYTES),
                           name="settlement_receipt_upload")
    assert response.status_code == 429
    assert Attachment.objects.count() == 1

