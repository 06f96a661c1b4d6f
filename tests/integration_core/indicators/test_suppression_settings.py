"""Thresholds from the settings, and rule 4 (linked tables), pinned by hand-worked tables."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from integration_core.indicators import registry
from integration_core.indicators.suppression import (
    TOTAL,
    default_threshold,
    is_small,
    protect_count,
    protect_line,
    protect_table,
    sensitive_threshold,
)


def test_the_defaults_hide_one_and_two_and_for_health_up_to_three(settings):
    from portal.settings import base

    assert (base.MONITORING_MIN_COUNT, base.MONITORING_MIN_COUNT_SENSITIVE) == (3, 4)
    assert (default_threshold(), sensitive_threshold()) == (3, 4)
    assert [protect_count(n).display for n in range(5)] == ["0", "·", "·", "3", "4"]
    assert registry.get("health_goals").threshold == 4
    assert registry.get("cases_open").threshold == 3


@override_settings(MONITORING_MIN_COUNT=5, MONITORING_MIN_COUNT_SENSITIVE=7)
def test_thresholds_come_from_the_settings():
    assert [protect_count(n).display for n in range(7)] == ["0", "·", "·", "·", "·", "5", "6"]
    assert registry.get("cases_open").threshold == 5
    assert registry.get("health_goals").threshold == 7
    # Secondary suppression follows as well: A=4 hidden, B=6 goes with it (remainder 10).
    cells, total = protect_line({"A": 4, "B": 6, "C": 9})
    assert {key: cell.display for key, cell in cells.items()} == {"A": "·", "B": "·", "C": "9"}
    assert total.display == "19"


@override_settings(MONITORING_MIN_COUNT=5, MONITORING_MIN_COUNT_SENSITIVE=4)
def test_health_is_never_protected_less_than_the_rest():
    assert sensitive_threshold() == 5


@pytest.mark.parametrize("value", [0, -1, "3", 2.5, True])
def test_a_threshold_below_one_or_not_a_whole_number_is_refused(value):
    with override_settings(MONITORING_MIN_COUNT=value), pytest.raises(ImproperlyConfigured, match="MONITORING"):
        default_threshold()


# -- rule 4: linked tables ------------------------------------------------------------------------

COUNTS = {("A", "x"): 5, ("B", "x"): 1, ("B", "y"): 4, ("C", "x"): 6, ("C", "y"): 3}
#          x   y |  Σ        The row totals 5, 5, 9 and 19 are published elsewhere (shown there).
#   A      5   0 |  5        B's 1 is small; row B hides y 4 with it, column x the smallest other (A's 5),
#   B      1   4 |  5        column y C's 3, row C then C's 6. Row A now has its 5 hidden beside a shown 0:
#   C      6   3 |  9        alone, it would take A's total — but that total is known to be 5, so A's 5 is
#   Σ     12   7 | 19        known too: shown, and column x keeps B's and C's hidden (sum 7, not small).
SHOWN_TOTALS = {("A", TOTAL): False, ("B", TOTAL): False, ("C", TOTAL): False, (TOTAL, TOTAL): False}


def _grid(table):
    return {row: [table[(row, column)].display for column in ("x", "y", TOTAL)] for row in ("A", "B", "C", TOTAL)}


def test_without_the_other_table_a_known_total_would_be_hidden():
    assert _grid(protect_table(COUNTS, rows="ABC", columns="xy")) == {
        "A": ["·", "0", "·"], "B": ["·", "·", "·"], "C": ["·", "·", "9"], TOTAL: ["12", "7", "19"]}


def test_known_totals_stay_shown_and_a_cell_equal_to_one_is_shown_too():
    assert _grid(protect_table(COUNTS, rows="ABC", columns="xy", known=SHOWN_TOTALS)) == {
        "A": ["5", "0", "5"], "B": ["·", "·", "5"], "C": ["·", "·", "9"], TOTAL: ["12", "7", "19"]}


def test_what_the_other_table_hides_stays_hidden():
    #          x   y |  Σ        Published elsewhere: A's 2 hidden (small), B's 4 with it, C's 9 and 15 shown.
    #   A      2   0 |  2        Here A's 2 and B's 1 are small; column x: 2 + 1 = 3 is not small, safe.
    #   B      1   3 |  4        Rows A and B: their totals stay hidden, so one hidden part each is enough.
    #   C      6   3 |  9
    #   Σ      9   6 | 15
    counts = {("A", "x"): 2, ("B", "x"): 1, ("B", "y"): 3, ("C", "x"): 6, ("C", "y"): 3}
    cells, grand = protect_line({"A": 2, "B": 4, "C": 9})
    assert [cells[r].display for r in "ABC"] + [grand.display] == ["·", "·", "9", "15"]
    known = {(r, TOTAL): cell.suppressed for r, cell in cells.items()} | {(TOTAL, TOTAL): grand.suppressed}
    assert _grid(protect_table(counts, rows="ABC", columns="xy", known=known)) == {
        "A": ["·", "0", "·"], "B": ["·", "3", "·"], "C": ["6", "3", "9"], TOTAL: ["9", "6", "15"]}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=0, max_value=9), min_size=3, max_size=3), min_size=2, max_size=5))
def test_property_the_breakdown_keeps_the_published_totals_and_every_line_safe(matrix):
    rows, columns = range(len(matrix)), range(3)
    counts = {(r, c): matrix[r][c] for r in rows for c in columns}
    # The totals as another table publishes them (protected along the rows only).
    cells, grand = protect_line({r: sum(matrix[r]) for r in rows})
    known = {(r, TOTAL): cell.suppressed for r, cell in cells.items()} | {(TOTAL, TOTAL): grand.suppressed}
    table = protect_table(counts, rows=rows, columns=columns, known=known)
    threshold = default_threshold()
    for key, was_hidden in known.items():
        assert table[key].suppressed == was_hidden, key
    for key, cell in table.cells.items():
        assert cell.suppressed or not is_small(cell.value, threshold), key
    lines = [([(r, c) for c in columns], (r, TOTAL)) for r in (*rows, TOTAL)]
    lines += [([(r, c) for r in rows], (TOTAL, c)) for c in (*columns, TOTAL)]
    for parts, total in lines:
        hidden = [k for k in parts if table[k].suppressed]
        if table[total].suppressed:
            continue  # a hidden total: the known table keeps its own lines safe
        assert len(hidden) != 1, (parts, total)
        if hidden:
            assert not is_small(sum(table[k].value for k in hidden), threshold)
