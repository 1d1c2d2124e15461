"""The engine behind `suppression.py`: primary and complementary suppression on a set of equations.

Rules, applied until nothing changes, then checked by the attack in `recovery.py`:

1. Primary: a shown count with 0 < value < threshold is hidden, margins included.
2. Zeros are shown, as statistical agencies do, because a true zero describes nobody. Except: a
   zero that is a part of a line whose total is hidden is hidden too. "0, 0, x, total x" would
   tell the reader that the few people of that line all gave the one hidden answer. A zero in a
   line whose total is a shown 0 stays shown: the total already says it.
3. Lines: in a line whose total is shown, the hidden parts must be at least two and hold at least
   `threshold` people together; otherwise the smallest shown non-zero part is hidden too. One
   hidden part equals the total minus the others; two hidden parts holding 2 people are both 1.
4. Totals: a hidden total whose parts are all shown is their sum, so its smallest part is hidden.
5. Anything a reader can still compute gets one more complement, chosen among nearby cells as
   the smallest one that stops that computation; then the rules run again. "Compute" means the
   reader's attack (`recovery.py`: e.g. a cell bridging two blocks of hidden cells, or a count
   that differencing two nested filters reveals) or the exact check (`pinning.py`).

Zeros are never chosen as complements: a hidden zero would protect nobody, and keeping that true
is what lets the attack assume "hidden and in shown lines means at least 1".
"""

from collections import defaultdict
from collections.abc import Mapping

from koe.reports.pinning import pinned_cells
from koe.reports.recovery import recoverable_cells
from koe.reports.tables import Cell, Equation, Key, Reason, SuppressedTable

_TRIES = 8  # complements tried per leak before settling for the smallest; tables are small


class _Work:
    def __init__(
        self,
        values: Mapping[Key, int],
        equations: tuple[Equation, ...],
        unpublished: frozenset[Key],
        threshold: int,
    ) -> None:
        self.values = dict(values)
        self.equations = equations
        self.unpublished = unpublished
        self.threshold = threshold
        self.hidden: dict[Key, Reason] = {}
        self.order = {key: i for i, key in enumerate(values)}
        self.part_of: dict[Key, list[Equation]] = defaultdict(list)
        self.member_of: dict[Key, list[Equation]] = defaultdict(list)
        for eq in equations:
            for part in eq.parts:
                self.part_of[part].append(eq)
            for key in eq.members():
                self.member_of[key].append(eq)

    def is_hidden(self, key: Key) -> bool:
        return key in self.hidden or key in self.unpublished

    def shows(self, key: Key) -> bool:
        return not self.is_hidden(key)

    def protects(self, key: Key) -> bool:
        """Must a reader be kept from computing this cell? Unpublished ones only when small."""
        if key in self.unpublished:
            return 0 < self.values[key] < self.threshold
        return key in self.hidden

    def hide(self, key: Key, reason: Reason) -> bool:
        if self.is_hidden(key):
            return False
        self.hidden[key] = reason
        return True

    def best_complement(self, keys: list[Key], line: Equation) -> Key | None:
        """The shown non-zero cell whose hiding opens the fewest new lines, then the smallest.

        A cell whose other line already hides something closes two gaps at once; without this
        preference the smallest cell often starts a chain of complements across the table.
        """
        candidates = [key for key in keys if self.shows(key) and self.values[key] > 0]
        return min(
            candidates,
            key=lambda key: (self.lines_opened(key, line), self.values[key], self.order[key]),
            default=None,
        )

    def lines_opened(self, key: Key, line: Equation) -> int:
        return sum(
            1
            for eq in self.part_of[key]
            if eq != line and self.shows(eq.total) and not any(self.is_hidden(part) for part in eq.parts)
        )

    def published(self) -> SuppressedTable:
        cells = {
            key: Cell(None, self.hidden[key]) if key in self.hidden else Cell(value)
            for key, value in self.values.items()
            if key not in self.unpublished
        }
        return SuppressedTable(self.threshold, cells, self.equations, self.unpublished)


