"""Looking inside uploaded files: PDFs, office archives (DOCX, XLSX, ODT) and images.

Each check returns ``None`` for a file that may be kept, or a German message with the placeholders
``%(name)s`` (the file's name) and ``%(type)s`` (the detected type) that ``grants.uploads`` fills in.
Nothing is written to disk and nothing is unpacked beyond a small, capped read.
"""

import io
import re
import zipfile

from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ARCHIVE_ENTRIES = 10_000
# [Content_Types].xml and the like are a few kilobytes; read no more than this of any part.
MAX_PART_BYTES = 2 * 1024 * 1024
# A PDF of 10 MB has some ten thousand objects; far more is a trap for the checker, not a letter.
MAX_PDF_NODES = 1_000_000
DEFAULT_MAX_PIXELS = 89_478_485  # Pillow's own default, should a library have switched the guard off

# HTML that a browser would recognise: in the first kilobyte (where browsers sniff) or anywhere outside
# the PDF's binary streams (a PDF/HTML polyglot). Hex strings in PDFs hold only 0-9/a-f, so no clash.
HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg)[\s>/]", re.IGNORECASE)

# Parts of OOXML/ODF archives that hold macros, ActiveX controls or embedded programs.
# Not every .bin: Word and Excel store printer settings as printerSettings*.bin.
_MACRO_NAME = re.compile(
    r"((^|/)(vbaproject[^/]*|activex[^/]*|oleobject[^/]*)\.bin$|vbaproject|vbadata\.xml$"
    r"|(^|/)activex/|(^|/)macrosheets/|^basic/|^scripts/)",
    re.IGNORECASE)
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"activex", b"macrosheet", b"ms-office.vba")


def _pdf_messages():
    return {
        "javascript": _("Die Datei „%(name)s“ enthält JavaScript oder andere aktive Inhalte. Bitte laden Sie "
                        "ein PDF ohne aktive Inhalte hoch (z. B. über „Drucken als PDF“)."),
        "launch": _("Die Datei „%(name)s“ enthält einen Befehl, der Programme startet. Bitte laden Sie ein "
                    "PDF ohne solche Befehle hoch (z. B. über „Drucken als PDF“)."),
        "embedded": _("Die Datei „%(name)s“ enthält eingebettete Dateien. Bitte laden Sie jede Datei "
                      "einzeln hoch."),
    }


def _unreadable_pdf() -> str:
    return _("Die Datei „%(name)s“ ist kein lesbares PDF. Bitte speichern Sie das Dokument erneut als PDF "
             "und laden Sie es noch einmal hoch.")


class _TooComplex(Exception):
    pass


def _name(value) -> str:
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return str(value) if value is not None else ""


def _dict_findings(obj: DictionaryObject) -> set[str]:
    found = set()
    keys = set(obj.keys())
    action = _name(dict.get(obj, "/S"))
    if keys & {"/JS", "/JavaScript", "/XFA", "/RichMedia"} or action == "/JavaScript":
        found.add("javascript")
    if action == "/Launch":
        found.add("launch")
    if (keys & {"/EmbeddedFiles", "/EF"} or _name(dict.get(obj, "/Type")) == "/EmbeddedFile"
            or _name(dict.get(obj, "/Subtype")) == "/FileAttachment"):
        found.add("embedded")
    return found


def _pdf_findings(reader: PdfReader) -> set[str]:
    """Walk every object pypdf knows of (the trailer, every numbered object, all they contain)."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    # Also objects nothing points to: a lenient reader that rebuilds a broken file may still find them.
    for generation, numbers in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in numbers)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    nodes = 0
    while stack:
        nodes += 1
        if nodes > MAX_PDF_NODES:
            raise _TooComplex
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # stream objects too
            found |= _dict_findings(obj)
            stack.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
    return found


def _outside_streams(data: bytes) -> bytes:
    """The PDF without the bodies of its streams (compressed data could hold anything by chance).

    A plain loop, not a regex: a file full of "stream" without "endstream" must not take quadratic time.
    """
    parts, position = [], 0
    while True:
        start = data.find(b"stream", position)
        while start > 0 and data[start - 3:start] == b"end":
            start = data.find(b"stream", start + 6)
        if start < 0:
            parts.append(data[position:])
            return b"".join(parts)
        end = data.find(b"endstream", start + 6)
        if end < 0:
            parts.append(data[position:])  # an unterminated stream: judged as it is
            return b"".join(parts)
        parts.append(data[position:start])
        position = end + len(b"endstream")


def check_pdf(data: bytes) -> str | None:
    if HTML.search(data[:1024]) or HTML.search(_outside_streams(data)):
        return _("Die Datei „%(name)s“ enthält neben dem PDF auch HTML-Code und wird deshalb nicht angenommen.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                decrypted = reader.decrypt("")
            except Exception:  # an unknown cipher is as unreadable as a wrong password
                decrypted = 0
            if not decrypted:
                return _("Die Datei „%(name)s“ ist mit einem Passwort geschützt. Bitte laden Sie sie ohne "
                         "Passwortschutz hoch.")
        if len(reader.pages) < 1:
            return _unreadable_pdf()
        findings = _pdf_findings(reader)
    except Exception:  # pypdf raises many kinds of errors for a broken file; all mean "unreadable"
        return _unreadable_pdf()
    messages = _pdf_messages()
    for finding in ("javascript", "launch", "embedded"):
        if finding in findings:
            return messages[finding]
    return None


def check_office_archive(stream, *, kind: str, size: int) -> str | None:
    """DOCX/XLSX/ODT: judged from the zip directory; only the small type list is read, with a byte cap."""
    broken = _("Die Datei „%(name)s“ ist keine gültige %(type)s-Datei.")
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            if (len(infos) > MAX_ARCHIVE_ENTRIES or unpacked > MAX_UNPACKED_BYTES
                    or unpacked > MAX_COMPRESSION_RATIO * max(size, 1)):
                return _("Die Datei „%(name)s“ ist entpackt zu groß oder ungewöhnlich stark gepackt "
                         "(höchstens 100 MB und das Hundertfache der Dateigröße).")
            macros = _("Die Datei „%(name)s“ enthält Makros oder eingebettete Programme. Bitte speichern Sie "
                       "sie ohne Makros als %(type)s und laden Sie sie erneut hoch.")
            if any(_MACRO_NAME.search(info.filename) for info in infos):
                return macros
            if kind in ("DOCX", "XLSX"):
                with archive.open("[Content_Types].xml") as entry:
                    # The size in the zip directory may lie: never read more than the cap.
                    content_types = entry.read(MAX_PART_BYTES + 1)
                if len(content_types) > MAX_PART_BYTES:
                    return broken
                if any(marker in content_types.lower() for marker in _MACRO_CONTENT_TYPES):
                    return macros
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, NotImplementedError,
            RuntimeError, ValueError):
        return broken
    return None


def check_image(data: bytes, *, expected_format: str) -> str | None:
    """The image must decode completely, within Pillow's decompression-bomb limit."""
    broken = _("Die Datei „%(name)s“ ist kein lesbares Bild (%(type)s).")
    too_large = _("Das Bild „%(name)s“ hat zu viele Bildpunkte. Bitte verkleinern Sie es und laden Sie es "
                  "erneut hoch.")
    max_pixels = Image.MAX_IMAGE_PIXELS or DEFAULT_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected_format:
                return broken
            if image.width * image.height > max_pixels:
                return too_large
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Image.DecompressionBombError:
        return too_large
    except Exception:  # Pillow raises OSError, SyntaxError, ValueError… for broken images
        return broken
    return None
