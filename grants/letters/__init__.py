"""Decision letters as PDF (reportlab platypus, A4, DIN 5008 form B).

``render_letter`` renders an application's letter of one kind, ``render_amendment`` the Änderungsbescheid of
one grant increase; ``grants.tasks.generate_document`` / ``generate_amendment`` store their result once as a
``Document``. Modules: ``layout`` (page, fonts, footer with "Seite X von Y"), ``blocks`` (escaped paragraphs
and shared legal texts), ``formula`` (the calculation of a formula allocation), one module per letter kind.
"""

from ..models import DocumentKind
from . import amendment, approval, refund, rejection

_BUILDERS = {
    DocumentKind.APPROVAL: approval.build,
    DocumentKind.REJECTION: rejection.build,
    DocumentKind.REFUND_NOTICE: refund.build,
}


def render_letter(application, kind: str) -> bytes:
    """The PDF bytes of the letter of ``kind`` (a ``DocumentKind`` value) for ``application``."""
    try:
        builder = _BUILDERS[DocumentKind(kind)]
    except (KeyError, ValueError) as exc:
        # An amendment belongs to an increase, not to the application: see ``render_amendment``.
        raise ValueError(f"unknown letter kind: {kind!r}") from exc
    return builder(application)


def render_amendment(increase) -> bytes:
    """The PDF bytes of the Änderungsbescheid for one ``GrantIncrease``."""
    return amendment.build(increase)


__all__ = ["render_amendment", "render_letter"]
