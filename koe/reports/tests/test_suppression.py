"""Small-number suppression: each attack shown to work on naive output and to fail on ours."""

from collections.abc import Collection

import pytest

from koe.reports.pinning import pinned_cells
from koe.reports.suppression import (
    DIFFERENCE,
    HIDDEN_MARK,
    INNER,
    OUTER,
    TOTAL,
    Cell,
    Counts,
    DifferencingRefused,
    Key,
    Reason,
    SuppressedTable,
    _layout,  # tests build naive publications from the same layout
    differs_by_small_group,
    display,
    recoverable_cells,
    suppress_nested,
    suppress_related,
    suppress_table,
)

T = 5


def naive(cells: Counts, hide: Collection[Key] | None = None) -> SuppressedTable:
    """What a report would show with primary suppression only (or with exactly `hide` hidden)."""
    values, equations = _layout(cells, prefix=())
    if hide is None:
        hide = {key for key, value in values.items() if 0 < value < T}
    published = {
        key: Cell(None, Reason.PRIMARY) if key in hide else Cell(value) for key, value in values.items()
    }
    return SuppressedTable(T, published, tuple(equations))


def true_values(cells: Counts) -> dict[Key, int]:
    """Every cell and margin of a table, the hidden ones included."""
    return _layout(cells, prefix=())[0]


def shown(table: SuppressedTable) -> dict[Key, str]:
    return {key: display(cell) for key, cell in table.cells.items()}


def test_naive_one_way_output_gives_away_its_one_small_cell() -> None:
    cells = {("Vietnam",): 12, ("Myanmar",): 2, ("Nepal",): 7}
    assert recoverable_cells(naive(cells)) == [(("Myanmar",), 2)]


def test_it_hides_a_second_cell_beside_a_small_one_so_the_total_reveals_nothing() -> None:
    table = suppress_table({("Vietnam",): 12, ("Myanmar",): 2, ("Nepal",): 7, ("Peru",): 0}, T)
    assert shown(table) == {
        ("Vietnam",): "12",
        ("Myanmar",): HIDDEN_MARK,
        ("Nepal",): HIDDEN_MARK,
        ("Peru",): "0",
        (TOTAL,): "21",
    }
    assert table[("Myanmar",)].reason == Reason.PRIMARY
    assert table[("Nepal",)].reason == Reason.COMPLEMENTARY
    assert recoverable_cells(table) == []


def test_two_hidden_ones_are_recoverable_because_shown_zeros_mean_hidden_cells_are_not_zero() -> None:
    cells = {("a",): 1, ("b",): 1, ("c",): 20, ("d",): 0}
    assert recoverable_cells(naive(cells)) == [(("a",), 1), (("b",), 1)]


def test_it_keeps_at_least_threshold_people_hidden_in_a_line() -> None:
    table = suppress_table({("a",): 1, ("b",): 1, ("c",): 20, ("d",): 30}, T)
    assert shown(table)[("c",)] == HIDDEN_MARK
    assert shown(table)[("d",)] == "30"
    assert recoverable_cells(table) == []


def test_it_hides_zeros_next_to_a_hidden_total() -> None:
    # "0, 0, x; total x" would say that all of the few respondents gave the hidden answer.
    table = suppress_table({("no",): 0, ("unsure",): 0, ("yes, passport withheld",): 3}, T)
    assert set(shown(table).values()) == {HIDDEN_MARK}
    assert recoverable_cells(table) == []


def test_it_shows_an_empty_population_as_zeros() -> None:
    table = suppress_table({("yes",): 0, ("no",): 0}, T)
    assert set(shown(table).values()) == {"0"}


def test_naive_two_way_output_gives_away_a_small_cell_through_its_row_and_column() -> None:
    cells = _supplier_answers()
    assert recoverable_cells(naive(cells)) == [(("Supplier A", "yes"), 2)]


def test_it_protects_a_small_cell_of_a_two_way_table_in_its_row_and_its_column() -> None:
    table = suppress_table(_supplier_answers(), T)
    hidden = set(table.hidden_keys())
    assert ("Supplier A", "yes") in hidden
    assert sum(1 for key in hidden if key[0] == "Supplier A") >= 2
    assert sum(1 for key in hidden if key[1] == "yes") >= 2
    assert table[("Supplier A", TOTAL)].value == 22
    assert table[(TOTAL, TOTAL)].value == 70
    assert recoverable_cells(table) == []


