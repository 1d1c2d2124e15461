"""Self-check aggregates for company and public reports: counted in the database, suppressed once.

Counting: `aggregate(responses, dimension)` is one query. Per group of the dimension (employer,
nationality, residence status, industry, prefecture, round, or none): the respondents, how many
show each tag of `koe.surveys.indicators`, how many have a red flag, by conditional aggregation
over the snapshot taken at submission (`COUNT(shown_tags) FILTER (WHERE shown_tags & mask > 0)`,
on SQLite and PostgreSQL alike). The caller scopes the queryset (`responses_in_supply_chain`,
`responses_of_employer`, or a selector that knows the acting user); drafts never count.

Suppression: a report shows each group's respondents n_g and, for each of 27 measures (26 tags
and the red flag), the two-way table group x {shown, not shown}: 27 tables whose row totals are
the same n_g and whose grand total is the population N; two breakdowns of one population (by
nationality, by residence status) also share each measure's column totals. A shared cell hidden
in one table and shown in another undoes the suppression. `suppress_related` cannot say so (its
breakdowns share only the grand total, each keeps its own row totals), and one combined table of
every equation, though correct, is far too slow for the engine (100 groups x 27 measures took
113 s in a trial; a brand holder has 500 suppliers). So the shared cells are settled first:

1. Group sizes, a one-way table, are suppressed once (`suppress_related` across the breakdowns
   shown together, `suppress_nested` for a population and a part of it). A group hidden there
   is hidden in every measure; the measure tables have one row "other groups" in place of the
   hidden ones, whose size (N minus the sizes shown) any reader can compute and which is at least
   the threshold (the one-way rule). Every row total of a measure table is then shown.
2. Each measure's table is suppressed on its own. Its margins (row totals, column totals, N) are
   the shared cells and must stay shown; a measure whose table cannot keep them (a column total
   below the threshold, say) is withheld: every count of it hidden, in every report suppressed
   with this one.
3. For speed the engine sees a measure's table in blocks of about BLOCK_ROWS rows (those with a
   small count first, so that they protect one another and the other blocks need no engine at
   all) whose own column totals are 0 or at least the threshold, each suppressed as if its
   totals were published. A reader who knew those totals would learn nothing the engine did not
   allow, and the real reader knows less (only their sum). A block that cannot keep its totals
   shown is merged with its neighbour and tried again.

Why the union is safe (the tests attack the joint system of all the tables with
`koe.reports.recovery` and `koe.reports.pinning`): the tables meet only in margins, which are
shown, hence constants, so each table checked by the engine alone stays safe among the others.
A withheld measure shows only row totals of at least the threshold: each hidden count can lie
anywhere from 0 to its group's size. The measure tables say nothing about the sizes of the hidden
groups, since any split of "other groups" among them fits.

Rates (count / respondents) are shown only where both are. Suppressing 500 groups still takes
about half a second (the engine's exact checks); a report depends on nothing but its counts, so
the hidden cells are cached under a hash of them, and a new submission changes the key.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThan
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, gettext_lazy

from koe.accounts.models import Nationality, ResidenceStatus
from koe.organizations.japan import INDUSTRY_CHOICES, PREFECTURE_CHOICES
from koe.organizations.models import Organization
from koe.organizations.selectors import _supply_chain_sql
from koe.reports.suppression import (
    INNER,
    OUTER,
    TOTAL,
    DifferencingRefused,
    Key,
    SuppressedTable,
    display,
    resolve_threshold,
    suppress_nested,
    suppress_related,
    suppress_table,
)
from koe.surveys.indicators import ALL_TAGS, TAGS_BY_CODE
from koe.surveys.models import Response, ResponseStatus

RED_FLAG = "red_flag"
MEASURES: tuple[str, ...] = (*(tag.code for tag in ALL_TAGS), RED_FLAG)
DIMENSION_FIELDS = {
    "employer": "employer_id",
    "nationality": "nationality",
    "residence_status": "residence_status",
    "industry": "industry",
    "prefecture": "prefecture",
    "round": "round",
}
DIMENSIONS: tuple[str | None, ...] = (*DIMENSION_FIELDS, None)

SHOWN, NOT_SHOWN = "shown", "not_shown"
OTHERS = "others"  # the row of the groups hidden for their size; group rows are "g:<key>"
ALL = "all"  # the one group of dimension None
NOT_RECORDED = gettext_lazy("Not recorded")
CACHE_SECONDS = 24 * 3600
BLOCK_ROWS = 6  # rows the engine sees at a time (module docstring)
_CACHE_VERSION = 1  # raise when the way cells are chosen changes

Label = str | Promise


# Scopes --------------------------------------------------------------------------------------


def submitted_responses() -> QuerySet[Response]:
    return Response.objects.filter(status=ResponseStatus.SUBMITTED)


def responses_of_employer(organization: Organization) -> QuerySet[Response]:
    return submitted_responses().filter(employer=organization)


def responses_in_supply_chain(brand_holder: Organization) -> QuerySet[Response]:
    """Responses of the brand holder's own workers and of every company in its supply chain.

    The chain is a lazy subquery (the recursive CTE of the organisation selectors), so counting
    stays one query whatever the chain's size.
    """
    chain = Organization.objects.filter(
        Q(pk=brand_holder.pk) | Q(pk__in=RawSQL(_supply_chain_sql(), [brand_holder.pk]))  # noqa: S611
    )
    return submitted_responses().filter(employer__in=chain.values("pk"))


# Counting in the database ---------------------------------------------------------------------


@dataclass(frozen=True)
class GroupCounts:
    key: str  # the dimension's value as text, "" when not recorded
    label: Label
    respondents: int
    shown: Mapping[str, int]  # measure code -> respondents showing it


@dataclass(frozen=True)
class Aggregate:
    dimension: str | None
    groups: tuple[GroupCounts, ...]

    @property
    def respondents(self) -> int:
        return sum(group.respondents for group in self.groups)


def _counts() -> dict[str, Any]:
    # COUNT(shown_tags), never null, rather than COUNT(id): PostgreSQL can then answer from an
    # index of the columns read here, without the table (Django refuses COUNT(*) FILTER).
    counts: dict[str, Any] = {"respondents": Count("*")}
    for tag in ALL_TAGS:
        shows = GreaterThan(F("shown_tags").bitand(tag.mask), 0)
        counts[f"m_{tag.code}"] = Count("shown_tags", filter=shows)
    counts[f"m_{RED_FLAG}"] = Count("shown_tags", filter=Q(red_flag=True))
    return counts


def aggregate(responses: QuerySet[Response], dimension: str | None) -> Aggregate:
    """Respondents and the respondents showing each measure, per group: one query."""
    submitted = responses.filter(status=ResponseStatus.SUBMITTED).order_by()
    if dimension is None:
        row = submitted.aggregate(**_counts())
        groups = [_group_counts(ALL, gettext_lazy("All respondents"), row)] if row["respondents"] else []
        return Aggregate(None, tuple(groups))
    if dimension not in DIMENSION_FIELDS:
        raise ValueError(f"Unknown dimension {dimension!r}: one of {DIMENSIONS}.")
    field = DIMENSION_FIELDS[dimension]
    fields = [field, "employer__name"] if dimension == "employer" else [field]
    rows = submitted.values(*fields).annotate(**_counts())
    ordered = sorted(rows, key=lambda row: _sort_key(dimension, row))
    return Aggregate(dimension, tuple(_group_counts(*_key_and_label(dimension, row), row) for row in ordered))


def _group_counts(key: str, label: Label, row: Mapping[str, Any]) -> GroupCounts:
    shown = {measure: row[f"m_{measure}"] for measure in MEASURES}
    return GroupCounts(key=key, label=label, respondents=row["respondents"], shown=shown)


_CHOICES: dict[str, dict[str, Label]] = {
    "nationality": dict(Nationality.choices),
    "residence_status": dict(ResidenceStatus.choices),
    "industry": dict(INDUSTRY_CHOICES),
    "prefecture": dict(PREFECTURE_CHOICES),
}


def _key_and_label(dimension: str, row: Mapping[str, Any]) -> tuple[str, Label]:
    value = row[DIMENSION_FIELDS[dimension]]
    if value in (None, ""):
        return "", NOT_RECORDED
    if dimension == "employer":
        return str(value), row["employer__name"]
    if dimension == "round":
        return str(value), round_label(value)
    return value, _CHOICES[dimension].get(value, value)


def _round_label(number: int) -> str:
    return gettext("Round %(number)s") % {"number": number}


round_label: Callable[[int], Label] = lazy(_round_label, str)


def _sort_key(dimension: str, row: Mapping[str, Any]) -> tuple[Any, ...]:
    """Not recorded last; employers by name, rounds by number, codes in the order of their choices."""
    value = row[DIMENSION_FIELDS[dimension]]
    if value in (None, ""):
        return (1,)
    if dimension == "employer":
        return (0, row["employer__name"].casefold(), value)
    if dimension == "round":
        return (0, value)
    order = list(_CHOICES[dimension])
    return (0, order.index(value) if value in order else len(order), value)


# Reports --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    count: int | None  # None: hidden
    rate: float | None  # share of the group's respondents; None where the count or the group is hidden

    @property
    def hidden(self) -> bool:
        return self.count is None

    def __str__(self) -> str:
        return display(self.count)


HIDDEN = Figure(None, None)


@dataclass(frozen=True)
class GroupReport:
    key: str
    label: Label
    respondents: int | None  # None: hidden
    figures: Mapping[str, Figure]  # measure code (tag code or RED_FLAG) -> figure

    @property
    def hidden(self) -> bool:
        return self.respondents is None

    @property
    def red_flag(self) -> Figure:
        return self.figures[RED_FLAG]


@dataclass(frozen=True)
class Report:
    dimension: str | None
    threshold: int
    groups: tuple[GroupReport, ...]  # every group, in order; hidden ones show nothing
    others: GroupReport | None  # the hidden groups together, when there are any
    total: GroupReport
    withheld: frozenset[str]  # measures hidden throughout (see the module docstring)

    @property
    def measures(self) -> tuple[str, ...]:
        return MEASURES


def measure_label(code: str) -> Label:
    return gettext_lazy("Red flag") if code == RED_FLAG else TAGS_BY_CODE[code].label


def suppressed_report(counts: Aggregate, threshold: int | None = None) -> Report:
    """The report of one breakdown, small numbers suppressed; cached by its counts."""
    return suppressed_related_reports({"report": counts}, threshold)["report"]


def suppressed_related_reports(
    breakdowns: Mapping[str, Aggregate], threshold: int | None = None
) -> dict[str, Report]:
    """Several breakdowns of one population shown together (by nationality and by residence
    status...): their shared cells are hidden in all or none."""
    hidden = _cached("related", breakdowns, resolve_threshold(threshold), _hidden_related)
    return {name: _report(counts, hidden, name) for name, counts in breakdowns.items()}


def suppressed_nested_reports(
    outer: Aggregate, inner: Aggregate, threshold: int | None = None
) -> tuple[Report, Report]:
    """A population and a part of it (a brand holder's chain, and the chain without one
    supplier), by the same dimension: what a reader can subtract is protected too.

    Raises `koe.reports.suppression.DifferencingRefused` when the two differ by fewer people
    than the threshold: offer only one of the two views then.
    """
    if outer.dimension != inner.dimension:
        raise ValueError("Nested reports need the same dimension.")
    hidden = _cached("nested", {OUTER: outer, INNER: inner}, resolve_threshold(threshold), _hidden_nested)
    return _report(outer, hidden, OUTER), _report(inner, hidden, INNER)


# What is hidden, as plain data (cached): per breakdown, the hidden groups and the hidden cells.


@dataclass(frozen=True)
class _Hidden:
    threshold: int
    groups: Mapping[str, frozenset[str]]  # breakdown -> keys of groups hidden for their size
    everything: bool  # the population itself is too small to show
    cells: Mapping[str, frozenset[tuple[str, str]]]  # breakdown -> (measure, row) with a hidden count
    withheld: frozenset[str]


def _hidden_related(breakdowns: Mapping[str, Aggregate], threshold: int) -> _Hidden:
    if len({counts.respondents for counts in breakdowns.values()}) > 1:
        raise ValueError("Related breakdowns are of one population: they must count the same respondents.")
    if not any(counts.groups for counts in breakdowns.values()):
        return _nothing_hidden(breakdowns, threshold)
    sizes = suppress_related({name: _sizes(counts) for name, counts in breakdowns.items()}, threshold)
    groups = {name: _hidden_groups(sizes, name, counts) for name, counts in breakdowns.items()}
    if sizes[(TOTAL,)].hidden:
        return _all_hidden(breakdowns, threshold)

    def tables(measure: str) -> list[_Tables]:
        # Two breakdowns of one population share no cell but the margins: one at a time.
        return [
            _Tables({name: _measure_cells(counts, groups[name], measure)}, nested=False)
            for name, counts in breakdowns.items()
        ]

    return _per_measure(breakdowns, groups, threshold, tables)


def _hidden_nested(breakdowns: Mapping[str, Aggregate], threshold: int) -> _Hidden:
    outer, inner = breakdowns[OUTER], breakdowns[INNER]
    if not outer.groups:
        return _nothing_hidden(breakdowns, threshold)
    sizes = suppress_nested(_sizes(outer), _sizes(inner), threshold)
    both = _hidden_groups(sizes, OUTER, outer) | _hidden_groups(sizes, INNER, outer)
    if sizes[(OUTER, TOTAL)].hidden or sizes[(INNER, TOTAL)].hidden:
        return _all_hidden(breakdowns, threshold)

    def tables(measure: str) -> list[_Tables]:
        inner_cells = _measure_cells(inner, both, measure, like=outer)
        return [_Tables({OUTER: _measure_cells(outer, both, measure), INNER: inner_cells}, nested=True)]

    return _per_measure(breakdowns, {OUTER: both, INNER: both}, threshold, tables)


def _per_measure(
    breakdowns: Mapping[str, Aggregate],
    groups: Mapping[str, frozenset[str]],
    threshold: int,
    tables_of: Callable[[str], list["_Tables"]],
) -> _Hidden:
    cells: dict[str, set[tuple[str, str]]] = {name: set() for name in breakdowns}
    withheld = set()
    for measure in MEASURES:
        found = [_hidden_rows(tables, threshold) for tables in tables_of(measure)]
        if any(rows is None for rows in found):
            withheld.add(measure)
            continue
        for rows in found:
            for name, hidden_rows in (rows or {}).items():
                cells[name] |= {(measure, row) for row in hidden_rows}
    return _Hidden(
        threshold=threshold,
        groups=groups,
        everything=False,
        cells={name: frozenset(found) for name, found in cells.items()},
        withheld=frozenset(withheld),
    )


@dataclass(frozen=True)
class _Tables:
    """One measure's table (row, shown / not shown) of each breakdown, suppressed together."""

    cells: Mapping[str, Mapping[Key, int]]  # breakdown -> cells; a nested pair is OUTER, INNER
    nested: bool

    def rows(self) -> list[str]:
        return list(dict.fromkeys(key[0] for cells in self.cells.values() for key in cells))

    def part(self, rows: Iterable[str]) -> dict[str, dict[Key, int]]:
        keys = [(row, column) for row in rows for column in (SHOWN, NOT_SHOWN)]
        return {name: {key: cells[key] for key in keys if key in cells} for name, cells in self.cells.items()}

    def totals(self, rows: Iterable[str]) -> list[int]:
        """The column totals and size of these rows, and for a nested pair their differences."""
        found: dict[str, list[int]] = {}
        for name, cells in self.part(rows).items():
            columns = [sum(v for k, v in cells.items() if k[1] == c) for c in (SHOWN, NOT_SHOWN)]
            found[name] = [*columns, sum(columns)]
        if self.nested:
            found["difference"] = [o - i for o, i in zip(found[OUTER], found[INNER], strict=True)]
        return [count for counts in found.values() for count in counts]

    def counts(self, rows: list[str]) -> list[int]:
        """Every count these rows publish or let a reader compute."""
        part = self.part(rows)
        found = [count for cells in part.values() for count in cells.values()]
        if self.nested:
            found += [v - part[INNER].get(k, 0) for k, v in part[OUTER].items()]
        return found + self.totals(rows)

    def suppress(self, rows: list[str], threshold: int) -> dict[str, set[str]] | None:
        """Hidden rows per breakdown, or None when a margin of these rows would be hidden."""
        if not any(0 < count < threshold for count in self.counts(rows)):
            return {name: set() for name in self.cells}  # nothing small: the engine hides nothing
        part = self.part(rows)
        if self.nested:
            try:
                table = suppress_nested(part[OUTER], part[INNER], threshold)
            except DifferencingRefused:
                return None
            tables = {OUTER: table.subtable(OUTER), INNER: table.subtable(INNER)}
        else:
            tables = {name: suppress_table(cells, threshold) for name, cells in part.items()}
        if any(TOTAL in key for table in tables.values() for key in table.hidden_keys()):
            return None
        return {name: {key[0] for key in table.hidden_keys()} for name, table in tables.items()}


