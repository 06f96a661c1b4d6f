"""Apportionment by hand: worked examples pinned to the cent, the Böblingen Soforthilfe and the rule rounds."""

from decimal import Decimal
from fractions import Fraction
from math import floor

import pytest

from programmes.allocation import apportion
from programmes.allocation_rules import (
    AllocationRules,
    Applicant,
    Reason,
    RemainderPolicy,
    StepKind,
    allocate,
)
from programmes.step_params import german

D = Decimal


# -- apportion: hand-worked examples -------------------------------------------------------------
def test_three_keys_by_hand_remainder_tie_goes_to_larger_weight_then_smaller_key():
    # 100.00 € = 10,000 cents; weights 9,000 : 36,000 : 9,000 (sum 54,000), i.e. 1 : 4 : 1.
    # Exact shares in cents: Aidlingen 10,000 × 1/6 = 1,666⅔; Bondorf 10,000 × 4/6 = 6,666⅔; Deckenpfronn 1,666⅔.
    # Floors: 1,666 + 6,666 + 1,666 = 9,998, so 2 cents are left; the remainders are ⅔ each — a three-way tie.
    # 1st cent: tie on remainder → larger weight → Bondorf (6,667), although "Aidlingen" sorts first.
    # 2nd cent: Aidlingen and Deckenpfronn tie on remainder and weight → smaller key → Aidlingen (1,667).
    weights = {"Deckenpfronn": 9_000, "Bondorf": 36_000, "Aidlingen": 9_000}
    result = apportion(D("100.00"), weights)
    assert result == {"Aidlingen": D("16.67"), "Bondorf": D("66.67"), "Deckenpfronn": D("16.66")}
    assert list(result) == ["Deckenpfronn", "Bondorf", "Aidlingen"]  # input order kept
    assert sum(result.values()) == D("100.00")


def test_the_larger_remainder_beats_the_larger_weight():
    # 1.00 € among 3 : 4 → exact 42 6/7 and 57 1/7 cents; floors 42 + 57 = 99; the cent goes to the larger
    # remainder (6/7, the smaller weight): 0.43 and 0.57.
    assert apportion(D("1.00"), {"klein": 3, "gross": 4}) == {"klein": D("0.43"), "gross": D("0.57")}


def test_docstring_example_one_third_each():
    assert apportion(D("10.00"), {"a": 1, "b": 1, "c": 1}) == {"a": D("3.34"), "b": D("3.33"), "c": D("3.33")}


def test_decimal_weights_are_exact_urban_factor():
    # Urban population counts 1.2×: 10,001 × 1.2 = 12,001.2 against 7,999 — the same as 120,012 : 79,990.
    weights = {"Stadt": D("10001") * D("1.2"), "Dorf": 7_999}
    result = apportion(D("1000.00"), weights)
    assert result == apportion(D("1000.00"), {"Stadt": 120_012, "Dorf": 79_990})
    # Exact: 100,000 × 120,012 / 200,002 = 60,005.39… cents → floor 60,005; Dorf 39,994.60… → floor 39,994;
    # 1 cent left, Dorf has the larger remainder (0.60 > 0.39).
    assert result == {"Stadt": D("600.05"), "Dorf": D("399.95")}


def test_amounts_have_two_places_and_zero_weights_get_zero():
    result = apportion(D("5"), {"a": 2, "b": 0, "c": 3})
    assert result == {"a": D("2.00"), "b": D("0.00"), "c": D("3.00")}
    assert all(amount.as_tuple().exponent == -2 for amount in result.values())
    assert str(result["b"]) == "0.00"


def test_zero_total_and_trailing_zeros_are_fine():
    assert apportion(D("0.00"), {"a": 1, "b": 2}) == {"a": D("0.00"), "b": D("0.00")}
    assert apportion(D("1.000"), {"a": 1}) == {"a": D("1.00")}


@pytest.mark.parametrize(("total", "weights", "message"), [
    (D("-0.01"), {"a": 1}, "negativ"),
    (D("10.001"), {"a": 1}, "zwei Nachkommastellen"),
    (D("NaN"), {"a": 1}, "endliche"),
    (D("Infinity"), {"a": 1}, "endliche"),
    (D("10.00"), {"a": 1, "b": -1}, "negativ"),
    (D("10.00"), {"a": D("-0.5")}, "negativ"),
    (D("10.00"), {"a": D("NaN")}, "endliche"),
    (D("10.00"), {"a": 0, "b": 0}, "größer als null"),
    (D("10.00"), {}, "größer als null"),
])
def test_invalid_input_raises_value_error_with_a_german_message(total, weights, message):
    with pytest.raises(ValueError, match=message):
        apportion(total, weights)


