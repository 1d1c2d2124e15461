"""The one small-number suppression every Koe report uses (PRODUCT.md, rule 2 "Small numbers").

Any count shown outside the desk that is below the threshold is hidden, and enough other counts
are hidden with it that no hidden count can be worked out from totals. How:

* `suppress_table` for one breakdown: a one-way table (`{("Vietnam",): 12, ...}`) or a two-way
  table (`{("Supplier A", "yes"): 3, ...}`). Margins are computed here, so they always add up.
* `suppress_related` for several breakdowns of one population shown together (by nationality and
  by residence status): one shared total, suppressed once, with every breakdown's equations.
* `suppress_nested` for two filters of which one contains the other (a brand holder's supply
  chain with and without supplier X; this quarter and the year so far): their difference, which
  a reader can compute, is protected like a table of its own. `differs_by_small_group` refuses a
  pair whose difference is a small group outright.

Doctrine for report code: build the largest table that contains every view you offer (supplier x
answer, not one table per supplier), suppress it once, and take every view from the result.
Suppressing filtered subsets separately lets a reader subtract them from each other.

The tables assume the categories partition the population (each person counted once). For a
multiple-choice question, suppress each option's "yes / no" split as its own breakdown.
"""

from collections.abc import Mapping
from typing import cast

from koe.reports.protection import protect
from koe.reports.recovery import recoverable_cells
from koe.reports.tables import (
    HIDDEN_MARK,
    TOTAL,
    Cell,
    Counts,
    Equation,
    Key,
    Reason,
    SuppressedTable,
    display,
)

__all__ = [
    "DIFFERENCE",
    "HIDDEN_MARK",
    "INNER",
    "OUTER",
    "TOTAL",
    "Cell",
    "Counts",
    "DifferencingRefused",
    "Key",
    "Reason",
    "SuppressedTable",
    "differs_by_small_group",
    "display",
    "recoverable_cells",
    "resolve_threshold",
    "suppress_nested",
    "suppress_related",
    "suppress_table",
]

MIN_THRESHOLD = 3  # PRODUCT.md: "never below 3"
OUTER, INNER, DIFFERENCE = "outer", "inner", "difference"


class DifferencingRefused(ValueError):
    """Two filters differ by fewer people than the threshold: showing both would expose them."""


def suppress_table(cells: Counts, threshold: int | None = None) -> SuppressedTable:
    """Suppress a one-way or two-way table of counts (keys of one or two labels)."""
    values, equations = _layout(cells, prefix=())
    return protect(values, tuple(equations), resolve_threshold(threshold))


def suppress_related(breakdowns: Mapping[str, Counts], threshold: int | None = None) -> SuppressedTable:
    """Suppress several breakdowns of one population together, keyed `(name, *labels)`.

    Their totals are one cell `(TOTAL,)`, hidden in all or none; and a count one breakdown hides
    cannot be computed with the help of another. Use `.subtable(name)` to display one.
    """
    values: dict[Key, int] = {}
    equations: list[Equation] = []
    for name, cells in breakdowns.items():
        own_values, own_equations = _layout(cells, prefix=(name,), grand=(TOTAL,))
        if (TOTAL,) in values and values[(TOTAL,)] != own_values[(TOTAL,)]:
            raise ValueError("Breakdowns of one population must add up to the same total.")
        values |= own_values
        equations += own_equations
    if (TOTAL,) in values:
        values[(TOTAL,)] = values.pop((TOTAL,))  # shown last, after every breakdown
    return protect(values, tuple(equations), resolve_threshold(threshold))


