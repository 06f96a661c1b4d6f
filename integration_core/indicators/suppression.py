"""Small-count protection (statistische Geheimhaltung) for every figure that leaves case data.

Pure Python, no Django models (only the two thresholds come from the settings): the dashboard, the
yearly table and the statistics export all pass their counts through here before anything is shown or
written.

The rules
=========

1. **Primary suppression.** A count ``n`` with ``0 < n < threshold`` is not shown (displayed as "·").
   The threshold is the smallest count shown: ``settings.MONITORING_MIN_COUNT`` (default 3, counts of
   1 and 2 are hidden); health and disability figures use ``settings.MONITORING_MIN_COUNT_SENSITIVE``
   (default 4, counts up to 3 hidden). Zero is shown: "nobody" singles nobody out.

2. **Shares.** A share is hidden when its numerator or its complement (denominator − numerator) is
   hidden: "2 of 40" singles out two people, and so does "38 of 40". A table of shares is therefore
   protected as a two-column table *yes / no* whose row totals are the denominators (see ``protect_shares``).

3. **Secondary suppression.** Published totals let anyone recompute a hidden cell by subtraction
   (district total minus the other municipalities). For every *line* — the cells of a row or a column
   together with their published total — the hidden cells are protected again until both hold:

   a. a line never has exactly one hidden cell, and
   b. the hidden cells of a line do not add up to a small count themselves (their sum is what the
      subtraction reveals, so it must pass rule 1 like any other count).

   A hidden total counts as a hidden cell of its line: a hidden total whose parts are all shown would
   be recomputed by addition, so it takes a part with it.

   While a line breaks (a) or (b), the smallest shown non-zero cell of the line is hidden too (ties: the
   first in line order, so the result is reproducible). Zeros are never chosen: hiding a known zero
   protects nothing. If no such cell is left, the line's total is hidden instead. Lines are re-checked
   until nothing changes, since a hidden cell in a column may break its row.

4. **Linked tables.** A table that repeats cells another published table already decides (a breakdown
   of the municipalities by gender repeats the municipalities' totals) takes them over as *known*:
   hidden there, hidden here; shown there, never hidden here — rule 3 then works around them. Should a
   line end with exactly one hidden cell beside a known total, that cell is known as well (it equals the
   total) and is shown, and the other lines through it hide something else instead.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import product

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SUPPRESSED = "·"
# Defaults of the settings below (the values the issue names).
DEFAULT_THRESHOLD = 3  # counts of 1 and 2 are hidden
SENSITIVE_THRESHOLD = 4  # health and disability (GDPR Art. 9): counts up to 3 are hidden
TOTAL = "__total__"  # key of the margin row/column in a protected table


def default_threshold() -> int:
    """The smallest count shown: ``settings.MONITORING_MIN_COUNT`` (read on every call, so it is configurable)."""
    return _setting("MONITORING_MIN_COUNT", DEFAULT_THRESHOLD)


def sensitive_threshold() -> int:
    """The smallest count shown for health and disability: ``settings.MONITORING_MIN_COUNT_SENSITIVE``.

    Never below the general threshold: special-category data is protected at least as strictly.
    """
    return max(_setting("MONITORING_MIN_COUNT_SENSITIVE", SENSITIVE_THRESHOLD), default_threshold())


def _setting(name: str, default: int) -> int:
    value = getattr(settings, name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least 1 (the smallest count shown)")
    return value


class Reason(StrEnum):
    PRIMARY = "primary"  # small count itself
    SECONDARY = "secondary"  # hidden so that a small count cannot be recomputed
    SHARE = "share"  # a share whose numerator or complement is hidden


def is_small(count: int, threshold: int | None = None) -> bool:
    """Rule 1: counts 1 … threshold − 1 are small; zero is not. ``None``: the configured default."""
    threshold = default_threshold() if threshold is None else threshold
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    return 0 < count < threshold


@dataclass(frozen=True)
class Cell:
    """A published figure: its value, or the reason it is hidden.

    ``value`` is kept even when hidden (the code computing secondary suppression needs it); whatever
    renders a cell must use ``display`` / ``shown`` and never ``value`` of a hidden cell.
    """

    value: int | Decimal | None
    reason: Reason | None = None

    @property
    def suppressed(self) -> bool:
        return self.reason is not None

    @property
    def shown(self) -> int | Decimal | None:
        """The value if it may be published, else None."""
        return None if self.suppressed else self.value

    @property
    def display(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.value is None:
            return "–"
        return str(self.value)

    def __str__(self) -> str:
        return self.display


def protect_count(count: int, *, threshold: int | None = None) -> Cell:
    """A lone count (no totals published beside it): rule 1 only."""
    return Cell(count, Reason.PRIMARY if is_small(count, threshold) else None)


def share_value(numerator: int, denominator: int) -> Decimal | None:
    """The share in percent with one decimal (half up), None when the denominator is 0."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def protect_share(numerator: int, denominator: int, *, threshold: int | None = None) -> Cell:
    """A lone share (rule 2): hidden when numerator or complement is small."""
    if numerator < 0 or numerator > denominator:
        raise ValueError("numerator must lie between 0 and the denominator")
    hidden = is_small(numerator, threshold) or is_small(denominator - numerator, threshold)
    return Cell(share_value(numerator, denominator), Reason.SHARE if hidden else None)