def protect(
    values: Mapping[Key, int],
    equations: tuple[Equation, ...],
    threshold: int,
    unpublished: frozenset[Key] = frozenset(),
) -> SuppressedTable:
    """Hide what the rules above require, then complement until the attack finds nothing."""
    work = _Work(values, equations, unpublished, threshold)
    for key, value in work.values.items():
        if key not in unpublished and 0 < value < threshold:
            work.hide(key, Reason.PRIMARY)
    while True:
        _apply_rules(work)
        leak = _first_leak(work)
        if leak is None:
            return work.published()
        choice = _complement_for(work, leak)
        if choice is None:
            return _hide_everything(work)
        work.hide(choice, Reason.COMPLEMENTARY)


def _apply_rules(work: _Work) -> None:
    while _hide_zeros(work) | _protect_lines(work) | _protect_totals(work):
        pass


def _hide_zeros(work: _Work) -> bool:
    changed = False
    for key, value in work.values.items():
        lines = work.part_of[key]
        if value == 0 and work.shows(key) and any(work.is_hidden(eq.total) for eq in lines):
            said_by_total = any(work.shows(eq.total) and work.values[eq.total] == 0 for eq in lines)
            if not said_by_total:
                changed = work.hide(key, Reason.COMPLEMENTARY) or changed
    return changed


def _protect_lines(work: _Work) -> bool:
    changed = False
    for eq in work.equations:
        hidden = [part for part in eq.parts if work.is_hidden(part)]
        if not work.shows(eq.total) or not any(work.protects(part) for part in hidden):
            continue
        if len(hidden) == 1 or sum(work.values[part] for part in hidden) < work.threshold:
            choice = work.best_complement(list(eq.parts), eq) or work.best_complement([eq.total], eq)
            if choice is not None:
                changed = work.hide(choice, Reason.COMPLEMENTARY) or changed
    return changed


def _protect_totals(work: _Work) -> bool:
    changed = False
    for eq in work.equations:
        if work.protects(eq.total) and all(work.shows(part) for part in eq.parts):
            choice = work.best_complement(list(eq.parts), eq)
            if choice is not None:
                changed = work.hide(choice, Reason.COMPLEMENTARY) or changed
    return changed


def _first_leak(work: _Work) -> Key | None:
    return next(iter(_leaks(work)), None)


def _leaks(work: _Work) -> list[Key]:
    """Protected cells a reader can compute: the reader's own attack first, then the exact check."""
    table = work.published()
    found = [key for key, _value in recoverable_cells(table) if work.protects(key)]
    return found or [key for key in pinned_cells(table, work.values) if work.protects(key)]


def _complement_for(work: _Work, leak: Key) -> Key | None:
    """The nearest, smallest shown cell whose hiding stops the computation of `leak`."""
    candidates = _nearby_candidates(work, leak)
    for choice in candidates[:_TRIES]:
        work.hidden[choice] = Reason.COMPLEMENTARY
        still_leaks = leak in _leaks(work)
        del work.hidden[choice]
        if not still_leaks:
            return choice
    return candidates[0] if candidates else None


def _nearby_candidates(work: _Work, leak: Key) -> list[Key]:
    """Shown non-zero cells ordered by how many equations away from `leak` they are, then size."""
    distance = {leak: 0}
    frontier = [leak]
    while frontier:
        next_frontier = []
        for key in frontier:
            for neighbour in (k for eq in work.member_of[key] for k in eq.members()):
                if neighbour not in distance:
                    distance[neighbour] = distance[key] + 1
                    next_frontier.append(neighbour)
        frontier = next_frontier
    shown = [key for key in distance if work.shows(key) and work.values[key] > 0]
    return sorted(shown, key=lambda key: (distance[key], work.values[key], work.order[key]))


def _hide_everything(work: _Work) -> SuppressedTable:
    """Last resort if no complement is left: show nothing rather than a computable count."""
    for key in work.values:
        if key not in work.unpublished:
            work.hide(key, Reason.COMPLEMENTARY)
    return work.published()
