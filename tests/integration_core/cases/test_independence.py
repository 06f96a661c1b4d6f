""""Eigenständiges Leben": 2 of 3, derived; the Python function and the database expression agree."""

import itertools

import pytest
from django.db.models import Count

from integration_core.cases.independence import (
    independent_living,
    independent_living_for_case,
    independent_living_q,
    with_independent_living,
)
from integration_core.models import Case, Competences, GermanLevel, Housing, LabourStatus
from tests.factories.cases import CaseFactory, CompetencesFactory

pytestmark = pytest.mark.django_db

LEVELS = [None, GermanLevel.BELOW_A1, GermanLevel.A2, GermanLevel.B1, GermanLevel.C2]
LABOUR = ["", LabourStatus.UNEMPLOYED, LabourStatus.MEASURE, LabourStatus.MINIJOB,
          LabourStatus.VOCATIONAL_TRAINING, LabourStatus.STUDIES, LabourStatus.EMPLOYED_FULL_TIME]
HOUSING = ["", Housing.SHARED, Housing.FOLLOW_UP, Housing.OWN_FLAT]


@pytest.mark.parametrize(("german", "work", "flat", "expected"), [
    (GermanLevel.B1, LabourStatus.EMPLOYED_PART_TIME, Housing.SHARED, True),
    (GermanLevel.B1, LabourStatus.UNEMPLOYED, Housing.OWN_FLAT, True),
    (GermanLevel.A2, LabourStatus.STUDIES, Housing.OWN_FLAT, True),
    (GermanLevel.C1, LabourStatus.SELF_EMPLOYED, Housing.OWN_FLAT, True),
    (GermanLevel.A2, LabourStatus.EMPLOYED_FULL_TIME, Housing.FOLLOW_UP, False),
    (GermanLevel.B2, LabourStatus.MEASURE, Housing.SHARED, False),
    (None, "", Housing.OWN_FLAT, False),
    (None, "", "", False),
])
def test_two_of_three(german, work, flat, expected):
    assert independent_living(Competences(german_level=german, labour_status=work, housing=flat)) is expected


def test_no_part_a_is_not_independent(worker):
    case = CaseFactory(case_worker=worker)
    assert independent_living(None) is False
    assert independent_living_for_case(case) is False
    assert with_independent_living(Case.objects.filter(pk=case.pk)).get().independent_living is False


def test_function_and_database_agree_on_every_combination(worker):
    combos = list(itertools.product(LEVELS, LABOUR, HOUSING))
    municipality = CaseFactory(case_worker=worker).municipality
    cases = Case.objects.bulk_create(
        [CaseFactory.build(case_worker=worker, municipality=municipality) for _ in combos])
    Competences.objects.bulk_create([
        Competences(case=case, german_level=german, labour_status=work, housing=flat)
        for case, (german, work, flat) in zip(cases, combos, strict=True)
    ])
    annotated = {c.pk: (c.independent_living, c.independent_living_score)
                 for c in with_independent_living(Case.objects.filter(competences__isnull=False))}
    expected_count = 0
    for case in Case.objects.filter(competences__isnull=False).select_related("competences"):
        python = independent_living(case.competences)
        expected_count += python
        assert annotated[case.pk][0] is python, (case.competences.german_level, case.competences.labour_status,
                                                 case.competences.housing)
        assert (annotated[case.pk][1] >= 2) is python
    # The Q works inside an aggregate (what the indicators need) and on Competences with prefix "".
    total = Case.objects.aggregate(n=Count("pk", filter=independent_living_q()))["n"]
    assert total == expected_count
    assert Competences.objects.filter(independent_living_q("")).count() == expected_count
    assert Case.objects.filter(independent_living_q()).count() == expected_count
    assert expected_count > 0


def test_b1_or_better_is_a_database_filter(worker):
    for level in (GermanLevel.A2, GermanLevel.B1, GermanLevel.C1):
        CompetencesFactory(case=CaseFactory(case_worker=worker), german_level=level)
    assert Competences.objects.filter(german_level__gte=GermanLevel.B1).count() == 2