# -- tables with margins ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProtectedTable:
    """Counts with all their margins, each cell protected.

    ``cells[key]`` with one coordinate per dimension; ``TOTAL`` in a coordinate is the margin over that
    dimension (in two dimensions: row totals at ``(row, TOTAL)``, column totals at ``(TOTAL, column)``,
    the grand total at ``(TOTAL, TOTAL)``).
    """

    dimensions: tuple[tuple, ...]
    cells: Mapping[tuple, Cell]

    @property
    def rows(self) -> tuple:
        return self.dimensions[0]

    @property
    def columns(self) -> tuple:
        return self.dimensions[1]

    def __getitem__(self, key: tuple) -> Cell:
        return self.cells[key]

    @property
    def suppressed_keys(self) -> set[tuple]:
        return {key for key, cell in self.cells.items() if cell.suppressed}


def _lines(dimensions: tuple[tuple, ...]) -> list[tuple[list[tuple], tuple]]:
    """Every line of the cube as (parts, total key): along each dimension, for every position of the others.

    The last dimension comes first (in two dimensions: all rows, then all columns), so the order, and with
    it the choice among equal cells, is fixed.
    """
    lines = []
    for axis in reversed(range(len(dimensions))):
        others = [(*dimension, TOTAL) for index, dimension in enumerate(dimensions) if index != axis]
        for fixed in product(*others):
            def key(member, fixed=fixed, axis=axis):
                return (*fixed[:axis], member, *fixed[axis:])

            lines.append(([key(member) for member in dimensions[axis]], key(TOTAL)))
    return lines


def _secondary(values: Mapping[tuple, int], hidden: dict[tuple, Reason], lines, threshold: int,
               shown: set[tuple], kept_hidden: set[tuple]) -> None:
    """Rule 3 on every line until stable. Rule 4: ``shown`` must stay shown, ``kept_hidden`` hidden.

    Each step hides one more cell or moves a hidden cell into ``shown`` for good, so it ends.
    """
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            while not _line_safe(parts, total, values, hidden, threshold):
                candidates = [key for key in parts if key not in hidden and key not in shown and values[key] > 0]
                if candidates:
                    # min() keeps the first of equal values: line order decides ties.
                    hidden[min(candidates, key=lambda key: values[key])] = Reason.SECONDARY
                elif total not in hidden and total not in shown:
                    hidden[total] = Reason.SECONDARY
                elif (total in shown and len(concealed := [key for key in parts if key in hidden]) == 1
                      and concealed[0] not in kept_hidden):
                    # Rule 4: the one hidden part equals the known total (not small, or it would not be
                    # shown), so it is known as well.
                    del hidden[concealed[0]]
                    shown.add(concealed[0])
                else:
                    # A hidden total over shown zeros would be 0, never hidden; hidden parts beside a known
                    # total and known parts add up to what is published already: nothing left to hide.
                    break
                changed = True


def _line_safe(parts, total, values, hidden, threshold: int) -> bool:
    """A line is safe with no hidden cell, or with at least two hidden cells (parts or total) — and, while
    the total is shown, when the hidden parts do not add up to a small count (the subtraction reveals it).
    A hidden total needs a hidden part too: otherwise the shown parts add up to it."""
    concealed = [key for key in parts if key in hidden]
    total_hidden = total in hidden
    if len(concealed) + total_hidden == 0:
        return True
    if len(concealed) + total_hidden == 1:
        return False
    return total_hidden or not is_small(sum(values[key] for key in concealed), threshold)


