"""Small-count protection, each rule pinned by a table worked out by hand (see the module docstring).

In the tables below "·" marks a hidden cell; the comments give the reasoning a reader can check.
"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integration_core.indicators.suppression import (
    DEFAULT_THRESHOLD,
    SENSITIVE_THRESHOLD,
    SUPPRESSED,
    TOTAL,
    Reason,
    is_small,
    protect_count,
    protect_line,
    protect_share,
    protect_share_cube,
    protect_shares,
    protect_table,
)


def shown(cells: dict) -> dict:
    return {key: cell.display for key, cell in cells.items()}


# -- rule 1: primary --------------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "display"), [(0, "0"), (1, "·"), (2, "·"), (3, "3"), (250, "250")])
def test_counts_of_one_and_two_are_hidden_zero_is_not(count, display):
    assert protect_count(count).display == display


@pytest.mark.parametrize(("count", "display"), [(0, "0"), (1, "·"), (2, "·"), (3, "·"), (4, "4")])
def test_health_and_disability_hide_counts_up_to_three(count, display):
    assert protect_count(count, threshold=SENSITIVE_THRESHOLD).display == display


def test_threshold_is_configurable():
    assert [is_small(n, threshold=6) for n in range(7)] == [False, True, True, True, True, True, False]
    with pytest.raises(ValueError, match="threshold"):
        is_small(1, threshold=0)


def test_a_hidden_cell_says_why_and_never_shows_its_value():
    cell = protect_count(2)
    assert cell.suppressed
    assert cell.reason == Reason.PRIMARY
    assert cell.shown is None
    assert str(cell) == SUPPRESSED == "·"


# -- rule 2: shares ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "display"),
    [
        (2, 40, "·"),  # two people singled out
        (38, 40, "·"),  # complement 2: the two who are not
        (3, 40, "7.5"),
        (37, 40, "92.5"),
        (0, 40, "0.0"),  # "none of 40" singles nobody out
        (40, 40, "100.0"),
        (1, 2, "·"),  # a denominator of 2 always leaves a small numerator or complement
        (0, 0, "–"),  # no denominator: no share
    ],
)
def test_share_hidden_when_numerator_or_complement_is_small(numerator, denominator, display):
    assert protect_share(numerator, denominator).display == display


def test_share_rounds_half_up_to_one_decimal():
    assert protect_share(1, 8, threshold=1).value == Decimal("12.5")
    assert protect_share(1, 16, threshold=1).value == Decimal("6.3")  # 6.25 → 6.3


def test_share_rejects_a_numerator_above_the_denominator():
    with pytest.raises(ValueError, match="numerator"):
        protect_share(5, 4)


# -- rule 3: secondary, one line (municipalities and the district total) ------------------------------


def test_one_hidden_municipality_takes_the_next_smallest_with_it():
    # A=10, B=2, C=7, D=0, district 19. B is small; alone, B = 19 − 10 − 7 − 0. The smallest shown non-zero
    # cell is C (7), so C is hidden too: 19 − 10 − 0 = 9 = B + C, which does not tell B.
    cells, total = protect_line({"A": 10, "B": 2, "C": 7, "D": 0})
    assert shown(cells) == {"A": "10", "B": "·", "C": "·", "D": "0"}
    assert cells["B"].reason == Reason.PRIMARY
    assert cells["C"].reason == Reason.SECONDARY
    assert total.display == "19"


def test_zero_is_never_chosen_as_the_second_cell():
    # B=1 is hidden; D=0 is smaller than A=4 but hiding a zero protects nothing, so A goes.
    cells, _total = protect_line({"A": 4, "B": 1, "C": 9, "D": 0})
    assert shown(cells) == {"A": "·", "B": "·", "C": "9", "D": "0"}


def test_two_hidden_cells_that_add_up_to_a_small_count_take_a_third():
    # A=1, B=1: hidden, but 16 − 5 − 9 = 2 reveals that both are 1 (the remainder is itself small).
    # The next smallest, C=5, goes too: the remainder is then 7.
    cells, _total = protect_line({"A": 1, "B": 1, "C": 5, "D": 9})
    assert shown(cells) == {"A": "·", "B": "·", "C": "·", "D": "9"}


def test_two_hidden_cells_with_a_remainder_of_three_are_enough():
    # A=1, B=2: remainder 17 − 5 − 9 = 3 is not small, and it cannot be split back into A and B.
    cells, _total = protect_line({"A": 1, "B": 2, "C": 5, "D": 9})
    assert shown(cells) == {"A": "·", "B": "·", "C": "5", "D": "9"}


def test_ties_take_the_first_in_line_order():
    cells, _total = protect_line({"A": 5, "B": 1, "C": 5})
    assert shown(cells) == {"A": "·", "B": "·", "C": "5"}


def test_health_threshold_applies_to_the_secondary_rule_too():
    # Threshold 4: A=3 hidden; B=10 is the smallest other, hidden with it; remainder 13.
    cells, total = protect_line({"A": 3, "B": 10, "C": 20}, threshold=SENSITIVE_THRESHOLD)
    assert shown(cells) == {"A": "·", "B": "·", "C": "20"}
    assert total.display == "33"


def test_a_small_district_total_is_hidden_as_well():
    cells, total = protect_line({"A": 2, "B": 0})
    assert shown(cells) == {"A": "·", "B": "0"}
    assert total.display == "·"


def test_nothing_small_nothing_hidden():
    cells, total = protect_line({"A": 3, "B": 0, "C": 12})
    assert not any(cell.suppressed for cell in cells.values())
    assert total.display == "15"


# -- rule 3 in two dimensions -----------------------------------------------------------------------


def test_table_hides_a_total_row_cell_and_its_partner():
    #        w   m   d | Σ
    # M1     5   6   0 | 11
    # M2     7   8   1 | 16
    # Σ     12  14   1 | 27
    # Primary: M2.d = 1 and Σ.d = 1. Row M2: d alone hidden → w (7, smallest) goes. Row Σ: d alone → w (12).
    # Column w then has M2.w hidden under a hidden total: no equation left. Column d: total hidden.
    # Check: M2.w + M2.d = 16 − 8 = 8 and Σ.w + Σ.d = 27 − 14 = 13 = 5 + 8: M2.d stays anywhere in 0 … 8.
    table = protect_table(
        {("M1", "w"): 5, ("M1", "m"): 6, ("M2", "w"): 7, ("M2", "m"): 8, ("M2", "d"): 1},
        rows=["M1", "M2"], columns=["w", "m", "d"],
    )
    assert table.suppressed_keys == {("M2", "d"), ("M2", "w"), (TOTAL, "d"), (TOTAL, "w")}
    assert table[("M1", "d")].display == "0"
    assert table[(TOTAL, TOTAL)].display == "27"
    assert table[("M2", TOTAL)].display == "16"


def test_table_hides_a_row_total_when_no_other_cell_can_cover():
    #        yes  no | Σ
    # M1      7    0 |  7
    # M2      1    9 | 10
    # M3      8    4 | 12
    # Σ      16   13 | 29
    # Pass 1: M2.yes = 1 primary. Row M2 → M2.no (9). Column yes → M1.yes (7, smallest non-zero).
    #         Column no: M2.no alone → M3.no (4; M1.no is 0).
    # Pass 2: Row M1: M1.yes alone and M1.no is 0 → the row total 7 is hidden.
    #         Row M3: M3.no alone → M3.yes (8). Column Σ: M1's 7 alone → M2's 10 (smaller than 12).
    table = protect_table(
        {("M1", "yes"): 7, ("M2", "yes"): 1, ("M2", "no"): 9, ("M3", "yes"): 8, ("M3", "no"): 4},
        rows=["M1", "M2", "M3"], columns=["yes", "no"],
    )
    assert table.suppressed_keys == {
        ("M1", "yes"), ("M1", TOTAL), ("M2", "yes"), ("M2", "no"), ("M2", TOTAL), ("M3", "yes"), ("M3", "no"),
    }
    assert table[("M2", "yes")].reason == Reason.PRIMARY
    assert table[("M1", TOTAL)].reason == Reason.SECONDARY
    assert [table[(TOTAL, c)].display for c in ("yes", "no", TOTAL)] == ["16", "13", "29"]
    assert table[("M3", TOTAL)].display == "12"


def test_table_rejects_negative_counts():
    with pytest.raises(ValueError, match="negative"):
        protect_table({("a", "x"): -1}, rows=["a"], columns=["x"])


# -- shares per municipality (rules 2 and 3 together) ---------------------------------------------------


def test_shares_per_municipality_hand_worked():
    #          yes  no | denominator  share
    # M1        2   38 |  40           ·   (2 is small; 38 goes with it in the row)
    # M2       10   20 |  30          33.3
    # M3       12    8 |  20          60.0
    # M4        6    4 |  10           ·   (column yes: M1.yes alone → M4.yes (6) goes; column no: M4.no (4))
    # district 30   70 | 100          30.0
    # Left: a + c = 8, a + b = 40, c + d = 10, b + d = 42 — rank 3, M1.yes is anywhere in 0 … 8.
    shares, overall = protect_shares({"M1": (2, 40), "M2": (10, 30), "M3": (12, 20), "M4": (6, 10)})
    assert {key: s.share.display for key, s in shares.items()} == {"M1": "·", "M2": "33.3", "M3": "60.0", "M4": "·"}
    assert {key: s.numerator.display for key, s in shares.items()} == {"M1": "·", "M2": "10", "M3": "12", "M4": "·"}
    assert [s.denominator.display for s in shares.values()] == ["40", "30", "20", "10"]
    assert (overall.numerator.display, overall.denominator.display, overall.share.display) == ("30", "100", "30.0")
    assert shares["M4"].share.reason == Reason.SHARE


def test_a_small_complement_hides_the_share_and_the_partner():
    # M1: 38 of 40 → complement 2 is small. Column no: M1.no = 2 alone → M2.no (5) goes, so M2's share too.
    shares, _overall = protect_shares({"M1": (38, 40), "M2": (15, 20), "M3": (30, 40)})
    assert {key: s.share.display for key, s in shares.items()} == {"M1": "·", "M2": "·", "M3": "75.0"}


def test_shares_reject_impossible_pairs():
    with pytest.raises(ValueError, match="numerator"):
        protect_shares({"M1": (5, 3)})


def test_a_hidden_total_takes_one_of_its_parts_with_it():
    #            C    D |  Σ
    # one-off    0    1 |  1   (primary: D's 1 and Σ's 1)
    # simple    20    3 | 23
    # full       0    3 |  3
    # Σ         20    7 | 27
    # Column Σ hides full's 3 (with the one-off 1). Row full would then show 0 + 3 beside a hidden 3, so
    # D's 3 goes as well: a hidden total needs a hidden part.
    table = protect_table({("o", "D"): 1, ("s", "C"): 20, ("s", "D"): 3, ("f", "D"): 3},
                          rows=["o", "s", "f"], columns=["C", "D"])
    assert [table[("f", c)].display for c in ("C", "D", TOTAL)] == ["0", "·", "·"]
    assert [table[("s", c)].display for c in ("C", "D", TOTAL)] == ["·", "·", "23"]
    assert [table[(TOTAL, c)].display for c in ("C", "D", TOTAL)] == ["·", "·", "27"]


def test_three_dimensional_shares_keep_every_line_safe():
    shares = protect_share_cube(
        {("T", "w"): (2, 10), ("T", "m"): (5, 12), ("B", "w"): (7, 9), ("B", "m"): (4, 20)},
        dimensions=[["T", "B"], ["w", "m"]],
    )
    assert shares[("T", "w")].share.display == "·"  # 2 of 10
    assert shares[("B", "w")].share.display == "·"  # complement 2 of 9
    assert shares[(TOTAL, TOTAL)].denominator.display == "51"
    assert shares[(TOTAL, TOTAL)].share.display == "35.3"  # 18 of 51


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=0, max_value=12), min_size=3, max_size=3), min_size=1, max_size=5),
       st.sampled_from([DEFAULT_THRESHOLD, SENSITIVE_THRESHOLD]))
def test_property_no_line_gives_a_hidden_cell_away(matrix, threshold):
    rows, columns = range(len(matrix)), range(3)
    counts = {(r, c): matrix[r][c] for r in rows for c in columns}
    table = protect_table(counts, rows=rows, columns=columns, threshold=threshold)
    for key, cell in table.cells.items():
        assert cell.suppressed or not is_small(cell.value, threshold), key
    lines = [([(r, c) for c in columns], (r, TOTAL)) for r in (*rows, TOTAL)]
    lines += [([(r, c) for r in rows], (TOTAL, c)) for c in (*columns, TOTAL)]
    for parts, total in lines:
        hidden = [k for k in parts if table[k].suppressed]
        count = len(hidden) + table[total].suppressed
        assert count != 1, (parts, total)
        if hidden and not table[total].suppressed:
            assert not is_small(sum(table[k].value for k in hidden), threshold)
