"""What a suppressed table is: published cells, the additive equations a reader knows, and the mark.

A table is modelled as cells tied by equations "total = sum of parts" (a row, a column, the line
of margins, a shared population total). The same model serves one-way breakdowns, two-way tables
and several related tables at once, so that one attack (`recovery.py`) checks all of them.

A `SuppressedTable` holds only what may be shown: a hidden cell's true value is not in it, so a
template bug cannot leak it.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

Key = tuple[str, ...]
# What callers pass: one-way `{("Vietnam",): 12}` or two-way `{("Supplier A", "yes"): 3}` counts.
# Spelled out because a mapping's key type is invariant: `dict[tuple[str], int]` is no `Mapping[Key, int]`.
Counts = Mapping[tuple[str], int] | Mapping[tuple[str, str], int] | Mapping[Key, int]

# The label of a margin. Callers' labels may not use it (checked when a table is built).
TOTAL = "__total__"

# The one mark for a hidden count, whatever the reason. Japan's official statistics and
# Statistics Canada both use "x" for "concealed to protect respondents", while a dash reads as
# zero to Japanese readers. Primary and complementary cells share the mark: a separate "<5" for
# primary cells would tell a reader which hidden cells are small, and so narrow the others.
HIDDEN_MARK = "x"


class Reason(StrEnum):
    """Why a cell is hidden. For staff and tests only: readers see one mark for both."""

    PRIMARY = "primary"  # the count itself is below the threshold
    COMPLEMENTARY = "complementary"  # hidden so that another hidden count cannot be worked out


class Equation(NamedTuple):
    """`total` equals the sum of `parts`; every reader of the table knows this."""

    total: Key
    parts: tuple[Key, ...]

    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class Cell:
    value: int | None
    reason: Reason | None = None

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class SuppressedTable:
    """Published cells (margins included, keyed with `TOTAL`) and the equations between them.

    `unpublished` names cells that take part in the equations but are never shown, such as the
    difference between two nested filters: a reader cannot see them but can try to compute them.
    """

    threshold: int
    cells: Mapping[Key, Cell]
    equations: tuple[Equation, ...]
    unpublished: frozenset[Key] = field(default_factory=frozenset)

    def __getitem__(self, key: Key) -> Cell:
        return self.cells[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self.cells)

    def labels(self, position: int = 0) -> list[str]:
        """Distinct labels at one position of the keys, in the order they were given, margins last."""
        seen = dict.fromkeys(key[position] for key in self.cells if len(key) > position)
        return [label for label in seen if label != TOTAL] + ([TOTAL] if TOTAL in seen else [])

    def hidden_keys(self) -> list[Key]:
        return [key for key, cell in self.cells.items() if cell.hidden]

    def subtable(self, name: str) -> "SuppressedTable":
        """One breakdown of a combined table (`suppress_related`, `suppress_nested`), for display.

        A shared population total `(TOTAL,)` becomes the breakdown's own grand total. Attack the
        combined table, not the subtables: only it carries the equations that tie them together.
        """
        own = {key[1:]: cell for key, cell in self.cells.items() if key[:1] == (name,)}
        if not own:
            raise KeyError(name)
        grand = (TOTAL,) * max(len(key) for key in own)
        rename = {(name, *key): key for key in own} | {(TOTAL,): grand}
        if (TOTAL,) in self.cells:
            own[grand] = self.cells[(TOTAL,)]
        equations = tuple(
            Equation(rename[eq.total], tuple(rename[part] for part in eq.parts))
            for eq in self.equations
            if all(key in rename for key in eq.members())
        )
        return SuppressedTable(self.threshold, own, equations)


def display(value: Cell | int | None) -> str:
    """The text shown for a count. Templates add the legend that explains `HIDDEN_MARK`."""
    if isinstance(value, Cell):
        value = value.value
    return HIDDEN_MARK if value is None else str(value)
