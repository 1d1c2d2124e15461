"""The exact check suppression runs with the true values: can a reader pin a hidden cell down?

`recovery.py` is the attack a reader runs without the true values. It misses one case: a hidden
cell that sits at the least value the reader knows it can have (a hidden 1 in lines whose totals
are shown, where a zero would have been shown), which blocks every other way the hidden cells
could be redistributed. Example: two hidden 1s whose sum, 2, only follows from combining four
lines; each is then 1.

With the true values the question is exact (over real numbers). The hidden values can move
along directions that keep every equation true; a cell already at its least value may only
move up. A cell is pinned when no such direction moves it: a small linear program, solved here
with exact fractions. In a two-way table these directions are cycles of +1/-1 around rows and
columns, so a cell that can move over the reals can also take another whole value.
"""

from collections import Counter
from collections.abc import Mapping
from fractions import Fraction

from koe.reports.recovery import lower_bounds
from koe.reports.tables import Equation, Key, SuppressedTable

Form = dict[int, Fraction]  # a cell's change as a linear form of the free directions


def pinned_cells(table: SuppressedTable, truth: Mapping[Key, int]) -> list[Key]:
    """Hidden or unpublished cells that take one value in every table consistent with this one.

    Hidden cells tied to the others by a single equation (a one-way table, a group of a large
    breakdown) are decided directly, without the linear programs, which cost minutes for a few
    hundred hidden counts; the other equations go through the general check.
    """
    visible = {key: cell.value for key, cell in table.cells.items() if cell.value is not None}
    unknown = [key for key in table.cells if key not in visible] + sorted(table.unpublished)
    lower = lower_bounds(table.equations, visible, table.unpublished, unknown)
    single, rest = _single_equation_parts(table.equations, visible)
    pinned: set[Key] = set()
    for eq in single:
        pinned |= _pinned_by_one_equation(eq, visible, lower, truth)
    if rest:
        general = SuppressedTable(table.threshold, table.cells, tuple(rest), table.unpublished)
        pinned |= set(_pinned_general(general, truth, {key for eq in rest for key in eq.members()}))
    return [key for key in unknown if key in pinned]


def _single_equation_parts(
    equations: tuple[Equation, ...], visible: Mapping[Key, int]
) -> tuple[list[Equation], list[Equation]]:
    """Equations whose hidden cells appear in no other equation (and once in it), and the rest."""
    uses: Counter[Key] = Counter()
    for eq in equations:
        uses.update(key for key in eq.members() if key not in visible)
    single, rest = [], []
    for eq in equations:
        hidden = [key for key in eq.members() if key not in visible]
        if hidden and all(uses[key] == 1 for key in hidden):
            single.append(eq)
        elif hidden:
            rest.append(eq)
    return single, rest


def _pinned_by_one_equation(
    eq: Equation, visible: Mapping[Key, int], lower: Mapping[Key, int], truth: Mapping[Key, int]
) -> set[Key]:
    """``total = sum(parts)`` alone: with a hidden total, every cell can grow with it (a lone
    hidden total is the sum of shown parts); with a shown total, the hidden parts are pinned when
    there is one, or when all sit at their least value (their sum leaves no room)."""
    hidden_parts = [key for key in eq.parts if key not in visible]
    if eq.total not in visible:
        return {eq.total} if not hidden_parts else set()
    if len(hidden_parts) == 1 or all(truth[key] == lower[key] for key in hidden_parts):
        return set(hidden_parts)
    return set()


def _pinned_general(table: SuppressedTable, truth: Mapping[Key, int], involved: set[Key]) -> list[Key]:
    visible = {key: cell.value for key, cell in table.cells.items() if cell.value is not None}
    unknown = [key for key in table.cells if key not in visible and key in involved]
    unknown += sorted(key for key in table.unpublished if key in involved)
    lower = lower_bounds(table.equations, visible, table.unpublished, unknown)
    forms = _directions(table, unknown, visible)
    at_floor = [forms[key] for key in unknown if truth[key] == lower[key]]
    movable = _moved_along_single_directions(forms, at_floor)
    for key in unknown:
        if key in movable or not forms[key]:
            continue
        moved = _move(forms, key, at_floor)
        movable |= {other for other in unknown if _apply(forms[other], moved)}
    return [key for key in unknown if key not in movable]


def _moved_along_single_directions(forms: Mapping[Key, Form], at_floor: list[Form]) -> set[Key]:
    """Cells that change when one free unknown moves alone: cheap, and usually most of them."""
    moved: set[Key] = set()
    for col in {c for form in forms.values() for c in form}:
        if all(form.get(col, 0) >= 0 for form in at_floor) or all(form.get(col, 0) <= 0 for form in at_floor):
            moved |= {key for key, form in forms.items() if form.get(col)}
    return moved


