"""Reporting periods of the monitoring: a calendar year or a half-year (the twice-yearly dashboards).

A period is written as ``2025`` (year), ``2025-H1`` or ``2025-H2`` (half-years) in URLs, files and
command lines. Its reference date (Stichtag) for stock figures is the last day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

_KEY = re.compile(r"^(?P<year>\d{4})(?:-H(?P<half>[12]))?$")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        if half not in (1, 2):
            raise ValueError("half must be 1 or 2")
        return cls(date(year, 1, 1), date(year, 6, 30)) if half == 1 else cls(date(year, 7, 1), date(year, 12, 31))

    @classmethod
    def parse(cls, key: str) -> Period:
        """``2025`` / ``2025-H1`` / ``2025-H2``; ValueError otherwise."""
        match = _KEY.match((key or "").strip())
        if not match:
            raise ValueError(f"not a period: {key!r}")
        year = int(match["year"])
        if not 2000 <= year <= 2100:
            raise ValueError(f"year out of range: {year}")
        return cls.half_year(year, int(match["half"])) if match["half"] else cls.year(year)

    @property
    def key(self) -> str:
        if (self.start.month, self.end.month) == (1, 12):
            return f"{self.start.year}"
        return f"{self.start.year}-H{1 if self.start.month == 1 else 2}"

    @property
    def label(self) -> str:
        if (self.start.month, self.end.month) == (1, 12):
            return str(self.start.year)
        if self.start.month == 1:
            return _("1. Halbjahr %(year)s") % {"year": self.start.year}
        return _("2. Halbjahr %(year)s") % {"year": self.start.year}

    @property
    def reference_date(self) -> date:
        """Stichtag for stock indicators."""
        return self.end

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    def datetime_range(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes in the portal's time zone, for DateTimeField lookups."""
        zone = timezone.get_current_timezone()
        return (datetime.combine(self.start, time.min, tzinfo=zone),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone))


def recent_periods(today: date, *, years: int = 4) -> list[Period]:
    """Choices for the dashboard: the half-years and years up to ``today``'s, newest first."""
    result = []
    for year in range(today.year, today.year - years, -1):
        halves = [2, 1] if year < today.year or today.month > 6 else [1]
        result += [Period.half_year(year, half) for half in halves]
        result.append(Period.year(year))
    return result
