"""A case nobody closed counts as running only until its permitted end (3 years, or the extension).

Hand-built, one town, reference dates in 2025:

| case          | first contact | ended      | extended until | anonymised | permitted end |
|---------------|---------------|------------|----------------|------------|---------------|
| run_out       | 2022-05-01    |            |                |            | 2025-04-30    |
| extended      | 2022-05-01    |            | 2026-04-30     |            | 2026-04-30    |
| closed        | 2022-05-01    | 2025-06-30 |                |            | (ended)       |
| anonymised    | 2020-01-01    |            |                | 2025-03-01 | 2022-12-31    |
| fresh         | 2025-01-01    |            |                |            | 2027-12-31    |
| ran_out_2024  | 2021-03-01    |            |                |            | 2024-02-29    |
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from integration_core.cases.duration import past_end_q
from integration_core.indicators import registry
from integration_core.indicators.compute import count_pairs
from integration_core.indicators.extract import extract_rows, pseudonym
from integration_core.indicators.periods import Period
from integration_core.indicators.running import active_q, run_out_q, running_q
from integration_core.indicators.yearly_table import build_table
from integration_core.models import Case, GermanLevel, Housing, LabourStatus
from tests.factories import MunicipalityFactory
from tests.factories.cases import ProviderFactory, case_worker, give_consent

from .cases_data import SIMPLE, make_case

pytestmark = pytest.mark.django_db
TODAY = date(2026, 2, 1)
PART_A = (GermanLevel.B1, LabourStatus.MINIJOB, Housing.OWN_FLAT)


@pytest.fixture
def cases(db):
    town = MunicipalityFactory(name="Talhausen")
    worker = case_worker(ProviderFactory(name="Diakonie"))
    made = {
        "run_out": make_case(worker, town, SIMPLE, date(2022, 5, 1), part_a=PART_A),
        "extended": make_case(worker, town, SIMPLE, date(2022, 5, 1), part_a=PART_A,
                              extended_until=date(2026, 4, 30), extension_reason="Ausbildung endet 2026."),
        "closed": make_case(worker, town, SIMPLE, date(2022, 5, 1), ended=date(2025, 6, 30), part_a=PART_A),
        "anonymised": make_case(worker, town, SIMPLE, date(2020, 1, 1), part_a=PART_A),
        "fresh": make_case(worker, town, SIMPLE, date(2025, 1, 1), part_a=PART_A),
        "ran_out_2024": make_case(worker, town, SIMPLE, date(2021, 3, 1), part_a=PART_A),
    }
    Case.objects.filter(pk=made["anonymised"].pk).update(
        anonymised_at=datetime(2025, 3, 1, 3, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    for case in made.values():
        give_consent(case)
    return made


def _running(on: date) -> set[str]:
    return set(Case.objects.filter(running_q(on)).values_list("pk", flat=True))


def _names(cases, pks) -> set[str]:
    return {name for name, case in cases.items() if case.pk in pks}


def test_running_on_a_day(cases):
    assert _names(cases, _running(date(2025, 4, 30))) == {"run_out", "extended", "closed", "fresh"}
    assert _names(cases, _running(date(2025, 5, 1))) == {"extended", "closed", "fresh"}  # 3 years are over
    assert _names(cases, _running(date(2025, 7, 1))) == {"extended", "fresh"}
    # Anonymised long after its end: before that end it ran like any other case.
    assert _names(cases, _running(date(2022, 12, 31))) == {"anonymised", "run_out", "extended", "closed",
                                                           "ran_out_2024"}
    assert "anonymised" not in _names(cases, _running(date(2023, 1, 1)))


def test_stock_indicators_leave_run_out_cases_out(cases):
    year = count_pairs([registry.get("cases_open"), registry.get("own_flat")], Period.year(2025), today=TODAY)
    # 31.12.2025: extended and fresh; run_out ended on 30.04.2025 by the rule, nobody having closed it
    assert {key: n for key, (n, _d) in year["cases_open"].items()} == {(cases["fresh"].municipality_id,): 2}
    assert list(year["own_flat"].values()) == [(2, 2)]
    half = count_pairs([registry.get("cases_open")], Period.parse("2025-H1"), today=TODAY)["cases_open"]
    assert list(half.values()) == [(3, 3)]  # 30.06.2025: extended, closed (ends that day), fresh


def test_the_rule_is_the_duration_rule_on_every_day(cases):
    """For open cases, run_out_q is past_end_q itself (the days around each permitted end above)."""
    open_cases = Case.objects.filter(ended_on__isnull=True, anonymised_at__isnull=True)
    ends = (date(2024, 2, 29), date(2025, 4, 30), date(2026, 4, 30), date(2027, 12, 31))
    for day in sorted({end + timedelta(days=offset) for end in ends for offset in range(-2, 3)}):
        assert set(open_cases.filter(run_out_q(day)).values_list("pk", flat=True)) == set(
            open_cases.filter(past_end_q(today=day)).values_list("pk", flat=True)), day


def test_yearly_table_and_extract_count_a_case_in_the_years_it_ran(cases):
    active_2025 = set(Case.objects.filter(active_q(date(2025, 1, 1), date(2025, 12, 31))).values_list("pk", flat=True))
    assert _names(cases, active_2025) == {"run_out", "extended", "closed", "fresh"}
    table = build_table(2025, today=TODAY)
    simple = next(row for row in table.rows if row.group.startswith("Fälle im Berichtsjahr")
                  and row.label == "Einfache Beratung")
    assert simple.cells[-1].value == 4
    with_a = next(row for row in table.rows if row.label == "Fälle mit Teil A")
    assert with_a.cells[-1].value == 2  # open at 31.12.: extended, fresh
    extract = {row["pseudonym"] for row in extract_rows(year=2025, today=TODAY)}
    assert extract == {pseudonym(cases[name].pk) for name in ("run_out", "extended", "closed", "fresh")}
    assert pseudonym(cases["ran_out_2024"].pk) in {row["pseudonym"] for row in extract_rows(year=2024, today=TODAY)}