def _hidden_rows(tables: _Tables, threshold: int) -> dict[str, set[str]] | None:
    """Suppress block by block (module docstring); None when the measure must be withheld."""
    rows = tables.rows()
    if not _publishable(tables, rows, threshold):
        return None
    # Rows with a small count first: they protect one another, and the blocks of the other rows
    # need no engine at all.
    small = {row for row in rows if any(0 < count < threshold for count in tables.counts([row]))}
    rows = [row for row in rows if row in small] + [row for row in rows if row not in small]
    blocks = _blocks(tables, rows, threshold)
    done: list[dict[str, set[str]]] = []
    while len(done) < len(blocks):
        index = len(done)
        hidden = tables.suppress(blocks[index], threshold)
        if hidden is not None:
            done.append(hidden)
        elif len(blocks) == 1:
            return None
        elif index + 1 < len(blocks):  # merge with the next block and try again
            blocks[index : index + 2] = [blocks[index] + blocks[index + 1]]
        else:  # the last block: merge it into the one before
            blocks[index - 1 : index + 1] = [blocks[index - 1] + blocks[index]]
            done.pop()
    return {name: set().union(*(hidden[name] for hidden in done)) for name in tables.cells}


def _blocks(tables: _Tables, rows: list[str], threshold: int) -> list[list[str]]:
    """Consecutive rows, BLOCK_ROWS or more at a time, whose own totals are 0 or not small."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for row in rows:
        current.append(row)
        if len(current) >= BLOCK_ROWS and _publishable(tables, current, threshold):
            blocks.append(current)
            current = []
    if current and blocks:
        blocks[-1] += current
    elif current:
        blocks.append(current)
    return blocks


def _publishable(tables: _Tables, rows: list[str], threshold: int) -> bool:
    """Can these rows' totals be shown (or known) at all: none is small?"""
    return not any(0 < count < threshold for count in tables.totals(rows))


