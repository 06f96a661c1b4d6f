"""Files made from a committee meeting: the approval list (Beschlussvorlage) as PDF, XLSX and CSV from the
frozen agenda's snapshots, and the minutes (Niederschrift) as PDF once the decisions are recorded.

Pure builders over a Meeting (no views): ``approval_export(meeting, "pdf")`` gives bytes, file name and
content type for a download or the ``export_approval_list`` command; ``minutes_export(meeting)`` likewise.
Each raises ValidationError (German) when the meeting is not ready for it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .csv import CSV_CONTENT_TYPE, approval_csv
from .filenames import approval_filename, minutes_filename
from .layout import PDF_CONTENT_TYPE
from .minutes import minutes_pdf
from .pdf import approval_pdf
from .table import approval_table
from .xlsx import XLSX_CONTENT_TYPE, approval_xlsx

FORMATS = {
    "pdf": (approval_pdf, PDF_CONTENT_TYPE),
    "xlsx": (approval_xlsx, XLSX_CONTENT_TYPE),
    "csv": (approval_csv, CSV_CONTENT_TYPE),
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str


def approval_export(meeting, file_format: str) -> ExportFile:
    """The approval list in ``file_format`` (pdf, xlsx or csv)."""
    if file_format not in FORMATS:
        raise ValidationError(_("Unbekanntes Format „%(format)s“; möglich sind: %(formats)s.") % {
            "format": file_format, "formats": ", ".join(FORMATS)})
    build, content_type = FORMATS[file_format]
    return ExportFile(build(meeting), approval_filename(meeting, file_format), content_type)


def minutes_export(meeting) -> ExportFile:
    return ExportFile(minutes_pdf(meeting), minutes_filename(meeting), PDF_CONTENT_TYPE)


__all__ = [
    "FORMATS", "ExportFile", "approval_csv", "approval_export", "approval_pdf", "approval_table", "approval_xlsx",
    "minutes_export", "minutes_pdf",
]
