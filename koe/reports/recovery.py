"""The attack a reader can make on a suppressed table; suppression uses it to check its own work.

The reader knows the visible counts, the equations (rows, columns and margins add up), that no
count is negative, and the publication rule itself: zeros are shown unless they sit in a line
whose total is hidden, so a hidden cell whose lines all show their totals is at least 1. Two
methods are combined until neither finds anything new:

* bounds propagation: from each equation, narrow every cell to an interval; an interval of one
  value is a recovered count (this also finds "total minus the visible cells" and "two hidden
  cells that must both be 1");
* linear elimination over the integers: any hidden cell fixed by some combination of equations,
  e.g. a cell bridging two blocks of hidden cells, which no single row or column reveals.

It is quick but not complete: it does not solve the linear program over all the equations at
once (two hidden 1s whose sum only follows from four lines together). `pinning.py` does, using
the true values, and suppression runs both. Neither reasons about which cells the algorithm would
have chosen as complements.
"""

import math
from collections.abc import Iterable, Mapping

from koe.reports.tables import Equation, Key, SuppressedTable

_MAX_ROUNDS = 10_000  # propagation converges long before this; the cap only guards a bad input
Row = tuple[dict[int, int], int]  # coefficients by unknown, constant


def recoverable_cells(table: SuppressedTable) -> list[tuple[Key, int]]:
    """Every hidden or unpublished cell a reader can compute exactly, with the computed value."""
    visible = {key: cell.value for key, cell in table.cells.items() if cell.value is not None}
    unknown = [key for key in table.cells if key not in visible] + sorted(table.unpublished)
    lower = lower_bounds(table.equations, visible, table.unpublished, unknown)
    known = solve(table.equations, visible, lower)
    return [(key, known[key]) for key in unknown if key in known]


def lower_bounds(
    equations: Iterable[Equation],
    visible: Mapping[Key, int],
    unpublished: Iterable[Key],
    unknown: Iterable[Key],
) -> dict[Key, int]:
    """What a reader knows from below: 1 where a zero would have been shown, else 0."""
    equations = tuple(equations)
    never_shown = set(unpublished)
    bounds = {}
    for key in unknown:
        totals = [eq.total for eq in equations if key in eq.parts]
        shows_zero = key not in never_shown and all(total in visible for total in totals)
        bounds[key] = 1 if shows_zero else 0
    return bounds


def solve(
    equations: Iterable[Equation], visible: Mapping[Key, int], lower: Mapping[Key, int]
) -> dict[Key, int]:
    """All values a reader can pin down, the visible ones included."""
    equations = tuple(equations)
    known = dict(visible)
    while True:
        found = _by_bounds(equations, known, lower) | _by_elimination(equations, known)
        if not found:
            return known
        known.update(found)


def _by_bounds(
    equations: tuple[Equation, ...], known: dict[Key, int], lower: Mapping[Key, int]
) -> dict[Key, int]:
    lo: dict[Key, float] = {key: value for key, value in known.items()}
    hi: dict[Key, float] = dict(lo)
    for key, bound in lower.items():
        if key not in known:
            lo[key], hi[key] = bound, math.inf
    for _ in range(_MAX_ROUNDS):
        changed = [_tighten(eq, lo, hi) for eq in equations]
        if not any(changed):
            break
    return {key: int(lo[key]) for key in lower if key not in known and lo[key] == hi[key]}


def _tighten(eq: Equation, lo: dict[Key, float], hi: dict[Key, float]) -> bool:
    """Narrow every cell of `total = sum(parts)` from the intervals of the others."""
    changed = _narrow(eq.total, sum(lo[p] for p in eq.parts), sum(hi[p] for p in eq.parts), lo, hi)
    for part in eq.parts:
        others = [p for p in eq.parts if p != part]
        least = lo[eq.total] - sum(hi[p] for p in others)  # lo is always finite: no inf - inf
        most = hi[eq.total] - sum(lo[p] for p in others)
        changed = _narrow(part, least, most, lo, hi) or changed
    return changed


def _narrow(key: Key, least: float, most: float, lo: dict[Key, float], hi: dict[Key, float]) -> bool:
    least = math.ceil(least) if math.isfinite(least) else least
    most = math.floor(most) if math.isfinite(most) else most
    changed = False
    if least > lo[key]:
        lo[key], changed = least, True
    if most < hi[key]:
        hi[key], changed = most, True
    return changed


def _by_elimination(equations: tuple[Equation, ...], known: Mapping[Key, int]) -> dict[Key, int]:
    """Cells whose value follows from the equations alone (Gauss-Jordan over the integers).

    After full reduction every pivot column appears in its pivot row only, so a cell is fixed by
    the system exactly when its pivot row has no other unknown.
    """
    unknowns = sorted({key for eq in equations for key in eq.members() if key not in known})
    index = {key: i for i, key in enumerate(unknowns)}
    pivots: dict[int, Row] = {}
    for eq in equations:
        row = _row(eq, known, index)
        for col, pivot in pivots.items():
            row = _eliminate(row, pivot, col)
        if not row[0]:
            continue
        col = min(row[0])
        pivots = {c: _eliminate(p, row, col) for c, p in pivots.items()}
        pivots[col] = row
    return {
        unknowns[col]: rhs // coeffs[col]
        for col, (coeffs, rhs) in pivots.items()
        if len(coeffs) == 1 and rhs % coeffs[col] == 0
    }


def _row(eq: Equation, known: Mapping[Key, int], index: Mapping[Key, int]) -> Row:
    coeffs: dict[int, int] = {}
    constant = 0
    for key, sign in [(eq.total, 1), *((part, -1) for part in eq.parts)]:
        if key in known:
            constant -= sign * known[key]
        else:
            coeffs[index[key]] = coeffs.get(index[key], 0) + sign
    return {c: v for c, v in coeffs.items() if v}, constant


def _eliminate(row: Row, pivot: Row, col: int) -> Row:
    """Remove `col` from `row` using `pivot`, keeping integers small by their common divisor."""
    coeffs, constant = row
    if col not in coeffs:
        return row
    a, b = pivot[0][col], coeffs[col]
    merged = {c: a * coeffs.get(c, 0) - b * pivot[0].get(c, 0) for c in coeffs.keys() | pivot[0].keys()}
    merged = {c: v for c, v in merged.items() if v}
    constant = a * constant - b * pivot[1]
    divisor = math.gcd(constant, *merged.values()) or 1
    return {c: v // divisor for c, v in merged.items()}, constant // divisor