@pytest.mark.parametrize(("total", "weights"), [(10.0, {"a": 1}), (D("10"), {"a": 1.5}), (D("10"), {"a": True})])
def test_floats_are_refused(total, weights):
    with pytest.raises(TypeError, match="float"):
        apportion(total, weights)


# -- Böblingen Soforthilfe: 282,709.99 € among 13 applicants, 4 below 0.5 FTE -------------------
# Populations and FTEs invented for the test (realistic orders of magnitude for the Landkreis Böblingen).
BOEBLINGEN = {
    "Sindelfingen": (64_858, "1.0"), "Böblingen": (51_073, "1.0"), "Leonberg": (48_711, "0.75"),
    "Herrenberg": (31_974, "0.5"), "Verbund Schönbuch": (31_180, "0.6"), "Verbund Oberes Gäu": (28_944, "0.5"),
    "Verbund Heckengäu": (21_876, "0.45"), "Weil der Stadt": (19_562, "0.5"), "Renningen": (18_479, "0.5"),
    "Holzgerlingen": (13_402, "0.5"), "Gärtringen": (12_763, "0.4"), "Magstadt": (9_688, "0.3"),
    "Ehningen": (9_317, "0.25"),
}
INELIGIBLE = ["Verbund Heckengäu", "Gärtringen", "Magstadt", "Ehningen"]
SOFORTHILFE = D("282709.99")
APPLICANTS = {name: Applicant(population, D(fte), name) for name, (population, fte) in BOEBLINGEN.items()}


def test_boeblingen_reshare_among_the_nine_eligible():
    result = allocate(SOFORTHILFE, APPLICANTS, AllocationRules(min_fte=D("0.5")))
    eligible = {name: pop for name, (pop, fte) in BOEBLINGEN.items() if D(fte) >= D("0.5")}
    assert len(eligible) == 9
    assert sum(eligible.values()) == 308_183
    # By hand: exact share in cents = 28,270,999 × population / 308,183. The floors add up to 28,270,995, so the
    # 4 cents left go to the 4 largest remainders (in 1/308,183 cents): Renningen 296,241, Leonberg 293,181,
    # Böblingen 224,928, Herrenberg 125,615 — next would be Weil der Stadt with 115,291.
    exact = {name: Fraction(28_270_999 * pop, 308_183) for name, pop in eligible.items()}
    assert sum(floor(share) for share in exact.values()) == 28_270_995
    rounded_up = {"Renningen", "Leonberg", "Böblingen", "Herrenberg"}
    for name, share in exact.items():
        assert result.amounts[name] * 100 == floor(share) + (name in rounded_up)
    assert result.amounts == {
        "Sindelfingen": D("59497.13"), "Böblingen": D("46851.54"), "Leonberg": D("44684.77"),
        "Herrenberg": D("29331.18"), "Verbund Schönbuch": D("28602.80"), "Verbund Oberes Gäu": D("26551.62"),
        "Verbund Heckengäu": D("0.00"), "Weil der Stadt": D("17945.09"), "Renningen": D("16951.61"),
        "Holzgerlingen": D("12294.25"), "Gärtringen": D("0.00"), "Magstadt": D("0.00"), "Ehningen": D("0.00"),
    }
    assert sum(result.amounts.values()) == SOFORTHILFE
    assert result.remainder == D("0.00")
    assert [name for name, o in result.outcomes.items() if not o.eligible] == INELIGIBLE
    assert {result.outcomes[name].reason for name in INELIGIBLE} == {Reason.BELOW_MIN_FTE}
    assert result.outcomes["Sindelfingen"].percent == D("21.05")  # 59,497.13 / 282,709.99 = 21.045…%
    first, last = result.steps
    assert (first.kind, first.dropped, first.reason) == (StepKind.ELIGIBILITY, tuple(INELIGIBLE), Reason.BELOW_MIN_FTE)
    assert "Gärtringen (0,4 VZÄ)" in first.explanation
    assert "mindestens 0,5 VZÄ" in first.explanation
    assert (last.kind, last.pot, len(last.among)) == (StepKind.SHARE, SOFORTHILFE, 9)
    assert "282.709,99 €" in last.explanation
    assert "4 Cent" in last.explanation


