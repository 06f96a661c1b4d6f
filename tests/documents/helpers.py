"""Reading generated files back: text from PDFs (pypdf), the SEPA schema bundled with sepaxml."""

import io
from pathlib import Path

import sepaxml
from pypdf import PdfReader

PAIN_001_001_09_XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd"
PAIN_NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


def pdf_pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-"), "not a PDF file"
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """All text of the PDF with whitespace collapsed, so wrapped lines still match."""
    return " ".join(" ".join(pdf_pages(data)).split())