def _nothing_hidden(breakdowns: Mapping[str, Aggregate], threshold: int) -> _Hidden:
    empty: frozenset[Any] = frozenset()
    return _Hidden(
        threshold, dict.fromkeys(breakdowns, empty), False, dict.fromkeys(breakdowns, empty), empty
    )


def _all_hidden(breakdowns: Mapping[str, Aggregate], threshold: int) -> _Hidden:
    groups = {name: frozenset(group.key for group in counts.groups) for name, counts in breakdowns.items()}
    empty: frozenset[Any] = frozenset()
    return _Hidden(threshold, groups, True, dict.fromkeys(breakdowns, empty), frozenset(MEASURES))


def _row(key: str) -> str:
    return f"g:{key}"  # never TOTAL nor OTHERS


def _sizes(counts: Aggregate) -> dict[Key, int]:
    return {(_row(group.key),): group.respondents for group in counts.groups}


def _hidden_groups(sizes: SuppressedTable, name: str, counts: Aggregate) -> frozenset[str]:
    return frozenset(group.key for group in counts.groups if sizes[(name, _row(group.key))].hidden)


def _measure_cells(
    counts: Aggregate, hidden: frozenset[str], measure: str, like: Aggregate | None = None
) -> dict[Key, int]:
    """One measure's table: shown groups and the hidden ones together, x shown / not shown.

    `like` gives the rows (an inner population shows the outer's rows, zeros where it has none).
    """
    own = {group.key: group for group in counts.groups}
    cells: dict[Key, int] = {}
    for group in (like or counts).groups:
        if group.key not in hidden:
            shown, size = _shown_and_size([own[group.key]] if group.key in own else [], measure)
            cells |= {(_row(group.key), SHOWN): shown, (_row(group.key), NOT_SHOWN): size - shown}
    if hidden:
        shown, size = _shown_and_size([group for key, group in own.items() if key in hidden], measure)
        cells |= {(OTHERS, SHOWN): shown, (OTHERS, NOT_SHOWN): size - shown}
    return cells