def test_boeblingen_keep_the_ineligible_shares_for_a_district_wide_offer():
    rules = AllocationRules(min_fte=D("0.5"), remainder=RemainderPolicy.KEEP)
    result = allocate(SOFORTHILFE, APPLICANTS, rules)
    # By hand: all 13 share (sum 361,827); floors add up to 28,270,992, the 7 cents left go to the 7 largest
    # remainders: Böblingen, Heckengäu, Schönbuch, Weil der Stadt, Ehningen, Renningen, Gärtringen.
    everyone = apportion(SOFORTHILFE, {name: pop for name, (pop, _fte) in BOEBLINGEN.items()})
    assert everyone["Böblingen"] == D("39905.39")
    assert everyone["Sindelfingen"] == D("50676.16")
    kept_back = sum(everyone[name] for name in INELIGIBLE)
    assert kept_back == D("41914.22") == result.remainder
    assert result.amounts == {name: D("0.00") if name in INELIGIBLE else everyone[name] for name in BOEBLINGEN}
    assert sum(result.amounts.values()) == SOFORTHILFE - result.remainder == D("240795.77")
    assert [step.kind for step in result.steps] == [StepKind.ELIGIBILITY, StepKind.KEEP, StepKind.SHARE]
    assert result.steps[1].dropped == tuple(INELIGIBLE)
    assert "41.914,22 €" in result.steps[1].explanation


# -- the rule rounds -----------------------------------------------------------------------------
def test_cap_cascades_until_stable():
    # 1,000.00 € among 5,000 : 4,500 : 500, cap 450.00 €.
    # Step 2: exact 500 / 450 / 50 → A over the cap (450 is not over) → A frozen at 450; 550 € left.
    # Step 3: 550 among B : C = 4,500 : 500 → 495 / 55 → B over the cap → frozen at 450; 100 € left.
    # Step 4: 100 € to C alone.
    applicants = {"A": Applicant(5_000), "B": Applicant(4_500), "C": Applicant(500)}
    result = allocate(D("1000.00"), applicants, AllocationRules(cap=D("450")))
    assert result.amounts == {"A": D("450.00"), "B": D("450.00"), "C": D("100.00")}
    kinds = [(s.kind, s.pot, s.capped) for s in result.steps]
    assert kinds == [(StepKind.ELIGIBILITY, D("1000.00"), ()), (StepKind.CAP, D("1000.00"), ("A",)),
                     (StepKind.CAP, D("550.00"), ("B",)), (StepKind.SHARE, D("100.00"), ())]
    assert [result.outcomes[k].reason for k in "ABC"] == [Reason.CAPPED, Reason.CAPPED, Reason.SHARED]
    assert [result.outcomes[k].step for k in "ABC"] == [2, 3, 4]
    assert "B (rechnerisch 495,00 €)" in result.steps[2].explanation


def test_min_share_drops_only_the_smallest_each_round():
    # 1,000.00 € among 6,000 : 3,000 : 480 : 400 (sum 9,880), minimum 50.00 €.
    # Step 2: exact 607.29 / 303.64 / 48.58 / 40.49 — C and D both below 50, only the smallest (D) drops.
    # Step 3: 1,000 among 9,480 → C gets 50.63… ≥ 50, so C stays (dropping both at once would have been unfair).
    # Final cents: 100,000 × 6,000/9,480 = 63,291.14; × 3,000/9,480 = 31,645.57; × 480/9,480 = 5,063.29;
    # floors 99,999, one cent to the largest remainder (B, .57): 632.91 / 316.46 / 50.63.
    applicants = {"A": Applicant(6_000), "B": Applicant(3_000), "C": Applicant(480), "D": Applicant(400)}
    result = allocate(D("1000.00"), applicants, AllocationRules(min_share=D("50.00")))
    assert result.amounts == {"A": D("632.91"), "B": D("316.46"), "C": D("50.63"), "D": D("0.00")}
    step = result.steps[1]
    assert (step.kind, step.dropped, step.reason) == (StepKind.MIN_SHARE, ("D",), Reason.BELOW_MIN_SHARE)
    assert "D (rechnerisch 40,49 €)" in step.explanation
    assert "50,00 €" in step.explanation
    assert result.outcomes["D"].eligible is False
    assert result.outcomes["D"].reason == Reason.BELOW_MIN_SHARE


