"""The first run of a programme year: who takes part, the pot shared exactly, fixed once, decisions issued."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grants.models import Application, ApplicationEvent
from grants.services.allocations import allocation_fix, allocation_issue_decisions, allocation_plan
from grants.services.review import application_approve, application_recommend
from grants.states import State
from programmes.choices import RemainderUse
from programmes.models import AllocationRun, ProgrammeBudget
from programmes.runs import run_verify

from .builder import Staff, applicant, eur, formula_programme, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return Staff()


def _three(programme, staff):
    return [
        applicant(programme, staff, name="Adorf", population=10000),
        applicant(programme, staff, name="Bestadt", population=20000, ftes=("0.30", "0.40")),  # no 0.5 post
        applicant(programme, staff, name="Cedorf", population=30000, ftes=("1.00",)),
    ]


def _fixed(programme, staff, user=None, year=None):
    year = year or ProgrammeBudget.objects.get(programme=programme).year
    plan = allocation_plan(user=user or staff.clerk, programme_id=programme.pk, year=year)
    return allocation_fix(user=user or staff.clerk, programme_id=programme.pk, year=year,
                          expected_hash=plan.preview.input_hash)


def test_reshare_the_pot_among_the_eligible_exactly(staff):
    programme = formula_programme(pot="100000.00")
    a, b, c = _three(programme, staff)
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=ProgrammeBudget.objects.get().year)
    out = plan.preview.outputs
    # Bestadt's largest post is 0.40 FTE: ineligible; 100,000 € by 10,000 : 30,000.
    assert out[a.file_number]["amount"] == "25000.00"
    assert out[c.file_number]["amount"] == "75000.00"
    assert out[b.file_number] == {**out[b.file_number], "amount": "0.00", "eligible": False,
                                  "reason": "below_min_fte"}
    assert plan.preview.remainder == Decimal("0.00")
    assert not plan.is_follow_up
    assert AllocationRun.objects.count() == 0  # a preview stores nothing


def test_keep_leaves_the_ineligible_share_with_the_district(staff):
    programme = formula_programme(pot="282709.99", remainder_use=RemainderUse.KEEP)
    a, b, c = _three(programme, staff)
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=ProgrammeBudget.objects.get().year)
    amounts = {key: Decimal(o["amount"]) for key, o in plan.preview.outputs.items()}
    # Shared among all three by population (1:2:3), Bestadt's third (exact 94,236.66…) is kept back.
    assert amounts[a.file_number] + amounts[c.file_number] + plan.preview.remainder == Decimal("282709.99")
    assert amounts[b.file_number] == 0
    assert plan.preview.remainder == Decimal("94236.66")


def test_a_verbund_counts_with_the_sum_of_its_members(staff):
    programme = formula_programme()
    members = [municipality("Nordhausen", 5000), municipality("Südheim", 7000)]
    verbund = applicant(programme, staff, name="GVV Nord-Süd", members=members)
    single = applicant(programme, staff, name="Adorf", population=12000)
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=ProgrammeBudget.objects.get().year)
    rows = {row["key"]: row for row in plan.preview.inputs}
    assert rows[verbund.file_number]["population"] == 12000
    assert [m["name"] for m in rows[verbund.file_number]["municipalities"]] == ["Nordhausen", "Südheim"]
    assert plan.preview.outputs[verbund.file_number]["amount"] == plan.preview.outputs[single.file_number]["amount"]


def test_only_checked_applications_take_part(staff):
    programme = formula_programme()
    checked = applicant(programme, staff, name="Adorf", population=10000)
    waiting = applicant(programme, staff, name="Bestadt", population=10000, check=False)
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=ProgrammeBudget.objects.get().year)
    assert list(plan.preview.outputs) == [checked.file_number]
    assert [a.pk for a in plan.unchecked] == [waiting.pk]


def test_population_of_another_reference_date_is_refused_with_the_municipality_named(staff):
    programme = formula_programme()
    app = applicant(programme, staff, name="Adorf", population=10000)
    seat = app.organisation.seat_municipality
    seat.population_reference_date = seat.population_reference_date.replace(year=2024)
    seat.save()
    with pytest.raises(ValidationError) as error:
        allocation_plan(user=staff.clerk, programme_id=programme.pk, year=ProgrammeBudget.objects.get().year)
    assert "Adorf" in str(error.value)
    assert "31.12.2024" in str(error.value)


def test_fix_stores_the_run_unchanged_reproducibly_and_binds_its_applications(staff):
    programme = formula_programme()
    apps = _three(programme, staff)
    run = _fixed(programme, staff)
    assert run.kind == AllocationRun.Kind.FORMULA_ALLOCATION
    assert run.programme == programme
    assert run.created_by == staff.clerk
    assert run.follows is None
    assert run_verify(AllocationRun.objects.get(pk=run.pk))
    assert set(Application.objects.filter(allocation_run=run).values_list("pk", flat=True)) == {a.pk for a in apps}
    assert sum(Decimal(o["amount"]) for o in run.outputs.values()) + run.remainder == run.total
    with pytest.raises(PermissionDenied):
        run.save()


def test_a_stale_preview_is_not_fixed(staff):
    programme = formula_programme()
    applicant(programme, staff, name="Adorf", population=10000)
    year = ProgrammeBudget.objects.get().year
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=year)
    applicant(programme, staff, name="Bestadt", population=10000)  # checked after the preview
    with pytest.raises(ValidationError) as error:
        allocation_fix(user=staff.clerk, programme_id=programme.pk, year=year, expected_hash=plan.preview.input_hash)
    assert error.value.code == "stale_preview"
    assert AllocationRun.objects.count() == 0


def test_only_run_staff_preview_and_fix(staff):
    programme = formula_programme()
    applicant(programme, staff, name="Adorf", population=10000)
    year = ProgrammeBudget.objects.get().year
    for user in [staff.finance, applicant(programme, staff, name="X", population=1).created_by]:
        with pytest.raises(PermissionDenied):
            allocation_plan(user=user, programme_id=programme.pk, year=year)
        with pytest.raises(PermissionDenied):
            allocation_fix(user=user, programme_id=programme.pk, year=year, expected_hash="0" * 64)


def test_issuing_approves_and_rejects_through_the_state_machine_once(staff, django_capture_on_commit_callbacks):
    programme = formula_programme(pot="100000.00")
    a, b, c = _three(programme, staff)
    run = _fixed(programme, staff)
    with django_capture_on_commit_callbacks() as letters:
        issued = allocation_issue_decisions(user=staff.head, run_id=run.pk)
    assert (issued.approved, issued.rejected) == (2, 1)
    a, b, c = (Application.objects.get(pk=x.pk) for x in (a, b, c))
    assert (a.state, a.approved_amount.amount, a.budget_year) == (State.APPROVED, Decimal("25000.00"), run.year)
    assert c.approved_amount.amount == Decimal("75000.00")
    assert b.state == State.REJECTED
    assert "Stellenumfang" in b.last_message
    assert run.hash_prefix in b.last_message
    assert ProgrammeBudget.objects.get().committed.amount == Decimal("100000.00")
    assert len(letters) >= 3  # one letter (and one notification) per decision, after commit
    again = allocation_issue_decisions(user=staff.head, run_id=run.pk)
    assert (again.approved, again.rejected, again.skipped) == (0, 0, 3)
    assert ProgrammeBudget.objects.get().committed.amount == Decimal("100000.00")
    assert ApplicationEvent.objects.filter(action="approve").count() == 2


def test_amounts_above_the_staff_limit_need_the_head_of_unit(staff):
    programme = formula_programme(pot="100000.00")
    _three(programme, staff)
    run = _fixed(programme, staff)
    with pytest.raises(PermissionDenied):
        allocation_issue_decisions(user=staff.clerk, run_id=run.pk)
    assert not Application.objects.filter(state=State.APPROVED).exists()  # all or nothing
    assert ProgrammeBudget.objects.get().committed.amount == 0


def test_the_checker_does_not_decide(staff):
    programme = formula_programme(pot="1000.00", staff_approval_limit=eur("100000.00"))
    applicant(programme, staff, name="Adorf", population=10000)
    run = _fixed(programme, staff)
    with pytest.raises(PermissionDenied):  # four eyes: staff.checker confirmed the eligibility
        allocation_issue_decisions(user=staff.checker, run_id=run.pk)
    assert allocation_issue_decisions(user=staff.clerk, run_id=run.pk).approved == 1


def test_individual_recommend_and_approve_do_not_apply(staff):
    programme = formula_programme()
    app = applicant(programme, staff, name="Adorf", population=10000, check=False)
    with pytest.raises(ValidationError):
        application_recommend(user=staff.checker, application_id=app.pk)
    _fixed_app = applicant(programme, staff, name="Bestadt", population=10000)
    with pytest.raises(ValidationError):
        application_approve(user=staff.head, application_id=_fixed_app.pk)
