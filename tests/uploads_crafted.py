"""Real files made in the test, good and hostile: PDFs (pypdf), office archives (zipfile), images (Pillow)."""

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _name(value: str) -> NameObject:
    return NameObject(value)


def pdf(*, metadata: dict | None = None, tweak=None) -> bytes:
    """A one-page PDF; ``tweak(writer)`` adds hostile parts before it is written."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if metadata:
        writer.add_metadata(metadata)
    if tweak:
        tweak(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_open_action_js() -> bytes:
    def tweak(writer):
        writer._root_object[_name("/OpenAction")] = DictionaryObject({
            _name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("app.alert('hallo')"),
        })
    return pdf(tweak=tweak)


def pdf_with_escaped_js() -> bytes:
    """The same JavaScript action with its names written in #-escapes (/J#61vaScript is /JavaScript)."""
    return pdf_with_open_action_js().replace(b"/S /JavaScript", b"/S /J#61vaScript").replace(b"/JS ", b"/J#53 ")


def pdf_with_link_js() -> bytes:
    """JavaScript hidden in a link annotation's action, not in the document catalogue."""
    def tweak(writer):
        action = DictionaryObject({_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("this.print()")})
        annotation = DictionaryObject({
            _name("/Type"): _name("/Annot"), _name("/Subtype"): _name("/Link"),
            _name("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(100), FloatObject(100)]),
            _name("/A"): writer._add_object(action),
        })
        writer.pages[0][_name("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return pdf(tweak=tweak)


def pdf_with_launch() -> bytes:
    def tweak(writer):
        writer._root_object[_name("/OpenAction")] = DictionaryObject({
            _name("/S"): _name("/Launch"), _name("/F"): TextStringObject("cmd.exe"),
        })
    return pdf(tweak=tweak)


def pdf_with_embedded_file() -> bytes:
    def tweak(writer):
        writer.add_attachment("rechnung.exe", b"MZ\x90\x00 not really a program")
    return pdf(tweak=tweak)


def pdf_html_polyglot() -> bytes:
    """A PDF header, then an HTML page: no PDF reader makes sense of it, a browser would."""
    return b"%PDF-1.7\n<html><body><script>fetch('/portal/')</script></body></html>\n%%EOF\n"


def pdf_parsing_with_html() -> bytes:
    """A PDF that still parses, with an HTML page in a comment line right after the header, where browsers sniff."""
    data = pdf()
    first_line = data.index(b"\n") + 1
    html = b"%<html><body><script>alert(document.cookie)</script></body></html>\n"
    return data[:first_line] + html + data[first_line:]


def eicar_behind_pdf_header() -> bytes:
    return b"%PDF-1.4\n" + EICAR + b"\n"


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')


def docx(extra: dict[str, bytes] | None = None, content_types: bytes = CONTENT_TYPES) -> bytes:
    return zip_bytes({"[Content_Types].xml": content_types, "word/document.xml": b"<w:document/>", **(extra or {})})


def xlsx() -> bytes:
    return zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"})


def odt(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # As the ODF standard wants it: the mimetype first and stored uncompressed.
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def docx_zip_bomb() -> bytes:
    """A few kilobytes that unpack to 50 MB of zeros: under the 100 MB cap, far over a ratio of 100."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/image1.png", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(50):
                entry.write(chunk)
    return buffer.getvalue()


def image(fmt: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(buffer, format=fmt)
    return buffer.getvalue()


def broken_jpeg() -> bytes:
    """A JPEG start followed by noise: the first bytes say JPEG, the decoder says no."""
    return image("JPEG")[:20] + b"\x13\x37" * 200


def pdf_with_stream_bytes(content: bytes) -> bytes:
    """A PDF whose page content stream holds ``content``, past the first kilobyte (a long title comes first)."""
    from pypdf.generic import DecodedStreamObject

    def tweak(writer):
        stream = DecodedStreamObject()
        stream.set_data(content)
        writer.pages[0][_name("/Contents")] = writer._add_object(stream)
    return pdf(metadata={"/Title": "Verwendungsnachweis " * 100}, tweak=tweak)
