"""The sealed-off statistics extract: one pseudonymised, coarsened row per case, for the statistics office.

- Which cases: active in the year (first contact by 31.12., not ended before 1.1.) and with a statistics
  consent valid on the day the extract is made (``cases_usable_for_statistics``): row-level data, even
  pseudonymised, is personal data and needs that consent; a withdrawal excludes the case from then on.
- Pseudonym: HMAC-SHA256 of the case id under ``settings.STATISTICS_PSEUDONYM_KEY`` — stable across
  extracts (the office can follow a case over the years), not computable without the key, which case
  workers do not hold.
- Coarsened: age band instead of birth date/year, origin group instead of country, quarters instead of
  dates, the municipality's AGS; no names, no contact data, no free text, no special-category fields.
- Tables derived from the extract go through ``crosstab``, which applies the small-count protection.

One query, however many cases. Every download (``extract_download``: the admin view and the command) writes
one case read log row per case in it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from ..cases.access import log_cases_shown
from ..cases.consent import cases_usable_for_statistics
from ..cases.independence import THRESHOLD as INDEPENDENCE_THRESHOLD
from ..cases.independence import independent_living_score
from ..models import Achievement, GermanLevel, ReadPurpose, ReportingStatus
from .breakdowns import age_band, origin_group
from .running import active_q
from .suppression import ProtectedTable, protect_table
from .table_files import csv_bytes

COLUMNS = [
    "pseudonym", "berichtsjahr", "ags", "traegerart", "beratungsart", "zugang", "erstkontakt_quartal",
    "ende_quartal", "endegrund", "geschlecht", "altersgruppe", "herkunftsgruppe", "deutschniveau",
    "arbeitsmarkt", "wohnsituation", "eigenstaendiges_leben", "ziele", "ziele_erreicht", "stand_stichtag",
]


def pseudonym(case_id: int, *, key: str | None = None) -> str:
    key = key if key is not None else settings.STATISTICS_PSEUDONYM_KEY
    if not key:
        raise ImproperlyConfigured("STATISTICS_PSEUDONYM_KEY is empty")
    return hmac.new(key.encode(), f"case:{case_id}".encode(), hashlib.sha256).hexdigest()[:32]


def quarter(day: date | None) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}" if day else ""


def _german(level: int | None) -> str:
    return GermanLevel(level).label if level is not None else ""


def _independent(case: dict) -> str:
    """ja / nein from the database score (2 of 3); empty without Part A (nothing known)."""
    if case["competences__id"] is None:
        return ""
    return "ja" if case["score"] >= INDEPENDENCE_THRESHOLD else "nein"


def extract_rows(*, year: int, today: date) -> list[dict]:
    return [row for _case_id, row in _extract_rows_with_ids(year=year, today=today)]


def _extract_rows_with_ids(*, year: int, today: date) -> list[tuple[int, dict]]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    latest = (ReportingStatus.objects.filter(case=OuterRef("pk"), reporting_date__range=(start, end))
              .order_by("-reporting_date").values("status")[:1])
    cases = (
        cases_usable_for_statistics(today)
        .filter(active_q(start, end))
        .annotate(
            goals_count=Count("goals", distinct=True),
            goals_achieved=Count("goals", filter=Q(goals__achieved=Achievement.YES), distinct=True),
            status=Subquery(latest), score=independent_living_score(),
        )
        .values("pk", "municipality__ags", "provider__kind", "counselling_type", "referral", "first_contact_on",
                "ended_on", "end_reason", "gender", "birth_year", "country_of_origin", "competences__german_level",
                "competences__labour_status", "competences__housing", "competences__id", "goals_count",
                "goals_achieved", "status", "score")
        .order_by("pk")
    )
    rows = []
    for case in cases:
        rows.append((case["pk"], {
            "pseudonym": pseudonym(case["pk"]), "berichtsjahr": year, "ags": case["municipality__ags"],
            "traegerart": case["provider__kind"], "beratungsart": case["counselling_type"],
            "zugang": case["referral"], "erstkontakt_quartal": quarter(case["first_contact_on"]),
            "ende_quartal": quarter(case["ended_on"]), "endegrund": case["end_reason"],
            "geschlecht": case["gender"], "altersgruppe": age_band(case["birth_year"], year),
            "herkunftsgruppe": origin_group(case["country_of_origin"]),
            "deutschniveau": _german(case["competences__german_level"]),
            "arbeitsmarkt": case["competences__labour_status"] or "",
            "wohnsituation": case["competences__housing"] or "",
            "eigenstaendiges_leben": _independent(case),
            "ziele": case["goals_count"], "ziele_erreicht": case["goals_achieved"],
            "stand_stichtag": case["status"] or "",
        }))
    # Shuffle-proof order: by pseudonym, so the row order does not reveal the order of case ids.
    return sorted(rows, key=lambda pair: pair[1]["pseudonym"])


def extract_csv(*, year: int, today: date) -> bytes:
    rows = extract_rows(year=year, today=today)
    return csv_bytes([COLUMNS, *([row[column] for column in COLUMNS] for row in rows)])


@transaction.atomic
def extract_download(*, user, year: int, today: date) -> bytes:
    """The extract as CSV for ``user``, each case in it logged in the case read log (every download).

    Row-level data, even pseudonymised, is personal data: the data-protection officer sees who took
    which cases out, by the download view and by the command alike. The caller checks the permission.
    """
    pairs = _extract_rows_with_ids(year=year, today=today)
    log_cases_shown(user=user, case_ids=[case_id for case_id, _row in pairs], purpose=ReadPurpose.STATISTICS_EXTRACT)
    return csv_bytes([COLUMNS, *([row[column] for column in COLUMNS] for _case_id, row in pairs)])


def crosstab(rows: Iterable[dict], *, row_field: str, column_field: str,
             threshold: int | None = None) -> ProtectedTable:
    """A protected count table derived from extract rows (e.g. ``ags`` × ``geschlecht``)."""
    rows = list(rows)
    counts = Counter((row[row_field], row[column_field]) for row in rows)
    row_keys = sorted({key for key, _column in counts}, key=str)
    column_keys = sorted({column for _key, column in counts}, key=str)
    if not rows:
        raise ValueError(_("Der Auszug enthält keine Fälle."))
    return protect_table(counts, rows=row_keys, columns=column_keys, threshold=threshold)
