"""Decision letters as PDF (reportlab platypus, A4, DIN 5008 form B).

``render_letter`` is the one entry point; ``grants.tasks.generate_document``
stores its result once as a ``Document``. Modules: ``layout`` (page, fonts,
footer with "Seite X von Y"), ``blocks`` (escaped paragraphs and shared legal
texts), one module per letter kind.
"""

from ..models import DocumentKind
from . import approval, refund, rejection

_BUILDERS = {
    DocumentKind.APPROVAL: approval.build,
    DocumentKind.REJECTION: rejection.build,
    DocumentKind.REFUND_NOTICE: refund.build,
}


def render_letter(application, kind: str) -> bytes:
    """The PDF bytes of the letter of ``kind`` (a ``DocumentKind`` value) for ``application``."""
    try:
        builder = _BUILDERS[DocumentKind(kind)]
    except ValueError as exc:
        raise ValueError(f"unknown letter kind: {kind!r}") from exc
    return builder(application)


__all__ = ["render_letter"]
