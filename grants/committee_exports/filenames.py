"""ASCII file names for the exports: Beschlussvorlage-Sozialausschuss-2026-11-10.pdf."""

import re
import unicodedata

from ..models import Meeting

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def _ascii(text: str) -> str:
    """Umlauts spelled out, other accents dropped, anything else a hyphen: safe in every download header."""
    text = unicodedata.normalize("NFKD", str(text).translate(_GERMAN)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "Ausschuss"


def export_filename(meeting: Meeting, kind: str, extension: str) -> str:
    """``kind`` is the document («Beschlussvorlage», «Niederschrift»); the committee and date follow."""
    return f"{_ascii(kind)}-{_ascii(meeting.committee)}-{meeting.date:%Y-%m-%d}.{extension.lstrip('.')}"


def approval_filename(meeting: Meeting, extension: str) -> str:
    return export_filename(meeting, "Beschlussvorlage", extension)


def minutes_filename(meeting: Meeting) -> str:
    return export_filename(meeting, "Niederschrift", "pdf")
