"""Building import files in memory: CSV text and real XLSX workbooks (openpyxl)."""

import io
from datetime import date

from openpyxl import Workbook

from integration_core.models import Municipality
from tests.factories import MunicipalityFactory

OLD_DATE = date(2025, 12, 31)


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Zweites Blatt")["A1"] = "wird nicht gelesen"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def three_towns() -> list[Municipality]:
    """Three municipalities of the test district (08299): 12.000, 8.000 and 3.000 inhabitants."""
    return [
        MunicipalityFactory(ags="08299001", name="Neustadt", population=12000, population_reference_date=OLD_DATE),
        MunicipalityFactory(ags="08299002", name="Altdorf", population=8000, population_reference_date=OLD_DATE),
        MunicipalityFactory(ags="08299003", name="Bergheim", population=3000, population_reference_date=OLD_DATE),
    ]


def stored() -> dict[str, tuple[int, date]]:
    return {m.ags: (m.population, m.population_reference_date) for m in Municipality.objects.all()}
