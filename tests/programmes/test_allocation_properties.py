"""Properties of the apportionment engine and the rule rounds, checked with hypothesis against exact fractions."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from programmes.allocation import apportion
from programmes.allocation_rules import AllocationRules, Applicant, Reason, RemainderPolicy, StepKind, allocate

FAST = settings(max_examples=200, deadline=None)
CENT = Fraction(1, 100)

totals = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False, allow_infinity=False)
int_weights = st.integers(min_value=0, max_value=10**7)
decimal_weights = st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False, allow_infinity=False)
weights_strategy = st.one_of(int_weights, decimal_weights, st.sampled_from([0, 1, 1000, Decimal("1.2")]))
keys = st.text(alphabet="abcdefgh", min_size=1, max_size=4)
weight_maps = st.dictionaries(keys, weights_strategy, min_size=1, max_size=25).filter(
    lambda weights: any(weights.values()))


def exact_shares(total: Decimal, weights) -> dict:
    weight_sum = sum(Fraction(w) for w in weights.values())
    return {key: Fraction(total) * Fraction(w) / weight_sum for key, w in weights.items()}


# -- apportion -----------------------------------------------------------------------------------
@FAST
@given(totals, weight_maps)
def test_sum_is_the_total_in_whole_cents_and_key_order_is_kept(total, weights):
    result = apportion(total, weights)
    assert sum(result.values()) == total
    assert all(amount.as_tuple().exponent == -2 for amount in result.values())
    assert list(result) == list(weights)


@FAST
@given(totals, weight_maps)
def test_no_key_is_a_cent_or_more_from_its_exact_share(total, weights):
    result = apportion(total, weights)
    for key, share in exact_shares(total, weights).items():
        assert abs(Fraction(result[key]) - share) < CENT


@FAST
@given(totals, weight_maps)
def test_a_larger_weight_never_gets_less(total, weights):
    result = apportion(total, weights)
    for a, weight_a in weights.items():
        for b, weight_b in weights.items():
            if weight_a > weight_b:
                assert result[a] >= result[b]
            if weight_a == weight_b:
                assert abs(result[a] - result[b]) <= Decimal("0.01")


@FAST
@given(totals, weight_maps, st.randoms(use_true_random=False))
def test_the_order_of_the_input_does_not_matter_and_runs_repeat(total, weights, rnd):
    items = list(weights.items())
    rnd.shuffle(items)
    result = apportion(total, weights)
    assert apportion(total, dict(items)) == result
    assert apportion(total, dict(reversed(items))) == result
    assert apportion(total, weights) == result


@FAST
@given(totals, weight_maps, st.integers(min_value=1, max_value=1000))
def test_scaling_all_weights_changes_nothing(total, weights, factor):
    scaled = {key: Decimal(w) * factor / 8 for key, w in weights.items()}  # / 8 keeps it exact in Decimal
    assert apportion(total, scaled) == apportion(total, weights)


@FAST
@given(totals, weight_maps)
def test_zero_weights_get_zero(total, weights):
    result = apportion(total, {**weights, "zero": 0})
    assert result["zero"] == Decimal("0.00")
    assert str(result["zero"]) == "0.00"


@FAST
@given(weight_maps, st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2))
def test_errors_for_negative_or_over_precise_totals(weights, amount):
    with pytest.raises(ValueError, match="negativ"):
        apportion(-amount, weights)
    with pytest.raises(ValueError, match="Nachkommastellen"):
        apportion(amount + Decimal("0.001"), weights)


@FAST
@given(totals, weight_maps, st.integers(min_value=1, max_value=10**6))
def test_errors_for_negative_weights_and_no_positive_weight(total, weights, negative):
    with pytest.raises(ValueError, match="negativ"):
        apportion(total, {**weights, "neg": -negative})
    with pytest.raises(ValueError, match="größer als null"):
        apportion(total, dict.fromkeys(weights, 0))


# -- allocate ------------------------------------------------------------------------------------
ftes = st.one_of(st.none(), st.sampled_from([Decimal(v) for v in ("0", "0.25", "0.4", "0.5", "0.75", "1")]))
applicant_maps = st.dictionaries(keys, st.builds(Applicant, weights_strategy, ftes), min_size=1, max_size=15).filter(
    lambda applicants: any(a.weight for a in applicants.values()))
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)


@st.composite
def rule_sets(draw):
    cap = draw(st.none() | money)
    min_share = draw(st.none() | st.decimals(min_value=0, max_value=cap or Decimal("100000"), places=2))
    return AllocationRules(min_fte=draw(st.none() | st.just(Decimal("0.5"))), min_share=min_share, cap=cap,
                           remainder=draw(st.sampled_from(RemainderPolicy)))


pots = st.decimals(min_value=0, max_value=Decimal("10000000"), places=2)


@FAST
@given(pots, applicant_maps, rule_sets())
def test_amounts_and_remainder_add_up_and_the_rules_hold(total, applicants, rules):
    result = allocate(total, applicants, rules)
    amounts = result.amounts
    assert sum(amounts.values()) + result.remainder == total
    assert list(result.outcomes) == list(applicants)
    kinds = [step.kind for step in result.steps]
    assert [step.number for step in result.steps] == list(range(1, len(kinds) + 1))
    assert kinds[-1] in {StepKind.SHARE, StepKind.UNDISTRIBUTED}
    if rules.remainder == RemainderPolicy.RESHARE and StepKind.UNDISTRIBUTED not in kinds:
        assert result.remainder == 0
    for key, outcome in result.outcomes.items():
        if rules.cap is not None:
            assert outcome.amount <= rules.cap
        if outcome.reason == Reason.CAPPED:
            assert outcome.amount == rules.cap
        if outcome.reason == Reason.SHARED and rules.min_share is not None:
            assert outcome.amount >= rules.min_share
        if rules.min_fte is not None and (applicants[key].fte is None or applicants[key].fte < rules.min_fte):
            assert (outcome.amount, outcome.eligible) == (Decimal("0.00"), False)
        if not outcome.eligible:
            assert outcome.amount == 0
        assert outcome.amount == 0 or outcome.reason in {Reason.SHARED, Reason.CAPPED}


@FAST
@given(pots, applicant_maps, st.sampled_from(RemainderPolicy))
def test_without_cap_or_minimum_allocate_is_apportion(total, applicants, policy):
    rules = AllocationRules(min_fte=Decimal("0.5"), remainder=policy)
    result = allocate(total, applicants, rules)
    eligible = {k: a.weight for k, a in applicants.items() if a.fte is not None and a.fte >= Decimal("0.5")}
    if policy == RemainderPolicy.KEEP:
        everyone = apportion(total, {k: a.weight for k, a in applicants.items()})
        expected = {k: everyone[k] if k in eligible else Decimal("0.00") for k in applicants}
        assert result.remainder == sum(everyone[k] for k in applicants if k not in eligible)
    else:
        assume(any(eligible.values()))
        shares = apportion(total, eligible)
        expected = {k: shares.get(k, Decimal("0.00")) for k in applicants}
        assert result.remainder == 0
    assert result.amounts == expected


@FAST
@given(pots, applicant_maps, rule_sets(), st.randoms(use_true_random=False))
def test_allocate_does_not_depend_on_input_order(total, applicants, rules, rnd):
    items = list(applicants.items())
    rnd.shuffle(items)
    first, second = allocate(total, applicants, rules), allocate(total, dict(items), rules)
    assert first.amounts == second.amounts
    assert first.remainder == second.remainder
    assert {k: o.reason for k, o in first.outcomes.items()} == {k: o.reason for k, o in second.outcomes.items()}