def protect_cube(
    counts: Mapping[tuple, int], *, dimensions: Iterable[Iterable[Hashable]], threshold: int | None = None,
    known: Mapping[tuple, bool] | None = None,
) -> ProtectedTable:
    """Protect counts in any number of dimensions whose margins (all partial and grand totals) are published.

    Missing cells count as 0. The margins are computed here from the cells, so they always add up.
    ``known``: cells another published table decides (rule 4), True = hidden there, False = shown there.
    """
    dimensions = tuple(tuple(dimension) for dimension in dimensions)
    threshold = default_threshold() if threshold is None else threshold
    values: dict[tuple, int] = {}
    for key in product(*dimensions):
        count = int(counts.get(key, 0))
        if count < 0:
            raise ValueError("counts must not be negative")
        values[key] = count
    # Margins, one dimension at a time: summing along axis i over keys that already carry margins in
    # axes < i gives every combination of TOTAL coordinates.
    for axis in range(len(dimensions)):
        for key in list(values):
            if key[axis] == TOTAL:
                continue
            margin = (*key[:axis], TOTAL, *key[axis + 1:])
            values[margin] = values.get(margin, 0) + values[key]
    for key in product(*((*dimension, TOTAL) for dimension in dimensions)):
        values.setdefault(key, 0)  # margins over an empty dimension (no provider yet) are 0
    hidden = {key: Reason.PRIMARY for key, value in values.items() if is_small(value, threshold)}
    known = {key: was_hidden for key, was_hidden in (known or {}).items() if key in values}
    for key, was_hidden in known.items():
        if was_hidden:
            hidden.setdefault(key, Reason.SECONDARY)
    shown = {key for key, was_hidden in known.items() if not was_hidden and key not in hidden}
    kept_hidden = {key for key, was_hidden in known.items() if was_hidden}
    _secondary(values, hidden, _lines(dimensions), threshold, shown, kept_hidden)
    cells = {key: Cell(value, hidden.get(key)) for key, value in values.items()}
    return ProtectedTable(dimensions=dimensions, cells=cells)


def protect_table(
    counts: Mapping[tuple[Hashable, Hashable], int],
    *,
    rows: Iterable[Hashable],
    columns: Iterable[Hashable],
    threshold: int | None = None,
    known: Mapping[tuple, bool] | None = None,
) -> ProtectedTable:
    """Protect a table of counts whose row, column and grand totals are published (``known``: rule 4)."""
    return protect_cube(counts, dimensions=[rows, columns], threshold=threshold, known=known)


def protect_line(
    counts: Mapping[Hashable, int], *, threshold: int | None = None
) -> tuple[dict[Hashable, Cell], Cell]:
    """One breakdown and its published total (e.g. municipalities and the district): (cells, total)."""
    table = protect_table({(key, 0): value for key, value in counts.items()}, rows=counts.keys(), columns=[0],
                          threshold=threshold)
    return {key: table[(key, 0)] for key in counts}, table[(TOTAL, 0)]


@dataclass(frozen=True)
class ProtectedShare:
    numerator: Cell
    denominator: Cell
    share: Cell  # percent, one decimal


def share_table(
    pairs: Mapping[tuple, tuple[int, int]], *, dimensions: Iterable[Iterable[Hashable]],
    threshold: int | None = None, known: Mapping[tuple, bool] | None = None,
) -> ProtectedTable:
    """The cube behind ``protect_share_cube``: the breakdowns plus a last dimension *yes* / *no*."""
    dimensions = [tuple(dimension) for dimension in dimensions]
    counts = {}
    for key, (numerator, denominator) in pairs.items():
        if numerator < 0 or numerator > denominator:
            raise ValueError("numerator must lie between 0 and the denominator")
        counts[(*key, "yes")] = numerator
        counts[(*key, "no")] = denominator - numerator
    return protect_cube(counts, dimensions=[*dimensions, ("yes", "no")], threshold=threshold, known=known)


def protect_share_cube(
    pairs: Mapping[tuple, tuple[int, int]], *, dimensions: Iterable[Iterable[Hashable]],
    threshold: int | None = None, known: Mapping[tuple, bool] | None = None,
) -> dict[tuple, ProtectedShare]:
    """Shares over several breakdowns (e.g. municipality × gender) with all margins.

    ``pairs[key] = (numerator, denominator)``; the result has every key and every margin key (TOTAL in
    any coordinate). Protected as one cube with a last dimension *yes* / *no*, so each published
    denominator is the line total of its yes and no cells. ``known``: as for ``protect_cube``, in the
    coordinates of that cube (key + yes / no / TOTAL).
    """
    cube = share_table(pairs, dimensions=dimensions, threshold=threshold, known=known)

    def result(key: tuple) -> ProtectedShare:
        yes, no, total = cube[(*key, "yes")], cube[(*key, "no")], cube[(*key, TOTAL)]
        hidden = yes.suppressed or no.suppressed
        share = Cell(share_value(yes.value, total.value), Reason.SHARE if hidden else None)
        return ProtectedShare(numerator=yes, denominator=total, share=share)

    return {key[:-1]: result(key[:-1]) for key in cube.cells if key[-1] == TOTAL}


def protect_shares(
    pairs: Mapping[Hashable, tuple[int, int]], *, threshold: int | None = None
) -> tuple[dict[Hashable, ProtectedShare], ProtectedShare]:
    """Shares per breakdown key plus the overall share, from (numerator, denominator) pairs.

    Protected as the table *yes* (numerator) / *no* (complement) with the denominators as row totals, so
    rule 2 and rule 3 act together: a hidden numerator hides its complement (row line), and another
    municipality's numerator (column line), whose share is then hidden too.
    """
    shares = protect_share_cube({(key,): pair for key, pair in pairs.items()}, dimensions=[pairs.keys()],
                                threshold=threshold)
    return {key: shares[(key,)] for key in pairs}, shares[(TOTAL,)]
