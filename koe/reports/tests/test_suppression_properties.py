"""Seeded random tables: the guarantees hold for every one, checked by our attack and by brute force.

Hypothesis is not a dependency, so cases come from `random.Random(seed)`: a failure prints the
table, and the same seed reproduces it.
"""

import random
from collections.abc import Iterator

import pytest

from koe.reports.pinning import pinned_cells
from koe.reports.suppression import (
    DIFFERENCE,
    INNER,
    OUTER,
    TOTAL,
    DifferencingRefused,
    Key,
    Reason,
    SuppressedTable,
    recoverable_cells,
    suppress_nested,
    suppress_related,
    suppress_table,
)
from koe.reports.tests.test_suppression import naive


def random_tables(
    seed: int, count: int, rows: tuple[int, int], cols: tuple[int, int], most: int
) -> Iterator[dict]:
    rng = random.Random(seed)
    for _ in range(count):
        height, width = rng.randint(*rows), rng.randint(*cols)
        yield {(f"r{r}", f"c{c}"): rng.randint(0, most) for r in range(height) for c in range(width)}


def true_values(cells: dict[Key, int]) -> dict[Key, int]:
    """Every cell and margin, computed here independently of the code under test."""
    values = dict(cells)
    for (row, col), count in cells.items():
        for key in ((row, TOTAL), (TOTAL, col), (TOTAL, TOTAL)):
            values[key] = values.get(key, 0) + count
    return values


def assert_published_safely(cells: dict[Key, int], table: SuppressedTable, threshold: int) -> None:
    truth = true_values(cells)
    assert set(table.cells) == set(truth), cells
    for key, cell in table.cells.items():
        if cell.hidden:
            expected = Reason.PRIMARY if 0 < truth[key] < threshold else Reason.COMPLEMENTARY
            assert cell.reason == expected, (cells, key)
        else:
            assert cell.value == truth[key], (cells, key)
            assert cell.value == 0 or cell.value >= threshold, (cells, key)
            assert cell.value != 0 or _zero_may_show(table, key), (cells, key)
    assert recoverable_cells(table) == [], cells
    assert pinned_cells(table, truth) == [], cells


def _zero_may_show(table: SuppressedTable, key: Key) -> bool:
    totals = [eq.total for eq in table.equations if key in eq.parts]
    return all(not table[total].hidden for total in totals) or any(
        table[total].value == 0 for total in totals
    )


@pytest.mark.parametrize(("most", "seed"), [(30, 1), (8, 2)])
def test_random_two_way_tables_leave_nothing_small_or_recoverable(most: int, seed: int) -> None:
    for cells in random_tables(seed, 300, rows=(2, 6), cols=(2, 5), most=most):
        assert_published_safely(cells, suppress_table(cells, 5), 5)


def test_random_tables_are_safe_at_the_lowest_threshold_too() -> None:
    for cells in random_tables(3, 150, rows=(2, 6), cols=(2, 5), most=12):
        assert_published_safely(cells, suppress_table(cells, 3), 3)


def test_random_one_way_tables_leave_nothing_small_or_recoverable() -> None:
    rng = random.Random(4)
    for _ in range(300):
        cells: dict[Key, int] = {
            (f"c{i}",): rng.randint(0, rng.choice([6, 30])) for i in range(rng.randint(1, 8))
        }
        table = suppress_table(cells, 5)
        total = sum(cells.values())
        assert table[(TOTAL,)].value in (total, None), cells
        for cell in table.cells.values():
            assert cell.value is None or cell.value == 0 or cell.value >= 5, cells
        assert recoverable_cells(table) == [], cells
        assert pinned_cells(table, cells | {(TOTAL,): total}) == [], cells


def test_no_hidden_cell_is_pinned_down_by_any_integer_table() -> None:
    """Brute force, independent of `recovery.py`: every table a reader cannot tell apart."""
    for cells in random_tables(5, 200, rows=(2, 4), cols=(2, 4), most=12):
        table = suppress_table(cells, 5)
        for key, seen in _feasible_values(table, cells).items():
            assert len(seen) >= 2, (cells, key, seen)


def test_the_brute_force_catches_what_naive_output_gives_away() -> None:
    caught = 0
    for cells in random_tables(9, 100, rows=(2, 4), cols=(2, 4), most=12):
        table = naive(cells)
        pinned = {key for key, seen in _feasible_values(table, cells).items() if len(seen) < 2}
        assert pinned >= {key for key, _value in recoverable_cells(table)}, cells
        caught += bool(pinned)
    assert caught > 50


def test_random_nested_filters_never_expose_a_small_difference() -> None:
    rng = random.Random(6)
    refused = 0
    for outer in random_tables(7, 120, rows=(1, 4), cols=(2, 4), most=20):
        inner = {key: rng.randint(0, count) if key[0] != "r0" else 0 for key, count in outer.items()}
        try:
            table = suppress_nested(outer, inner, 5)
        except DifferencingRefused:
            refused += 1
            continue
        truth = _nested_truth(outer, inner)
        for key, value in recoverable_cells(table):
            assert key[0] == DIFFERENCE and not 0 < value < 5, (outer, inner, key)
        for key in pinned_cells(table, truth):
            assert key[0] == DIFFERENCE and not 0 < truth[key] < 5, (outer, inner, key)
    assert refused < 60  # most pairs are shown; the refusal is for small differences only