def test_cap_and_min_share_together_with_fte():
    # 1,000.00 € among A 1,000 / B 500 / C 100 / D 300 (no FTE stated), min 0.5 FTE, cap 500, minimum 100.
    # Step 1: D drops (FTE missing). Step 2: 1,000 among 1,600 → A 625 > 500 → A frozen at 500.
    # Step 3: 500 among B : C = 500 : 100 → C 83.33 < 100 → C drops. Step 4: 500 to B alone.
    applicants = {"A": Applicant(1_000, D("1")), "B": Applicant(500, D("0.5")), "C": Applicant(100, D("0.6")),
                  "D": Applicant(300, None, "Gemeinde D")}
    result = allocate(D("1000.00"), applicants, AllocationRules(min_fte=D("0.5"), min_share=D("100"), cap=D("500")))
    assert result.amounts == {"A": D("500.00"), "B": D("500.00"), "C": D("0.00"), "D": D("0.00")}
    assert [s.kind for s in result.steps] == [StepKind.ELIGIBILITY, StepKind.CAP, StepKind.MIN_SHARE, StepKind.SHARE]
    assert result.outcomes["D"].reason == Reason.FTE_MISSING
    assert "Gemeinde D (keine Angabe)" in result.steps[0].explanation
    assert [o.percent for o in result.outcomes.values()] == [D("50.00"), D("50.00"), D("0.00"), D("0.00")]


def test_keep_with_a_cap_reshares_the_capped_excess_among_the_eligible_only():
    # 900.00 € among A 600 / B 200 / C 100 (C ineligible), keep, cap 500.
    # Step 2: all three share → 600 / 200 / 100; C's 100 is the remainder, A and B hold 800.
    # Step 3: A's exact share of the whole pot is 600 > 500 → frozen at 500. Step 4: the other 300 go to B.
    applicants = {"A": Applicant(600, D("1")), "B": Applicant(200, D("1")), "C": Applicant(100, D("0.2"))}
    rules = AllocationRules(min_fte=D("0.5"), cap=D("500"), remainder="keep")
    result = allocate(D("900.00"), applicants, rules)
    assert result.amounts == {"A": D("500.00"), "B": D("300.00"), "C": D("0.00")}
    assert result.remainder == D("100.00")


def test_when_everyone_is_capped_the_rest_stays_undistributed():
    applicants = {"A": Applicant(3), "B": Applicant(1)}
    result = allocate(D("1000.00"), applicants, AllocationRules(cap=D("100")))
    assert result.amounts == {"A": D("100.00"), "B": D("100.00")}
    assert result.remainder == D("800.00")
    assert result.steps[-1].kind == StepKind.UNDISTRIBUTED
    assert "800,00 €" in result.steps[-1].explanation


def test_nobody_eligible_leaves_the_whole_pot_as_remainder():
    result = allocate(D("10.00"), {"A": Applicant(5, D("0.1"))}, AllocationRules(min_fte=D("0.5")))
    assert result.amounts == {"A": D("0.00")}
    assert result.remainder == D("10.00")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"min_share": D("600"), "cap": D("500")}, "Mindestbetrag"),
    ({"cap": D("0")}, "Höchstbetrag"),
    ({"cap": D("10.001")}, "Nachkommastellen"),
    ({"min_share": D("-1")}, "negativ"),
    ({"min_fte": D("-0.5")}, "Mindeststellenumfang"),
    ({"remainder": "verschenken"}, "verschenken"),
])
def test_invalid_rules_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        AllocationRules(**kwargs)


def test_allocate_refuses_no_applicants_and_no_weight():
    with pytest.raises(ValueError, match="keine Antragsteller"):
        allocate(D("1.00"), {})
    with pytest.raises(ValueError, match="größer als null"):
        allocate(D("1.00"), {"A": Applicant(0)})


def test_messages_are_templates_for_translation():
    result = allocate(D("10.00"), {"A": Applicant(1)})
    step = result.steps[-1]
    assert "%(pot)s" in step.message
    assert step.params["pot"] == {"eur": "10.00"}  # language-neutral: formatted when shown
    assert step.explanation == german(step.message, step.params)
    assert "10,00 €" in step.explanation


def test_the_final_step_names_both_tie_breaks():
    result = allocate(D("10.00"), {"A": Applicant(1), "B": Applicant(1), "C": Applicant(1)},
                      key_label="Aktenzeichen")
    assert ("bei Gleichstand an das größere Gewicht, dann nach Aktenzeichen in aufsteigender Reihenfolge"
            in result.steps[-1].explanation)
    assert result.amounts == {"A": D("3.34"), "B": D("3.33"), "C": D("3.33")}  # as the text says: A before B


def test_the_keep_step_names_both_tie_breaks_too():
    rules = AllocationRules(min_fte=D("0.5"), remainder=RemainderPolicy.KEEP)
    result = allocate(D("10.00"), {"A": Applicant(1, D("1")), "B": Applicant(1, D("0.2"))}, rules)
    keep = result.steps[1]
    assert keep.kind == StepKind.KEEP
    assert "dann nach Schlüssel in aufsteigender Reihenfolge" in keep.explanation
    assert Reason.BELOW_MIN_FTE.label == "Stellenumfang unter dem Mindestumfang"
