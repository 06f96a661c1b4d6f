"""Indicator arithmetic on the hand-built cases of ``cases_data`` (raw counts, before protection)."""

from datetime import date

import pytest

from integration_core.indicators import registry
from integration_core.indicators.breakdowns import OTHER, UNKNOWN, age_band, origin_group
from integration_core.indicators.compute import count_pairs, protect
from integration_core.indicators.periods import Period
from integration_core.indicators.registry import Breakdown, Kind, Source
from integration_core.indicators.suppression import TOTAL

from .cases_data import build

pytestmark = pytest.mark.django_db
YEAR = Period.year(2025)
TODAY = date(2026, 2, 1)


@pytest.fixture
def data(db):
    return build()


def _case_indicators():
    return [i for i in registry.INDICATORS if i.source != Source.FUNDING]


def test_every_seeded_indicator_by_municipality(data, django_assert_num_queries):
    t, b = data.t.pk, data.b.pk
    # One query per source and consent rule: cases without consent; cases with consent and, through their
    # Part A, their children; goals.
    with django_assert_num_queries(3):
        pairs = count_pairs(_case_indicators(), YEAR, today=TODAY)
    expected = {
        # open at 31.12.2025: T = 1, 2, 3, 4, 6 (5 ended 2024, 7 starts 2026); B = 8 (ends on the day), 9
        "cases_open": {t: 5, b: 2},
        "cases_new": {t: 4, b: 1},  # first contact in 2025: 2, 3, 4, 6 / 8
        "goals_agreed": {t: 2, b: 1},  # agreed 2025: case 1 language, case 6 health / case 9 housing
        "goals_achieved": {t: 2},  # achieved in 2025: both goals of case 1 (one agreed in 2024)
        "health_goals": {t: 1},
    }
    for code, numerators in expected.items():
        assert {key[0]: n for key, (n, _d) in pairs[code].items() if n} == numerators, code
    shares = {
        "cases_full": {t: (2, 5), b: (1, 2)},  # 1 and 6 / 9
        # Part A shares count simple + full cases open at the day with a Part A: T = 1, 2, 3; B = 8, 9
        "employed": {t: (1, 3), b: (1, 2)},  # 1 full time / 8 minijob
        "work_training": {t: (2, 3), b: (1, 2)},  # 1, 2 (training) / 8 — a measure is not work
        "measure": {t: (0, 3), b: (1, 2)},
        "german_b1": {t: (2, 3), b: (1, 2)},  # 1 (B1), 3 (B2) / 9; unknown (8) is not B1
        "german_certificate": {t: (1, 3), b: (0, 2)},  # two certificates of case 1 count once
        "own_flat": {t: (2, 3), b: (1, 2)},
        "independent_living": {t: (2, 3), b: (1, 2)},  # 1 (3 of 3), 2 (work + flat) / 8 (work + flat)
        "children_care": {t: (2, 3)},  # kita, none, school; the child of ended case 5 is out
    }
    for code, expected_pairs in shares.items():
        assert {key[0]: pair for key, pair in pairs[code].items()} == expected_pairs, code


def test_children_counted_with_their_cases_or_alone_agree(data, django_assert_num_queries):
    """Case 1 has two children: counted from the case, its Part A figures still count it once."""
    together = count_pairs([registry.get("own_flat"), registry.get("children_care")], YEAR, today=TODAY)
    with django_assert_num_queries(1):
        alone = count_pairs([registry.get("children_care")], YEAR, today=TODAY)
    assert together["children_care"] == alone["children_care"] == {(data.t.pk,): (2, 3)}
    assert together["own_flat"] == count_pairs([registry.get("own_flat")], YEAR, today=TODAY)["own_flat"]
    assert together["own_flat"][(data.t.pk,)] == (2, 3)


def test_breakdown_by_gender_age_and_origin(data):
    t = data.t.pk
    indicator = registry.get("cases_open")
    by_gender = count_pairs(
        [indicator], YEAR, (Breakdown.MUNICIPALITY, Breakdown.GENDER), today=TODAY)["cases_open"]
    assert {key[1]: n for key, (n, _d) in by_gender.items() if key[0] == t} == {"w": 2, "m": 1, "d": 1, UNKNOWN: 1}
    by_age = count_pairs(
        [indicator], YEAR, (Breakdown.MUNICIPALITY, Breakdown.AGE_BAND), today=TODAY)["cases_open"]
    # 1: 35, 2: 25, 3: 40, 4: unknown, 6: 15 (reference year 2025)
    assert {key[1]: n for key, (n, _d) in by_age.items() if key[0] == t} == {
        "35_49": 2, "25_34": 1, UNKNOWN: 1, "u18": 1}
    by_origin = count_pairs(
        [indicator], YEAR, (Breakdown.MUNICIPALITY, Breakdown.ORIGIN), today=TODAY)["cases_open"]
    assert {key[1]: n for key, (n, _d) in by_origin.items() if key[0] == t} == {
        "SY": 1, "AF": 1, "UA": 1, UNKNOWN: 1, OTHER: 1}


