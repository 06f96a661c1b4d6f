"""Hand-built case plans for the indicator tests: two towns, nine cases, every value chosen on purpose.

Reference date 31.12.2025 (period 2025). The expected figures are written out in the tests.

| # | town | type    | first contact | ended      | German | labour             | housing   | sex | born | origin |
|---|------|---------|---------------|------------|--------|--------------------|-----------|-----|------|--------|
| 1 | T    | full    | 2024-03-01    |            | B1     | employed full time | own flat  | w   | 1990 | SY     |
| 2 | T    | simple  | 2025-02-01    |            | A2     | vocational training| own flat  | m   | 2000 | AF     |
| 3 | T    | simple  | 2025-05-01    |            | B2     | unemployed         | shared    | w   | 1985 | UA     |
| 4 | T    | one-off | 2025-06-01    |            | –      | –                  | –         | d   | –    | –      |
| 5 | T    | simple  | 2023-01-01    | 2024-12-31 | C1     | employed part time | own flat  | w   | 1990 | SY     |
| 6 | T    | full    | 2025-03-01    |            | (no Part A)                            | –   | 2010 | DE     |
| 7 | T    | simple  | 2026-01-10    |            | B1     | minijob            | own flat  | m   | 1995 | IQ     |
| 8 | B    | simple  | 2025-01-15    | 2025-12-31 | –      | minijob            | own flat  | m   | 1970 | ER     |
| 9 | B    | full    | 2022-05-01    |            | B1     | measure            | follow-up | w   | 1960 | SY     |

Case 9 ran three years until 30.04.2025 and was extended until 30.04.2026 (the duration rule), so it
is still running at 31.12.2025.
"""

from datetime import date
from types import SimpleNamespace

from integration_core.models import (
    Achievement,
    Child,
    ChildCare,
    CounsellingType,
    EndReason,
    GermanCourse,
    GermanCourseKind,
    GermanLevel,
    GoalArea,
    Housing,
    LabourStatus,
)
from tests.factories import MunicipalityFactory
from tests.factories.cases import (
    CaseFactory,
    CompetencesFactory,
    GoalFactory,
    ProviderFactory,
    case_worker,
    give_consent,
)

FULL, SIMPLE, ONE_OFF = CounsellingType.FULL, CounsellingType.SIMPLE, CounsellingType.ONE_OFF


def make_case(worker, town, kind, first_contact, *, ended=None, part_a=None, gender="", born=None, origin="",
              **extra):
    case = CaseFactory(
        case_worker=worker, provider=worker.provider_memberships.first().provider, municipality=town,
        counselling_type=kind, first_contact_on=first_contact, agreement_signed_on=first_contact, ended_on=ended,
        end_reason=EndReason.NO_FURTHER_NEED if ended else "", gender=gender, birth_year=born, birth_date=None,
        country_of_origin=origin, **extra,
    )
    if part_a is not None:
        german, labour, housing = part_a
        CompetencesFactory(case=case, german_level=german, labour_status=labour, housing=housing)
    return case


def build(*, talhausen=None, bergheim=None, consent=True):
    """The table above; with ``consent`` every case but the one-off enquiry (4) consents to statistics."""
    town_t = talhausen or MunicipalityFactory(name="Talhausen")
    town_b = bergheim or MunicipalityFactory(name="Bergheim")
    worker = case_worker(ProviderFactory(name="Diakonie Talhausen"))
    c = {}
    c[1] = make_case(worker, town_t, FULL, date(2024, 3, 1), gender="w", born=1990, origin="SY",
                     part_a=(GermanLevel.B1, LabourStatus.EMPLOYED_FULL_TIME, Housing.OWN_FLAT))
    c[2] = make_case(worker, town_t, SIMPLE, date(2025, 2, 1), gender="m", born=2000, origin="AF",
                     part_a=(GermanLevel.A2, LabourStatus.VOCATIONAL_TRAINING, Housing.OWN_FLAT))
    c[3] = make_case(worker, town_t, SIMPLE, date(2025, 5, 1), gender="w", born=1985, origin="UA",
                     part_a=(GermanLevel.B2, LabourStatus.UNEMPLOYED, Housing.SHARED))
    c[4] = make_case(worker, town_t, ONE_OFF, date(2025, 6, 1), gender="d")
    c[5] = make_case(worker, town_t, SIMPLE, date(2023, 1, 1), ended=date(2024, 12, 31), gender="w", born=1990,
                     origin="SY", part_a=(GermanLevel.C1, LabourStatus.EMPLOYED_PART_TIME, Housing.OWN_FLAT))
    c[6] = make_case(worker, town_t, FULL, date(2025, 3, 1), born=2010, origin="DE")
    c[7] = make_case(worker, town_t, SIMPLE, date(2026, 1, 10), gender="m", born=1995, origin="IQ",
                     part_a=(GermanLevel.B1, LabourStatus.MINIJOB, Housing.OWN_FLAT))
    c[8] = make_case(worker, town_b, SIMPLE, date(2025, 1, 15), ended=date(2025, 12, 31), gender="m", born=1970,
                     origin="ER", part_a=(None, LabourStatus.MINIJOB, Housing.OWN_FLAT))
    c[9] = make_case(worker, town_b, FULL, date(2022, 5, 1), gender="w", born=1960, origin="SY",
                     part_a=(GermanLevel.B1, LabourStatus.MEASURE, Housing.FOLLOW_UP),
                     extended_until=date(2026, 4, 30), extension_reason="Ausbildung endet im Frühjahr 2026.")
    # German courses: case 1 has two certificates (counted once), case 3 a course without one.
    for certificate in (True, True):
        GermanCourse.objects.create(competences=c[1].competences, kind=GermanCourseKind.BAMF_INTEGRATION,
                                    certificate=certificate)
    GermanCourse.objects.create(competences=c[3].competences, kind=GermanCourseKind.STATE, certificate=False)
    # Children: two of three in town T in care; the child of the ended case 5 does not count.
    for case, care in ((c[1], ChildCare.KITA), (c[1], ChildCare.NONE), (c[2], ChildCare.SCHOOL),
                       (c[5], ChildCare.SCHOOL)):
        Child.objects.create(competences=case.competences, care=care, birth_year=2018)
    # Goals (Part B).
    GoalFactory(case=c[1], area=GoalArea.LANGUAGE, agreed_on=date(2025, 2, 1), achieved=Achievement.YES,
                achieved_changed_on=date(2025, 6, 1))
    GoalFactory(case=c[1], area=GoalArea.WORK, agreed_on=date(2024, 6, 1), achieved=Achievement.YES,
                achieved_changed_on=date(2025, 3, 1))
    GoalFactory(case=c[6], area=GoalArea.HEALTH, agreed_on=date(2025, 4, 1))
    GoalFactory(case=c[9], area=GoalArea.HOUSING, agreed_on=date(2025, 7, 1), achieved=Achievement.NO,
                achieved_changed_on=date(2025, 9, 1))
    if consent:
        for number, case in c.items():
            if number != 4:
                give_consent(case)
    return SimpleNamespace(t=town_t, b=town_b, cases=c, worker=worker)