def _shown_and_size(groups: Iterable[GroupCounts], measure: str) -> tuple[int, int]:
    groups = list(groups)
    return sum(group.shown[measure] for group in groups), sum(group.respondents for group in groups)


def _cached(
    kind: str,
    breakdowns: Mapping[str, Aggregate],
    threshold: int,
    compute: Callable[[Mapping[str, Aggregate], int], _Hidden],
) -> _Hidden:
    """What to hide depends on nothing but the counts: keep it under their hash."""
    key = _cache_key(kind, breakdowns, threshold)
    hidden = cache.get(key)
    if hidden is None:
        hidden = compute(breakdowns, threshold)
        cache.set(key, hidden, CACHE_SECONDS)
    return hidden


def _cache_key(kind: str, breakdowns: Mapping[str, Aggregate], threshold: int) -> str:
    content = [
        kind,
        _CACHE_VERSION,
        threshold,
        [
            [
                name,
                counts.dimension,
                [[g.key, g.respondents, [g.shown[m] for m in MEASURES]] for g in counts.groups],
            ]
            for name, counts in breakdowns.items()
        ],
    ]
    digest = hashlib.sha256(json.dumps(content, separators=(",", ":")).encode()).hexdigest()
    return f"koe:selfcheck-suppression:{digest}"