def test_goals_by_area(data):
    pairs = count_pairs([registry.get("goals_agreed"), registry.get("goals_achieved")], YEAR,
                        (Breakdown.GOAL_AREA,), today=TODAY)
    assert {key[0]: n for key, (n, _d) in pairs["goals_agreed"].items()} == {"language": 1, "health": 1, "housing": 1}
    assert {key[0]: n for key, (n, _d) in pairs["goals_achieved"].items() if n} == {"language": 1, "work": 1}


def test_half_year_moves_the_reference_date(data):
    pairs = count_pairs([registry.get("cases_open")], Period.parse("2025-H1"), today=TODAY)["cases_open"]
    # 30.06.2025: T = 1, 2, 3, 4, 6; B = 8, 9 — same, but case 3 (May) and 4 (June) are in, 7 is not
    assert {key[0]: n for key, (n, _d) in pairs.items()} == {data.t.pk: 5, data.b.pk: 2}
    new = count_pairs([registry.get("cases_new")], Period.parse("2025-H2"), today=TODAY)["cases_new"]
    assert new == {}


def test_python_twins_of_the_bands():
    assert age_band(None, 2025) == UNKNOWN
    assert age_band(2025, 2025) == "u18"
    assert age_band(2007, 2025) == "18_24"
    assert age_band(1960, 2025) == "65plus"
    assert age_band(2030, 2025) == UNKNOWN
    assert origin_group("sy") == "SY"
    assert origin_group("FR") == OTHER
    assert origin_group("") == UNKNOWN


def test_protect_gives_margins_and_hides_small_cells(data):
    t, b = data.t.pk, data.b.pk
    indicator = registry.get("own_flat")
    cells = protect(indicator, count_pairs([indicator], YEAR, today=TODAY)["own_flat"], [[t, b]])
    # T 2 of 3, B 1 of 2, district 3 of 5: every numerator or complement is small (the district's
    # complement is 2). Of the denominators, B's 2 is small, and T's 3 would give it away (5 − 3): only the
    # district's 5 is shown.
    assert [cells[(key,)].share.display for key in (t, b, TOTAL)] == ["·", "·", "·"]
    assert [cells[(key,)].denominator.display for key in (t, b, TOTAL)] == ["·", "·", "5"]


def test_registry_is_consistent():
    codes = [indicator.code for indicator in registry.INDICATORS]
    assert len(codes) == len(set(codes))
    for indicator in registry.INDICATORS:
        assert indicator.kind != Kind.SHARE or indicator.source != Source.FUNDING
        assert indicator.source == Source.FUNDING or indicator.counselling_types
        assert Breakdown.MUNICIPALITY in indicator.breakdowns
    assert {"funds_approved", "funds_paid", "funds_settled", "funds_refunded", "funded_projects"} <= set(codes)


def test_content_figures_need_the_statistics_consent(data):
    from integration_core.models import ConsentPurpose, ConsentPurposeKind

    t = data.t.pk
    ConsentPurpose.objects.filter(consent__case=data.cases[1], purpose=ConsentPurposeKind.STATISTICS).update(
        withdrawn_on=date(2026, 1, 20))
    pairs = count_pairs([registry.get("own_flat"), registry.get("cases_open")], YEAR, today=TODAY)
    assert pairs["own_flat"][(t,)] == (1, 2)  # case 1 left numerator and denominator
    assert pairs["cases_open"][(t,)][0] == 5  # a pure count: the reporting obligation counts every case
    before = count_pairs([registry.get("own_flat")], YEAR, today=date(2026, 1, 19))
    assert before["own_flat"][(t,)] == (2, 3)  # figures made before the withdrawal still had it


def test_consent_filter_is_the_rule_of_the_consent_records(data):
    """compute.consent_q reads the purposes directly; it must pick exactly the cases of the consent module."""
    from integration_core.cases.consent import cases_usable_for_statistics
    from integration_core.indicators.compute import consent_q
    from integration_core.models import Case, Child, ConsentPurpose, ConsentPurposeKind, Goal
    from tests.factories.cases import give_consent

    ConsentPurpose.objects.filter(consent__case=data.cases[1], purpose=ConsentPurposeKind.STATISTICS).update(
        withdrawn_on=date(2026, 1, 20))
    give_consent(data.cases[4], given_on=date(2026, 3, 1))  # the one-off enquiry consents later
    give_consent(data.cases[9], ConsentPurposeKind.COUNSELLING)  # a second consent, without statistics
    for day in (date(2026, 1, 19), date(2026, 1, 20), date(2026, 2, 28), date(2026, 3, 1)):
        expected = set(cases_usable_for_statistics(day).values_list("pk", flat=True))
        assert set(Case.objects.filter(consent_q(Source.CASES, day)).values_list("pk", flat=True)) == expected
        goals = Goal.objects.filter(consent_q(Source.GOALS, day)).values_list("case_id", flat=True)
        assert set(goals) == expected & set(Goal.objects.values_list("case_id", flat=True))
        children = Child.objects.filter(consent_q(Source.CHILDREN, day)).values_list("competences__case_id", flat=True)
        assert set(children) == expected & set(Child.objects.values_list("competences__case_id", flat=True))
    assert data.cases[1].pk not in set(Case.objects.filter(consent_q(Source.CASES, date(2026, 1, 20))).values_list(
        "pk", flat=True))
