"""Two staff fixing or issuing the same run at the same moment, for real (PostgreSQL; skipped on SQLite)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants.models import ApplicationEvent
from grants.services.allocations import allocation_fix, allocation_issue_decisions, allocation_plan
from programmes.models import AllocationRun, ProgrammeBudget
from tests.grants.test_concurrency import run_together

from .builder import Staff, applicant, formula_programme

pytestmark = [pytest.mark.usefixtures("require_postgres"), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch):
    monkeypatch.setattr("grants.letters.render_letter", lambda application, kind: b"%PDF-1.4 stand-in")


def _setup():
    staff = Staff()
    programme = formula_programme(pot="90000.00")
    for name, population in [("A", 10000), ("B", 20000), ("C", 30000)]:
        applicant(programme, staff, name=name, population=population)
    year = ProgrammeBudget.objects.get().year
    return staff, programme, year


def test_the_first_run_of_a_year_is_fixed_once():
    staff, programme, year = _setup()
    preview = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=year).preview

    def fix(user):
        return lambda: allocation_fix(user=user, programme_id=programme.pk, year=year,
                                      expected_hash=preview.input_hash)

    outcomes = run_together(fix(staff.clerk), fix(staff.head))
    runs = [o for o in outcomes if isinstance(o, AllocationRun)]
    assert len(runs) == 1, outcomes
    assert all(isinstance(o, ValidationError) for o in outcomes if o not in runs)
    assert AllocationRun.objects.count() == 1


def test_issuing_twice_at_once_commits_the_budget_once():
    staff, programme, year = _setup()
    preview = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=year).preview
    run = allocation_fix(user=staff.clerk, programme_id=programme.pk, year=year, expected_hash=preview.input_hash)
    head2 = Staff().head
    outcomes = run_together(lambda: allocation_issue_decisions(user=staff.head, run_id=run.pk),
                            lambda: allocation_issue_decisions(user=head2, run_id=run.pk))
    assert sorted(o.approved for o in outcomes) == [0, 3], outcomes
    assert ProgrammeBudget.objects.get().committed.amount == Decimal("90000.00")
    assert ApplicationEvent.objects.filter(action="approve").count() == 3
