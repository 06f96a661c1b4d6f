"""Uploads are judged by what is inside them: each hostile kind is a real file made here, and refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from grants import upload_checks
from grants.uploads import PDF as PDF_TYPE
from grants.uploads import safe_base_name, served_as, stored_name, validate_upload
from tests import uploads_crafted as crafted


def check(name: str, content: bytes):
    return validate_upload(SimpleUploadedFile(name, content))


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check(name, content)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(("build", "name", "label"), [
    (crafted.pdf, "Finanzplan.pdf", "PDF"),
    (crafted.docx, "Konzept.docx", "DOCX"),
    (crafted.xlsx, "Kosten.xlsx", "XLSX"),
    (crafted.odt, "Konzept.odt", "ODT"),
    (lambda: crafted.image("JPEG"), "Foto.jpg", "JPEG"),
    (lambda: crafted.image("PNG"), "Foto.png", "PNG"),
])
def test_each_accepted_kind_still_passes(build, name, label):
    assert check(name, build()).label == label


@pytest.mark.parametrize(("build", "says"), [
    (crafted.pdf_with_open_action_js, "enthält JavaScript"),
    (crafted.pdf_with_link_js, "enthält JavaScript"),
    (crafted.pdf_with_escaped_js, "enthält JavaScript"),
    (crafted.pdf_with_launch, "einen Befehl, der Programme startet"),
    (crafted.pdf_with_embedded_file, "enthält eingebettete Dateien"),
    (crafted.pdf_html_polyglot, "HTML-Code"),
    (crafted.pdf_parsing_with_html, "HTML-Code"),
    (crafted.eicar_behind_pdf_header, "kein lesbares PDF"),
    (lambda: b"%PDF-1.7\n%%EOF\n", "kein lesbares PDF"),
])
def test_hostile_pdfs_are_refused(build, says):
    message = refusal("Beleg.pdf", build())
    assert says in message
    assert "„Beleg.pdf“" in message


def test_the_parsing_polyglot_is_a_pdf_to_a_reader():
    # The HTML check, not the parser, refuses it: pypdf reads the page all the same.
    assert len(PdfReader(io.BytesIO(crafted.pdf_parsing_with_html())).pages) == 1


def test_hostile_pdfs_are_pdfs_to_a_reader():
    # Refused for what they carry, not because the crafted files were broken.
    for build in (crafted.pdf_with_open_action_js, crafted.pdf_with_launch, crafted.pdf_with_embedded_file):
        assert len(PdfReader(io.BytesIO(build())).pages) == 1


def test_zip_bomb_as_docx_is_refused_from_its_directory():
    bomb = crafted.docx_zip_bomb()
    assert len(bomb) < 200_000  # small on the wire, 50 MB unpacked
    assert "entpackt zu groß oder ungewöhnlich stark gepackt" in refusal("Bericht.docx", bomb)


def test_docx_over_100_mb_unpacked_is_refused(monkeypatch):
    # The 100 MB cap on its own, with the ratio out of the way.
    monkeypatch.setattr(upload_checks, "MAX_COMPRESSION_RATIO", 10**9)
    monkeypatch.setattr(upload_checks, "MAX_UNPACKED_BYTES", 1024)
    assert "entpackt zu groß" in refusal("Bericht.docx", crafted.docx({"word/media/x.xml": b"a" * 2048}))


@pytest.mark.parametrize(("name", "content"), [
    ("Bericht.docx", crafted.docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 VBA"})),
    ("Bericht.docx", crafted.docx({"word/activeX/activeX1.bin": b"\xd0\xcf\x11\xe0"})),
    ("Bericht.docx", crafted.docx(content_types=crafted.CONTENT_TYPES.replace(
        b"</Types>", b'<Override PartName="/word/document.xml" '
                     b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'))),
    ("Kosten.xlsx", crafted.zip_bytes({"[Content_Types].xml": crafted.CONTENT_TYPES, "xl/workbook.xml": b"<w/>",
                                       "xl/vbaProject.bin": b"VBA"})),
    ("Konzept.odt", crafted.odt({"Basic/Standard/Module1.xml": b"<script:module/>"})),
])
def test_office_files_with_macros_are_refused(name, content):
    assert "enthält Makros oder eingebettete Programme" in refusal(name, content)


def test_odt_needs_its_mimetype():
    wrong = crafted.zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                               "content.xml": b"<office:document-content/>"})
    assert "kein erlaubtes Format" in refusal("Konzept.odt", wrong)


def test_a_jpeg_that_does_not_decode_is_refused():
    assert "kein lesbares Bild (JPEG)" in refusal("Quittung.jpg", crafted.broken_jpeg())


def test_a_png_with_a_broken_checksum_is_refused():
    png = bytearray(crafted.image("PNG"))
    png[-20] ^= 0xFF  # inside the image data: the chunk's checksum no longer matches
    assert "kein lesbares Bild (PNG)" in refusal("Quittung.png", bytes(png))


def test_an_image_beyond_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    assert "zu viele Bildpunkte" in refusal("Quittung.png", crafted.image("PNG", size=(40, 30)))


def test_empty_file_is_refused():
    assert "ist leer" in refusal("Leer.pdf", b"")


@pytest.mark.parametrize(("given", "expected"), [
    ("Beleg.bat", "Beleg.pdf"),
    ("Beleg.pdf.exe", "Beleg.pdf.pdf"),
    ("../../etc/passwd", "passwd.pdf"),
    ("C:\\Users\\Verein\\Rechnung März.PDF", "Rechnung März.pdf"),
    ('x"; filename=evil.html', "x__ filename_evil.pdf"),
    ("Quittung\u202egnp.exe", "Quittung_gnp.pdf"),
    ("CON.txt", "_CON.pdf"),
    ("...", "Datei.pdf"),
    ("Zeile\r\nX-Header: 1.pdf", "Zeile X-Header_ 1.pdf"),
])
def test_stored_name_is_the_safe_base_name_with_the_detected_extension(given, expected):
    assert stored_name(given, PDF_TYPE) == expected


def test_long_names_are_cut():
    assert len(safe_base_name("A" * 500 + ".pdf")) <= 120


def test_rows_from_before_are_served_safely_too():
    assert served_as("Beleg.bat", "application/pdf") == ("Beleg.pdf", "application/pdf")
    assert served_as("seite.html", "text/html") == ("seite.bin", "application/octet-stream")


def test_bytes_inside_a_stream_are_not_taken_for_html():
    # Compressed data can hold "<svg " by chance; only what a browser could read as markup counts.
    data = crafted.pdf_with_stream_bytes(b"q 1 0 0 1 0 0 cm Q % <svg onload=x>")
    assert data.index(b"<svg") > 1024
    assert check("Beleg.pdf", data).label == "PDF"


def test_html_between_the_objects_is_refused_even_past_the_first_kilobyte():
    data = crafted.pdf_with_stream_bytes(b"q Q")
    position = data.index(b"xref")
    hostile = data[:position] + b"%<script>alert(1)</script>\n" + data[position:]
    assert hostile.index(b"<script") > 1024
    assert "HTML-Code" in refusal("Beleg.pdf", hostile)


@pytest.mark.parametrize(("name", "content", "label"), [
    ("Bericht.docx", crafted.docx({"word/printerSettings/printerSettings1.bin": b"\x00\x01 printer"}), "DOCX"),
    ("Kosten.xlsx", crafted.zip_bytes({"[Content_Types].xml": crafted.CONTENT_TYPES, "xl/workbook.xml": b"<w/>",
                                       "xl/printerSettings/printerSettings1.bin": b"\x00\x01"}), "XLSX"),
])
def test_printer_settings_saved_by_word_and_excel_are_no_macros(name, content, label):
    assert check(name, content).label == label