def test_random_related_breakdowns_never_expose_a_hidden_count() -> None:
    rng = random.Random(8)
    for _ in range(150):
        people = [(rng.choice("ABCD"), rng.choice("xyz")) for _ in range(rng.randint(0, 40))]
        by_first, by_second, both = _tally(people)
        table = suppress_related({"first": by_first, "second": by_second, "both": both}, 5)
        assert recoverable_cells(table) == [], people
        truth = {
            (name, *key): count
            for name, cells in [("first", by_first), ("second", by_second)]
            for key, count in cells.items()
        }
        truth |= {("both", *key): count for key, count in true_values(both).items()} | {(TOTAL,): len(people)}
        assert pinned_cells(table, truth) == [], people
        for name in ("first", "second", "both"):
            shown_total = table.subtable(name).cells[(TOTAL,) * (2 if name == "both" else 1)].value
            assert shown_total in (len(people), None)


def _nested_truth(outer: dict[Key, int], inner: dict[Key, int]) -> dict[Key, int]:
    difference = {key: outer[key] - inner[key] for key in outer}
    return {
        (name, *key): count
        for name, cells in [(OUTER, outer), (INNER, inner), (DIFFERENCE, difference)]
        for key, count in true_values(cells).items()
    }


def _tally(people: list[tuple[str, str]]) -> tuple[dict[Key, int], dict[Key, int], dict[Key, int]]:
    firsts, seconds = "ABCD", "xyz"
    by_first: dict[Key, int] = {(a,): sum(1 for p in people if p[0] == a) for a in firsts}
    by_second: dict[Key, int] = {(b,): sum(1 for p in people if p[1] == b) for b in seconds}
    both: dict[Key, int] = {(a, b): people.count((a, b)) for a in firsts for b in seconds}
    return by_first, by_second, both


def _feasible_values(table: SuppressedTable, cells: dict[Key, int]) -> dict[Key, set[int]]:
    """For each hidden cell, its true value and, if one exists, another value it could have.

    Searches the integer tables consistent with what is shown: whole, non-negative counts, the
    shown counts and totals, and "a hidden cell whose lines show their totals is not zero" (a
    zero there would be shown). A cell with a single possible value is pinned down.
    """
    truth = true_values(cells)
    seen: dict[Key, set[int]] = {}
    for target in table.hidden_keys():
        other = _Search(table, cells, target, truth).run({})
        seen[target] = {truth[target]} | ({other[target]} if other else set())
    return seen


class _Search:
    """Depth first: first the target (any value but its true one), then the hidden inner cells."""

    def __init__(
        self, table: SuppressedTable, cells: dict[Key, int], target: Key, truth: dict[Key, int]
    ) -> None:
        self.table, self.cells, self.target, self.avoid = table, cells, target, truth[target]
        self.cap = truth[(TOTAL, TOTAL)] + 10  # finite, so the search ends; the reader has no such cap
        rows = list(dict.fromkeys(r for r, _ in cells))
        cols = list(dict.fromkeys(c for _, c in cells))
        self.lines = [((r, TOTAL), [(r, c) for c in cols]) for r in rows]
        self.lines += [((TOTAL, c), [(r, c) for r in rows]) for c in cols]
        self.lines += [
            ((TOTAL, TOTAL), [(r, TOTAL) for r in rows]),
            ((TOTAL, TOTAL), [(TOTAL, c) for c in cols]),
        ]
        self.order = [target] + [key for key in table.hidden_keys() if key != target]
        self.lower = {key: _lower(table, key) for key in self.order}

    def value(self, key: Key, guess: dict[Key, int]) -> int | None:
        return self.table[key].value if not self.table[key].hidden else guess.get(key)

    def run(self, guess: dict[Key, int]) -> dict[Key, int] | None:
        """Assign the most constrained unknown next, so that contradictions show early."""
        unknown = [key for key in self.order if key not in guess]
        if not unknown:
            return guess
        ranges = {key: self.options(key, guess) for key in unknown}
        key = self.target if self.target in ranges else min(unknown, key=lambda k: len(ranges[k]))
        for value in ranges[key]:
            if key == self.target and value == self.avoid:
                continue
            found = self.run(guess | {key: value})
            if found:
                return found
        return None

    def options(self, key: Key, guess: dict[Key, int]) -> range:
        """Values `key` can take given the lines it is in; a line's last unknown is forced."""
        low, high = self.lower[key], self.cap
        for total, parts in self.lines:
            if key != total and key not in parts:
                continue
            others = [self.value(p, guess) for p in parts if p != key]
            known = sum(v for v in others if v is not None)
            total_value = self.value(total, guess)
            if key == total and None not in others:
                low, high = max(low, known), min(high, known)
            elif key != total and total_value is not None:
                high = min(high, total_value - known)
                if None not in others:
                    low = max(low, total_value - known)
        return range(low, high + 1)


def _lower(table: SuppressedTable, key: Key) -> int:
    totals = [eq.total for eq in table.equations if key in eq.parts]
    return 1 if all(not table[total].hidden for total in totals) else 0