def test_a_table_lists_its_labels_in_the_order_given_with_totals_last() -> None:
    table = suppress_table(_supplier_answers(), T)
    assert table.labels(0) == ["Supplier A", "Supplier B", "Supplier C", TOTAL]
    assert table.labels(1) == ["yes", "no", TOTAL]
    assert list(table)[:3] == [("Supplier A", "yes"), ("Supplier A", "no"), ("Supplier A", TOTAL)]


def test_naive_output_gives_away_a_small_margin_from_the_grand_total() -> None:
    cells = {
        ("A", "yes"): 10,
        ("A", "no"): 12,
        ("B", "yes"): 1,
        ("B", "no"): 2,
        ("C", "yes"): 6,
        ("C", "no"): 9,
    }
    recovered = dict(recoverable_cells(naive(cells)))
    assert recovered[("B", TOTAL)] == 3


def test_it_protects_a_small_margin_on_the_line_of_margins() -> None:
    cells = {
        ("A", "yes"): 10,
        ("A", "no"): 12,
        ("B", "yes"): 1,
        ("B", "no"): 2,
        ("C", "yes"): 6,
        ("C", "no"): 9,
    }
    table = suppress_table(cells, T)
    assert table[("B", TOTAL)].reason == Reason.PRIMARY
    assert table[("C", TOTAL)].hidden
    assert recoverable_cells(table) == []


def test_the_attack_finds_a_cell_that_bridges_two_blocks_of_hidden_cells() -> None:
    # No row or column has a single unknown, yet rows A+B minus columns 1+2 give cell (B, 3).
    cells = {(row, col): 6 for row in "ABCD" for col in "1234"}
    blocks = {(r, c) for r in "AB" for c in "12"} | {(r, c) for r in "CD" for c in "34"}
    assert recoverable_cells(naive(cells, hide=blocks | {("B", "3")})) == [(("B", "3"), 6)]


def test_the_exact_check_finds_two_hidden_ones_that_only_four_lines_together_pin_down() -> None:
    # Columns 1 and 3 minus rows 2 and 3 leave (1, 1) + (1, 3) = 2; both are at least 1.
    rows = {"0": [4, 0, 4, 8], "1": [5, 1, 8, 1], "2": [0, 2, 12, 6], "3": [11, 10, 12, 1]}
    cells = {(row, str(col)): count for row, counts in rows.items() for col, count in enumerate(counts)}
    hide = {("0", "0"), ("0", "2"), ("2", "1"), ("2", "3"), ("3", "1"), ("3", "3")}
    hide |= {("1", col) for col in "0123"}
    published = naive(cells, hide)
    assert recoverable_cells(published) == []
    assert pinned_cells(published, true_values(cells)) == [("1", "1"), ("1", "3")]
    table = suppress_table(cells, T)
    assert recoverable_cells(table) == []
    assert pinned_cells(table, true_values(cells)) == []


def test_it_uses_the_default_threshold_from_settings(settings: object) -> None:
    settings.KOE_SUPPRESSION_THRESHOLD = 3  # type: ignore[attr-defined]
    table = suppress_table({("a",): 3, ("b",): 4})
    assert shown(table) == {("a",): "3", ("b",): "4", (TOTAL,): "7"}


def test_it_refuses_a_threshold_below_three() -> None:
    with pytest.raises(ValueError, match="never below 3"):
        suppress_table({("a",): 3}, 2)


@pytest.mark.parametrize(
    "cells",
    [{}, {("a",): 1, ("a", "b"): 2}, {("a", "b", "c"): 1}, {(TOTAL,): 1}, {("a",): -1}],
)
def test_it_rejects_tables_it_cannot_protect(cells: dict[Key, int]) -> None:
    with pytest.raises(ValueError):
        suppress_table(cells, T)


def test_display_shows_one_mark_for_every_hidden_cell() -> None:
    assert display(Cell(None, Reason.PRIMARY)) == display(Cell(None, Reason.COMPLEMENTARY)) == HIDDEN_MARK
    assert display(Cell(0)) == "0"
    assert display(17) == "17"
    assert display(None) == HIDDEN_MARK


