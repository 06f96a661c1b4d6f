"""Decision letters as PDF (replaced by grants/letters/ package)."""

import io

from reportlab.pdfgen import canvas


def render_letter(application, kind) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 760, f"{application.file_number} {kind}")
    pdf.save()
    return buffer.getvalue()
