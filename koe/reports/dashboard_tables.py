"""Consultations of one population (a scope's cases in one quarter) by company and by one
dimension at a time (category, severity, status, language), published so that no count below
the threshold is shown or can be worked out from all the tables together. Plain JSON results,
kept in a dashboard snapshot.

How:

1. Cases per company, a one-way table, are suppressed once (the rules of ``suppress_table``,
   solved directly: ``_hidden_sizes``). A company hidden there is hidden in every breakdown.
   Shown sizes are the row totals of every breakdown.
2. Per dimension, a value whose column total would be small is merged with the other rare
   values into one column "other values" (adding the next smallest value until that column is
   not small), so every column total can be shown.
3. Per dimension, a company is shown on its own only if every count of its row is 0 or at least
   the threshold. The others (the hidden companies and those with a small count) are published
   together as one row "other companies", and more companies join that row, smallest first,
   until each of its counts is 0 or at least the threshold too. Every published count is then
   0 or at least the threshold, and the table needs no hidden cell at all.
4. What stays unknown is how the "other companies" row splits among its companies, given their
   sizes and its counts: a transportation table with known margins. Such a cell x(i, j) can be
   worked out only if no other company i' of the row has a case outside column j (otherwise
   x(i, j) - 1, x(i', j') - 1, x(i, j') + 1, x(i', j) + 1 fits every margin too). Such a
   company is rare; when it occurs, one more company joins the row, and if none can, the
   dimension is withheld (only the column totals, never a company, are shown).

Dimensions are partitions of the same cases with no cell in common, and they meet only in shown
margins; each is safe alone, so all are safe together (the tests attack them jointly with
``koe.reports.recovery`` and ``koe.reports.pinning``). No engine run is needed at all, so 500
companies take milliseconds. A case counts once per dimension: categories use the
case's first (primary) category, so each dimension partitions the cases, which the row and
column equations above assume.
"""

from collections.abc import Mapping, Sequence
from typing import Any

OTHERS = "others"  # the row of the companies not shown on their own
OTHER_VALUES = "__other_values__"  # the column of the rare values, merged

Json = dict[str, Any]
Grid = dict[str, dict[str, int]]


def suppress_population(
    sizes: Mapping[str, int],
    breakdowns: Mapping[str, Mapping[tuple[str, str], int]],
    values: Mapping[str, Sequence[str]],
    threshold: int,
) -> Json:
    """``sizes``: cases per row (company id as text); ``breakdowns``: per dimension, cases per
    (row, value); ``values``: per dimension, every value in display order. Rows without cases
    may be left out of both: they show zeros."""
    total = sum(sizes.values())
    rows = {row: size for row, size in sizes.items() if size}
    if not rows:
        empty = {name: _empty(values[name]) for name in breakdowns}
        return {"total": 0, "sizes": {}, "others": None, "breakdowns": empty}
    hidden = _hidden_sizes(rows, threshold)
    if hidden is None:
        return {"total": None, "sizes": dict.fromkeys(rows), "others": None, "breakdowns": {}}
    return {
        "total": total,
        "sizes": {row: None if row in hidden else size for row, size in rows.items()},
        "others": sum(rows[row] for row in hidden) if hidden else None,
        "breakdowns": {
            name: _breakdown(rows, hidden, cells, list(values[name]), threshold)
            for name, cells in breakdowns.items()
        },
    }


def _hidden_sizes(sizes: Mapping[str, int], threshold: int) -> set[str] | None:
    """The companies whose size is hidden, or None when the total itself is (too small).

    The rules of ``koe.reports.protection`` for a one-way table, solved directly: the engine's
    exact check costs minutes for a few hundred small counts. A reader knows the hidden sizes'
    sum S (the total minus the sizes shown) and that each is at least 1 (a zero would be shown).
    With k hidden sizes each can be anything from 1 to S - k + 1, so none is known as long as
    k >= 2 and S > k; the product's rule adds S >= threshold. Complements are the smallest
    shown sizes, as the engine would choose.
    """
    if sum(sizes.values()) < threshold:
        return None
    hidden = {row for row, size in sizes.items() if size < threshold}
    shown = sorted((row for row in sizes if row not in hidden), key=lambda row: (sizes[row], row))

    def safe() -> bool:
        total = sum(sizes[row] for row in hidden)
        return not hidden or (len(hidden) >= 2 and total >= threshold and total > len(hidden))

    while not safe():
        if not shown:
            return None
        hidden.add(shown.pop(0))
    return hidden