# From hidden cells to what a template or a CSV shows ------------------------------------------


def _report(counts: Aggregate, hidden: _Hidden, name: str) -> Report:
    hidden_groups = hidden.groups[name]
    others = [group for group in counts.groups if group.key in hidden_groups]

    def line(key: str, label: Label, row: str, groups: list[GroupCounts], shown: bool = True) -> GroupReport:
        if hidden.everything or not shown:
            return GroupReport(key, label, None, dict.fromkeys(MEASURES, HIDDEN))
        size = sum(group.respondents for group in groups)
        figures = {}
        for measure in MEASURES:
            count = sum(group.shown[measure] for group in groups)
            concealed = measure in hidden.withheld or (measure, row) in hidden.cells[name]
            figures[measure] = HIDDEN if concealed else Figure(count, count / size if size else None)
        return GroupReport(key, label, size, figures)

    return Report(
        dimension=counts.dimension,
        threshold=hidden.threshold,
        groups=tuple(
            line(group.key, group.label, _row(group.key), [group], group.key not in hidden_groups)
            for group in counts.groups
        ),
        others=line(OTHERS, gettext_lazy("Other groups together"), OTHERS, others) if others else None,
        total=line(TOTAL, gettext_lazy("All respondents"), TOTAL, list(counts.groups)),
        withheld=hidden.withheld,
    )