def suppress_nested(outer: Counts, inner: Counts, threshold: int | None = None) -> SuppressedTable:
    """Suppress a table and a filtered version of it (inner counts a subset of outer's people).

    Keys are `(OUTER, *labels)` and `(INNER, *labels)`; the difference is never shown, but the
    reader can subtract, so its small counts are protected as if it were published. Raises
    `DifferencingRefused` when the two populations differ by a small group: then a report offers
    only one of the two views.
    """
    threshold = resolve_threshold(threshold)
    outer_cells, inner_cells = _keyed(outer), _keyed(inner)
    labels = list(dict.fromkeys([*outer_cells, *inner_cells]))
    difference = {key: outer_cells.get(key, 0) - inner_cells.get(key, 0) for key in labels}
    if any(count < 0 for count in difference.values()):
        raise ValueError("The inner table must count a subset of the outer table's people.")
    if differs_by_small_group(sum(outer_cells.values()), sum(inner_cells.values()), threshold):
        raise DifferencingRefused("The two populations differ by fewer people than the threshold.")
    values: dict[Key, int] = {}
    equations: list[Equation] = []
    for name, cells in ((OUTER, outer_cells), (INNER, inner_cells), (DIFFERENCE, difference)):
        own_values, own_equations = _layout({key: cells.get(key, 0) for key in labels}, prefix=(name,))
        values |= own_values
        equations += own_equations
    equations += [
        Equation((OUTER, *key[1:]), ((INNER, *key[1:]), key)) for key in values if key[0] == DIFFERENCE
    ]
    unpublished = frozenset(key for key in values if key[0] == DIFFERENCE)
    return protect(values, tuple(equations), threshold, unpublished)


def differs_by_small_group(count_a: int, count_b: int, threshold: int | None = None) -> bool:
    """True when two filtered populations differ by 1 to threshold-1 people.

    A report showing both would let anyone learn about that small group by subtraction (the
    "differencing attack"), so it must show only one. A difference of 0 is the same population.
    """
    return 0 < abs(count_a - count_b) < resolve_threshold(threshold)


def resolve_threshold(threshold: int | None) -> int:
    """The threshold asked for, or the operator's setting; never below the minimum."""
    if threshold is None:
        from django.conf import settings  # imported late: the module itself needs no Django

        threshold = int(settings.KOE_SUPPRESSION_THRESHOLD)
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"The suppression threshold is never below {MIN_THRESHOLD}.")
    return threshold


def _keyed(counts: Counts) -> Mapping[Key, int]:
    return cast(Mapping[Key, int], counts)


def _layout(counts: Counts, prefix: Key, grand: Key | None = None) -> tuple[dict[Key, int], list[Equation]]:
    """Cells, margins and their equations, in display order (each row followed by its total)."""
    cells = _keyed(counts)
    _validate(cells)
    width = len(next(iter(cells)))
    if width == 1:
        return _one_way(cells, prefix, grand or (*prefix, TOTAL))
    return _two_way(cells, prefix, grand or (*prefix, TOTAL, TOTAL))


def _one_way(cells: Mapping[Key, int], prefix: Key, grand: Key) -> tuple[dict[Key, int], list[Equation]]:
    values = {(*prefix, *key): count for key, count in cells.items()}
    parts = tuple(values)
    values[grand] = sum(cells.values())
    return values, [Equation(grand, parts)]


def _two_way(cells: Mapping[Key, int], prefix: Key, grand: Key) -> tuple[dict[Key, int], list[Equation]]:
    rows = list(dict.fromkeys(key[0] for key in cells))
    columns = list(dict.fromkeys(key[1] for key in cells))
    values: dict[Key, int] = {}
    equations = []
    for row in rows:
        parts = tuple((*prefix, row, column) for column in columns)
        values |= {(*prefix, row, column): cells.get((row, column), 0) for column in columns}
        values[(*prefix, row, TOTAL)] = sum(cells.get((row, column), 0) for column in columns)
        equations.append(Equation((*prefix, row, TOTAL), parts))
    for column in columns:
        values[(*prefix, TOTAL, column)] = sum(cells.get((row, column), 0) for row in rows)
        parts = tuple((*prefix, row, column) for row in rows)
        equations.append(Equation((*prefix, TOTAL, column), parts))
    values[grand] = sum(cells.values())
    equations.append(Equation(grand, tuple((*prefix, row, TOTAL) for row in rows)))
    equations.append(Equation(grand, tuple((*prefix, TOTAL, column) for column in columns)))
    return values, equations


def _validate(cells: Mapping[Key, int]) -> None:
    widths = {len(key) for key in cells}
    if widths not in ({1}, {2}):
        raise ValueError("Give a one-way table (keys of one label) or a two-way table (two labels).")
    if any(TOTAL in key for key in cells):
        raise ValueError(f"{TOTAL!r} is reserved for margins.")
    if any(not isinstance(count, int) or count < 0 for count in cells.values()):
        raise ValueError("Counts are whole numbers, never negative.")