def _empty(values: Sequence[str]) -> Json:
    return {"columns": list(values), "merged": [], "rows": {}, "others": [], "totals": [0] * len(values),
            "withheld": False}  # fmt: skip


def _breakdown(
    rows: Mapping[str, int],
    hidden: set[str],
    cells: Mapping[tuple[str, str], int],
    values: list[str],
    threshold: int,
) -> Json:
    """One dimension: companies shown on their own, the row of the others, the column totals."""
    merged = _rare_values(cells, values, threshold)
    columns = [value for value in values if value not in merged] + ([OTHER_VALUES] if merged else [])
    grid: Grid = {row: dict.fromkeys(columns, 0) for row in rows}
    for (row, value), count in cells.items():
        grid[row][OTHER_VALUES if value in merged else value] += count
    totals = [sum(line[column] for line in grid.values()) for column in columns]
    result: Json = {"columns": columns, "merged": merged, "totals": totals, "withheld": False}
    pooled = _pooled(grid, hidden, columns, threshold)
    if pooled is None:
        return result | {"rows": {}, "others": [], "withheld": True}
    others = [sum(grid[row][column] for row in pooled) for column in columns]
    shown = {row: [line[column] for column in columns] for row, line in grid.items() if row not in pooled}
    return result | {"rows": shown, "others": others if pooled else [], "pooled": sorted(pooled)}


def _rare_values(cells: Mapping[tuple[str, str], int], values: list[str], threshold: int) -> list[str]:
    """Values merged into "other values": every value with a column total below the threshold,
    ZEROS INCLUDED, and then the smallest others until the merged column itself is not small.

    Zeros go too: were they shown, the note naming the merged values would say which rare value
    (a language, a category, "critical") occurred, and a company with one Nepali-speaking worker
    would know that worker consulted."""
    totals = dict.fromkeys(values, 0)
    for (_row, value), count in cells.items():
        totals[value] += count
    merged = [value for value in values if totals[value] < threshold]
    if not merged:
        return []
    rest = sorted(
        (value for value in values if totals[value] >= threshold), key=lambda v: (totals[v], values.index(v))
    )
    while 0 < sum(totals[value] for value in merged) < threshold and rest:
        merged.append(rest.pop(0))
    return [value for value in values if value in merged]


def _pooled(grid: Grid, hidden: set[str], columns: list[str], threshold: int) -> set[str] | None:
    """The companies of the "other companies" row (module docstring, steps 3 and 4), or None
    when no choice of them keeps every cell of the row safe: the dimension is then withheld."""

    def small(count: int) -> bool:
        return 0 < count < threshold

    pooled = set(hidden) | {row for row, line in grid.items() if any(small(count) for count in line.values())}
    spare = sorted((row for row in grid if row not in pooled), key=lambda row: (sum(grid[row].values()), row))
    while pooled:
        needed = _first_problem(grid, pooled, columns, small)
        if needed is None:
            return pooled
        helper = next((row for row in spare if any(grid[row][column] for column in needed)), None)
        if helper is None:
            return None
        pooled.add(helper)
        spare.remove(helper)
    return pooled


def _first_problem(grid: Grid, pooled: set[str], columns: list[str], small: Any) -> list[str] | None:
    """The columns a new company of the row needs cases in, or None when the row is safe."""
    others = {column: sum(grid[row][column] for row in pooled) for column in columns}
    for column in columns:
        if small(others[column]):
            return [column]  # the row's own count is small: a company with cases there fixes it
    for column in columns:
        # Companies of the row with a case outside this column; a small count of company i in
        # this column is safe when another such company exists.
        outside = [row for row in pooled if any(grid[row][c] for c in columns if c != column)]
        for row in pooled:
            if small(grid[row][column]) and not [other for other in outside if other != row]:
                return [c for c in columns if c != column]
    return None