def test_related_breakdowns_hide_their_shared_total_everywhere() -> None:
    table = suppress_related(
        {"nationality": {("Vietnam",): 3, ("Myanmar",): 1}, "status": {("TITP",): 4, ("SSW",): 0}}, T
    )
    assert table[(TOTAL,)].hidden
    assert table.subtable("status")[(TOTAL,)].hidden
    assert set(shown(table.subtable("status")).values()) == {HIDDEN_MARK}
    assert recoverable_cells(table) == []


def test_related_breakdowns_are_displayed_one_by_one_with_the_shared_total() -> None:
    table = suppress_related(
        {
            "nationality": {("Vietnam",): 12, ("Myanmar",): 2, ("Nepal",): 6},
            "status": {("TITP",): 10, ("SSW",): 10},
            "by status": {
                ("Vietnam", "TITP"): 7,
                ("Vietnam", "SSW"): 5,
                ("Myanmar", "TITP"): 2,
                ("Nepal", "SSW"): 6,
            },
        },
        T,
    )
    nationality = table.subtable("nationality")
    assert shown(nationality) == {("Vietnam",): "12", ("Myanmar",): "x", ("Nepal",): "x", (TOTAL,): "20"}
    assert table.subtable("by status")[(TOTAL, TOTAL)].value == 20
    assert recoverable_cells(nationality) == []
    assert recoverable_cells(table) == []


def test_a_subtable_must_exist() -> None:
    with pytest.raises(KeyError):
        suppress_related({"a": {("x",): 5}}, T).subtable("b")


def test_it_refuses_breakdowns_that_disagree_on_the_population() -> None:
    with pytest.raises(ValueError, match="same total"):
        suppress_related({"a": {("x",): 5}, "b": {("y",): 6}}, T)


def test_naive_filters_give_away_the_answers_of_a_supplier_with_two_respondents() -> None:
    with_x, without_x = _brand_holder_answers(x_yes=1, x_no=1)
    everyone, others = suppress_table(with_x, T), suppress_table(without_x, T)
    assert not everyone.hidden_keys() and not others.hidden_keys()
    shown_with, shown_without = [[table[key].value for key in with_x] for table in (everyone, others)]
    assert (shown_with, shown_without) == ([9, 11], [8, 10])  # so X's two said "yes" and "no"


def test_it_refuses_to_show_two_filters_that_differ_by_a_small_group() -> None:
    with_x, without_x = _brand_holder_answers(x_yes=1, x_no=1)
    assert differs_by_small_group(sum(with_x.values()), sum(without_x.values()), T)
    assert not differs_by_small_group(20, 20, T)
    assert not differs_by_small_group(20, 15, T)
    with pytest.raises(DifferencingRefused):
        suppress_nested(with_x, without_x, T)


def test_nested_filters_protect_a_small_count_that_only_subtraction_would_show() -> None:
    with_x, without_x = _brand_holder_answers(x_yes=2, x_no=6)
    everyone, others = suppress_table(with_x, T), suppress_table(without_x, T)
    assert (everyone[("yes",)].value, others[("yes",)].value) == (10, 8)  # 2 of X's 8 said yes
    table = suppress_nested(with_x, without_x, T)
    assert table[(OUTER, "yes")].hidden or table[(INNER, "yes")].hidden
    for key, value in recoverable_cells(table):
        assert key[0] == DIFFERENCE and not 0 < value < T, (key, value)


def test_nested_two_way_filters_are_protected_together() -> None:
    outer = _supplier_answers()
    inner = {key: count for key, count in outer.items() if key[0] != "Supplier C"}
    table = suppress_nested(outer, inner, T)
    assert table.subtable(INNER)[("Supplier C", TOTAL)].value == 0
    for key, value in recoverable_cells(table):
        assert key[0] == DIFFERENCE and not 0 < value < T, (key, value)


def _supplier_answers() -> dict[Key, int]:
    answers: dict[Key, int] = {
        ("Supplier A", "yes"): 2,
        ("Supplier A", "no"): 20,
        ("Supplier B", "yes"): 8,
        ("Supplier B", "no"): 15,
        ("Supplier C", "yes"): 6,
        ("Supplier C", "no"): 19,
    }
    return answers


def _brand_holder_answers(*, x_yes: int, x_no: int) -> tuple[dict[Key, int], dict[Key, int]]:
    """Answers to "were you made to pay a recruitment fee?" with and without supplier X."""
    without_x: dict[Key, int] = {("yes",): 8, ("no",): 10}
    with_x: dict[Key, int] = {("yes",): 8 + x_yes, ("no",): 10 + x_no}
    return with_x, without_x
