"""Own ceilings per applicant (follow-up runs: the room left under the programme cap)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from programmes.allocation_rules import AllocationRules, Applicant, Reason, allocate

amounts = st.integers(min_value=0, max_value=10_000_000).map(lambda cents: Decimal(cents) / 100)


def test_an_own_cap_freezes_that_applicant_and_reshares_the_rest():
    result = allocate(Decimal("15000.00"), {
        "B": Applicant(weight=20000, cap=Decimal("20000.00")),
        "C": Applicant(weight=30000, cap=Decimal("5000.00")),
    })
    assert result.amounts == {"B": Decimal("10000.00"), "C": Decimal("5000.00")}
    assert result.outcomes["C"].reason == Reason.CAPPED
    assert "höchstens 5.000,00 €" in result.steps[1].explanation


def test_the_lower_of_rule_cap_and_own_cap_applies():
    result = allocate(Decimal("100.00"), {"A": Applicant(weight=1, cap=Decimal("80.00")), "B": Applicant(weight=1)},
                      AllocationRules(cap=Decimal("30.00")))
    assert result.amounts == {"A": Decimal("30.00"), "B": Decimal("30.00")}
    assert result.remainder == Decimal("40.00")


def test_an_exhausted_cap_gets_nothing():
    result = allocate(Decimal("10.00"), {"A": Applicant(weight=5, cap=Decimal("0")), "B": Applicant(weight=1)})
    assert result.amounts == {"A": Decimal("0.00"), "B": Decimal("10.00")}


@given(total=amounts, rows=st.lists(st.tuples(st.integers(0, 10**6), st.one_of(st.none(), amounts)),
                                    min_size=1, max_size=12))
def test_nobody_exceeds_their_cap_and_nothing_is_lost(total, rows):
    applicants = {f"k{i}": Applicant(weight=weight, cap=cap) for i, (weight, cap) in enumerate(rows)}
    if not any(weight for weight, _cap in rows):
        return
    result = allocate(total, applicants)
    assert sum(result.amounts.values()) + result.remainder == total
    for key, applicant in applicants.items():
        if applicant.cap is not None:
            assert result.amounts[key] <= applicant.cap
