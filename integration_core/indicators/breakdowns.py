"""Breakdowns of case figures as database expressions, and their categories in display order.

Age bands and country-of-origin groups are coarse on purpose: fine categories make small cells, and
small cells are hidden anyway. The origin groups are the eight main countries of asylum seekers the
Federal Employment Agency reports on, plus Ukraine and Türkiye; everything else is "other".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case as Switch
from django.db.models import CharField, F, Value, When
from django.db.models.expressions import Expression
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import Gender, GoalArea
from .registry import Breakdown

UNKNOWN = "unknown"
OTHER = "other"

# (key, lowest age, highest age or None); the age is the reference year minus the birth year.
AGE_BANDS = (
    ("u18", 0, 17, _("unter 18")),
    ("18_24", 18, 24, _("18 bis 24")),
    ("25_34", 25, 34, _("25 bis 34")),
    ("35_49", 35, 49, _("35 bis 49")),
    ("50_64", 50, 64, _("50 bis 64")),
    ("65plus", 65, None, _("65 und älter")),
)

ORIGIN_GROUPS = (
    ("SY", _("Syrien")),
    ("AF", _("Afghanistan")),
    ("IQ", _("Irak")),
    ("IR", _("Iran")),
    ("ER", _("Eritrea")),
    ("NG", _("Nigeria")),
    ("PK", _("Pakistan")),
    ("SO", _("Somalia")),
    ("UA", _("Ukraine")),
    ("TR", _("Türkei")),
)


@dataclass(frozen=True)
class Category:
    key: str | int
    label: Promise | str


def age_band(birth_year: int | None, reference_year: int) -> str:
    """The band key for one person (Python twin of the database expression, used by the extract)."""
    if birth_year is None:
        return UNKNOWN
    age = reference_year - birth_year
    for key, low, high, _label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return key
    return UNKNOWN  # born after the reference year: a typo, not a person of negative age


def origin_group(country: str) -> str:
    country = (country or "").upper()
    if not country:
        return UNKNOWN
    return country if country in dict(ORIGIN_GROUPS) else OTHER


def expression(breakdown: Breakdown, *, case_path: str, reference_year: int) -> Expression:
    """The grouping expression on a queryset whose case is reached by ``case_path`` ("" on Case)."""
    if breakdown == Breakdown.MUNICIPALITY:
        return F(f"{case_path}municipality_id")
    if breakdown == Breakdown.GENDER:
        return Switch(When(**{f"{case_path}gender": ""}, then=Value(UNKNOWN)), default=F(f"{case_path}gender"),
                      output_field=CharField())
    if breakdown == Breakdown.AGE_BAND:
        field = f"{case_path}birth_year"
        whens = [When(**{f"{field}__isnull": True}, then=Value(UNKNOWN)),
                 When(**{f"{field}__gt": reference_year}, then=Value(UNKNOWN))]
        for key, low, high, _label in AGE_BANDS:
            bounds = {f"{field}__lte": reference_year - low}
            if high is not None:
                bounds[f"{field}__gte"] = reference_year - high
            whens.append(When(**bounds, then=Value(key)))
        return Switch(*whens, default=Value(UNKNOWN), output_field=CharField())
    if breakdown == Breakdown.ORIGIN:
        field = f"{case_path}country_of_origin"
        whens = [When(**{f"{field}__iexact": code}, then=Value(code)) for code, _label in ORIGIN_GROUPS]
        return Switch(When(**{field: ""}, then=Value(UNKNOWN)), *whens, default=Value(OTHER),
                      output_field=CharField())
    if breakdown == Breakdown.GOAL_AREA:
        return F("area")
    raise ValueError(f"no database expression for {breakdown}")


def categories(breakdown: Breakdown, *, municipalities=()) -> list[Category]:
    """All categories of a breakdown in display order (empty ones too: a zero is a figure)."""
    if breakdown == Breakdown.MUNICIPALITY:
        return [Category(m.pk, m.name) for m in municipalities]
    if breakdown == Breakdown.GENDER:
        return [*(Category(value, label) for value, label in Gender.choices), Category(UNKNOWN, _("ohne Angabe"))]
    if breakdown == Breakdown.AGE_BAND:
        return [*(Category(key, label) for key, _l, _h, label in AGE_BANDS), Category(UNKNOWN, _("ohne Angabe"))]
    if breakdown == Breakdown.ORIGIN:
        return [*(Category(code, label) for code, label in ORIGIN_GROUPS), Category(OTHER, _("andere Länder")),
                Category(UNKNOWN, _("ohne Angabe"))]
    if breakdown == Breakdown.GOAL_AREA:
        return [Category(value, label) for value, label in GoalArea.choices]
    raise ValueError(f"no categories for {breakdown}")