def _directions(table: SuppressedTable, unknown: list[Key], visible: Mapping[Key, int]) -> dict[Key, Form]:
    """Reduce the equations (Gauss-Jordan) and write each unknown's change in the free unknowns."""
    index = {key: i for i, key in enumerate(unknown)}
    pivots: dict[int, dict[int, Fraction]] = {}
    for eq in table.equations:
        row: dict[int, Fraction] = {}
        for key, sign in [(eq.total, 1), *((part, -1) for part in eq.parts)]:
            if key not in visible:
                row[index[key]] = row.get(index[key], Fraction(0)) + sign
        for col, pivot in pivots.items():
            row = _eliminate(row, pivot, col)
        row = {c: v for c, v in row.items() if v}
        if row:
            col = min(row)
            row = {c: v / row[col] for c, v in row.items()}
            pivots = {c: _eliminate(p, row, col) for c, p in pivots.items()}
            pivots[col] = row
    free = [i for i in range(len(unknown)) if i not in pivots]
    forms: dict[Key, Form] = {unknown[i]: {i: Fraction(1)} for i in free}
    for col, row in pivots.items():
        forms[unknown[col]] = {c: -v for c, v in row.items() if c != col}
    return forms


def _eliminate(row: dict[int, Fraction], pivot: dict[int, Fraction], col: int) -> dict[int, Fraction]:
    factor = row.get(col)
    if not factor:
        return row
    merged = {
        c: row.get(c, Fraction(0)) - factor * pivot.get(c, Fraction(0)) for c in row.keys() | pivot.keys()
    }
    return {c: v for c, v in merged.items() if v}


def _apply(form: Form, direction: Form) -> Fraction:
    return sum((v * direction.get(c, Fraction(0)) for c, v in form.items()), Fraction(0))


def _move(forms: Mapping[Key, Form], key: Key, at_floor: list[Form]) -> Form:
    """A direction that changes `key` and lowers no cell at its floor, or {} if none exists."""
    free = sorted({c for form in forms.values() for c in form})
    for sign in (1, -1):
        objective = {c: sign * v for c, v in forms[key].items()}
        value, direction = _maximise(objective, at_floor, free)
        if value > 0:
            return direction
    return {}


def _maximise(objective: Form, at_floor: list[Form], free: list[int]) -> tuple[Fraction, Form]:
    """max objective(d) subject to floor(d) >= 0 for each floor form and -1 <= d <= 1.

    Written as d = up - down with up, down in [0, 1], so that zero is a feasible start.
    """
    n = len(free)
    rows: list[list[Fraction]] = []
    for form in at_floor:
        coefficients = [-form.get(c, Fraction(0)) for c in free]
        rows.append(coefficients + [-v for v in coefficients])
    for i in range(2 * n):
        rows.append([Fraction(int(i == j)) for j in range(2 * n)])
    bounds = [Fraction(0)] * len(at_floor) + [Fraction(1)] * (2 * n)
    gains = [objective.get(c, Fraction(0)) for c in free]
    value, solution = simplex(gains + [-v for v in gains], rows, bounds)
    return value, {c: solution[i] - solution[n + i] for i, c in enumerate(free)}


def simplex(
    gains: list[Fraction], rows: list[list[Fraction]], bounds: list[Fraction]
) -> tuple[Fraction, list[Fraction]]:
    """max gains.u subject to rows.u <= bounds, u >= 0, for bounds >= 0 and a bounded optimum.

    Exact arithmetic and Bland's rule (lowest index enters and leaves), which cannot cycle.
    """
    m, n = len(rows), len(gains)
    tableau = [row + [Fraction(int(i == j)) for j in range(m)] + [bounds[i]] for i, row in enumerate(rows)]
    costs = [-g for g in gains] + [Fraction(0)] * (m + 1)
    basis = [n + i for i in range(m)]
    while (col := next((j for j in range(n + m) if costs[j] < 0), None)) is not None:
        candidates = [
            (tableau[i][-1] / tableau[i][col], basis[i], i) for i in range(m) if tableau[i][col] > 0
        ]
        _ratio, _var, pivot = min(candidates)
        _pivot(tableau, costs, pivot, col)
        basis[pivot] = col
    solution = [Fraction(0)] * (n + m)
    for i, var in enumerate(basis):
        solution[var] = tableau[i][-1]
    return costs[-1], solution[:n]


def _pivot(tableau: list[list[Fraction]], costs: list[Fraction], pivot: int, col: int) -> None:
    head = tableau[pivot][col]
    tableau[pivot] = [v / head for v in tableau[pivot]]
    nonzero = [(j, v) for j, v in enumerate(tableau[pivot]) if v]
    for row in [*(r for i, r in enumerate(tableau) if i != pivot), costs]:
        factor = row[col]
        if factor:
            for j, v in nonzero:
                row[j] -= factor * v
