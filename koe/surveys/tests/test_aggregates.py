"""Self-check aggregates: counted in one query, suppressed so that nothing hidden can be worked out.

The attack in these tests is the reader's (`koe.reports.recovery`) and the exact check
(`koe.reports.pinning`), run on the joint system of everything a report shows: group sizes,
every indicator's counts, totals, and the difference between two nested populations.
"""

import random
from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import override

from koe.accounts.models import WorkerProfile
from koe.core.testing.personas import Personas
from koe.organizations.models import Organization
from koe.organizations.tests.factories import make_org
from koe.reports.pinning import pinned_cells
from koe.reports.suppression import (
    TOTAL,
    DifferencingRefused,
    Key,
    SuppressedTable,
    recoverable_cells,
    suppress_table,
)
from koe.reports.tables import Cell, Equation
from koe.surveys import aggregates as aggregates_module
from koe.surveys.aggregates import (
    DIMENSIONS,
    MEASURES,
    RED_FLAG,
    Aggregate,
    GroupCounts,
    GroupReport,
    Report,
    aggregate,
    responses_in_supply_chain,
    responses_of_employer,
    suppressed_nested_reports,
    suppressed_related_reports,
    suppressed_report,
)
from koe.surveys.indicators import ALL_TAGS
from koe.surveys.models import QuestionnaireVersion, Response, ResponseStatus
from koe.surveys.services import (
    questionnaire_version_load,
    response_save_answers,
    response_start,
    response_submit,
)
from koe.surveys.testing import small_document

T = 5
VIOLENCE, DEBT, FEES = "physical_and_sexual_violence", "debt_bondage", "no_recruitment_fees"


# Counting in the database -------------------------------------------------------------------


@pytest.fixture
def version(db: None) -> QuestionnaireVersion:
    return questionnaire_version_load(document=small_document(), publish=True)


def add_random_responses(
    version: QuestionnaireVersion, employers: list[Organization], count: int, seed: int
) -> list[Response]:
    """Bulk set-up, not the write path under test: snapshots as a submission would leave them."""
    rng = random.Random(seed)
    rows = [
        Response(
            version=version,
            language="vi",
            status=rng.choice([ResponseStatus.SUBMITTED] * 5 + [ResponseStatus.DRAFT]),
            submitted_at=timezone.now(),
            employer=rng.choice([*employers, None]),
            nationality=rng.choice(["vn", "cn", "np", "mm", ""]),
            residence_status=rng.choice(["titp", "ssw1", "student", ""]),
            industry=rng.choice(["E", "D", ""]),
            prefecture=rng.choice(["13", "23", "40", ""]),
            round=rng.choice([1, 2, 3, None]),
            shown_tags=sum(tag.mask for tag in ALL_TAGS if rng.random() < 0.3),
            red_flag=rng.random() < 0.2,
        )
        for _ in range(count)
    ]
    return Response.objects.bulk_create(rows)


def recount(responses: Iterable[Response], dimension: str | None) -> dict[str, tuple[int, dict[str, int]]]:
    """The same counts, the slow way: one response at a time."""
    found: dict[str, tuple[int, dict[str, int]]] = {}
    for response in responses:
        if response.status != ResponseStatus.SUBMITTED:
            continue
        value = (
            "all"
            if dimension is None
            else getattr(response, "employer_id" if dimension == "employer" else dimension)
        )
        key = "" if value in (None, "") else str(value)
        respondents, shown = found.get(key, (0, dict.fromkeys(MEASURES, 0)))
        for tag in ALL_TAGS:
            shown[tag.code] += bool(response.shown_tags & tag.mask)
        shown[RED_FLAG] += response.red_flag
        found[key] = (respondents + 1, shown)
    return found


def as_dict(counts: Aggregate) -> dict[str, tuple[int, dict[str, int]]]:
    return {group.key: (group.respondents, dict(group.shown)) for group in counts.groups}


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_the_database_counts_equal_a_recount_response_by_response(
    version: QuestionnaireVersion, dimension: str | None
) -> None:
    employers = [make_org(f"Supplier {n}") for n in range(4)]
    responses = add_random_responses(version, employers, 150, seed=1)
    counted = aggregate(Response.objects.all(), dimension)
    assert as_dict(counted) == recount(responses, dimension)
    assert counted.respondents == sum(r.status == ResponseStatus.SUBMITTED for r in responses) > 100


def test_the_aggregate_is_one_query_whatever_the_dimension_or_the_chain(
    personas: Personas, version: QuestionnaireVersion, django_assert_num_queries: Any
) -> None:
    add_random_responses(version, [personas.org_a, personas.org_a1, personas.org_a2], 60, seed=2)
    for dimension in DIMENSIONS:
        with django_assert_num_queries(1):
            aggregate(responses_in_supply_chain(personas.org_a), dimension)


def test_the_supply_chain_holds_the_brand_holder_and_every_tier_and_no_other_company(
    personas: Personas, version: QuestionnaireVersion
) -> None:
    everyone = [personas.org_a, personas.org_a1, personas.org_a2, personas.org_b, personas.org_b1]
    responses = add_random_responses(version, everyone, 120, seed=3)
    chain = aggregate(responses_in_supply_chain(personas.org_a), "employer")
    expected = {org.pk for org in everyone[:3]}
    assert {int(group.key) for group in chain.groups} == expected
    assert chain.respondents == sum(
        r.status == ResponseStatus.SUBMITTED and r.employer_id in expected for r in responses
    )
    own = aggregate(responses_of_employer(personas.org_a1), None)
    assert own.respondents == sum(
        r.status == ResponseStatus.SUBMITTED and r.employer_id == personas.org_a1.pk for r in responses
    )


def test_groups_are_labelled_for_people_not_by_code(version: QuestionnaireVersion) -> None:
    employer = make_org("Minato Farm")
    Response.objects.bulk_create(
        [
            Response(version=version, language="vi", status=ResponseStatus.SUBMITTED, employer=employer, nationality="vn", round=2),
            Response(version=version, language="vi", status=ResponseStatus.SUBMITTED),
        ]
    )  # fmt: skip
    with override("en"):
        for dimension, label in [
            ("nationality", "Vietnam"),
            ("round", "Round 2"),
            ("employer", "Minato Farm"),
        ]:
            groups = aggregate(Response.objects.all(), dimension).groups
            assert [str(group.label) for group in groups] == [label, "Not recorded"]
    with pytest.raises(ValueError, match="Unknown dimension"):
        aggregate(Response.objects.all(), "religion")


def test_a_submitted_self_check_counts_for_its_employer_and_the_brand_holder(
    personas: Personas, version: QuestionnaireVersion
) -> None:
    WorkerProfile.objects.update_or_create(
        user=personas.worker,
        defaults={"employer": personas.org_a2, "nationality": "np", "residence_status": "titp"},
    )
    response = response_start(version=version, language="ne", worker=personas.worker)
    response_save_answers(
        response=response, answers={"hit": "yes", "passport_kept": "no"}, item_codes=["hit", "passport_kept"]
    )
    response_submit(response_id=response.pk)
    (group,) = aggregate(responses_in_supply_chain(personas.org_a), "employer").groups
    assert (group.key, group.respondents) == (str(personas.org_a2.pk), 1)
    assert group.shown[VIOLENCE] == group.shown[RED_FLAG] == 1
    assert sum(group.shown.values()) == 2  # nothing else was shown
    assert not aggregate(responses_in_supply_chain(personas.org_b), None).groups


# Suppression ---------------------------------------------------------------------------------


def counts(dimension: str | None, groups: Mapping[str, tuple[int, Mapping[str, int]]]) -> Aggregate:
    """An aggregate as the database returns it; measures not given are shown by nobody."""
    return Aggregate(
        dimension,
        tuple(
            GroupCounts(key, f"Group {key}", size, {m: shown.get(m, 0) for m in MEASURES})
            for key, (size, shown) in groups.items()
        ),
    )


def random_counts(
    seed: int,
    groups: int,
    most: int,
    measures: Iterable[str] = (VIOLENCE, DEBT, FEES, RED_FLAG),
    small_groups: float = 0.5,
) -> Aggregate:
    rng = random.Random(seed)
    sizes = {
        f"g{n}": rng.randint(1, 4) if rng.random() < small_groups else rng.randint(5, most)
        for n in range(groups)
    }
    return counts(
        "employer",
        {
            key: (size, {m: rng.randint(0, size) // rng.choice([1, 3]) for m in measures})
            for key, size in sizes.items()
        },
    )


class Joint:
    """Everything some reports show, as one system of cells and equations a reader can attack.

    Reports of one population share its totals; `add(..., report=None)` adds a population that
    nobody sees but a reader can compute (a difference). Measures nobody shows add only zeros:
    they are left out, the exact check is costly.
    """

    def __init__(self, *aggregates: Aggregate) -> None:
        self.measures = [m for m in MEASURES if any(g.shown[m] for a in aggregates for g in a.groups)]
        self.values: dict[Key, int] = {}
        self.visible: dict[Key, int | None] = {}
        self.unpublished: set[Key] = set()
        self.equations: list[Equation] = []

    def cell(self, key: Key, value: int, shown: int | None = None, published: bool = True) -> Key:
        assert self.values.setdefault(key, value) == value, key
        if not published:
            self.unpublished.add(key)
        elif shown is not None or key not in self.visible:
            assert shown in (None, value), (key, shown, value)  # a shown count is the true count
            self.visible[key] = shown
        return key

    def add(self, population: str, counts: Aggregate, report: Report | None = None) -> None:
        dimension = str(counts.dimension)
        lines: dict[str, tuple[list[GroupCounts], GroupReport | None]] = {
            g.key: ([g], report.groups[n] if report else None) for n, g in enumerate(counts.groups)
        }
        sums = {TOTAL: (list(counts.groups), report.total if report else None)}
        if report and report.others:
            sums["others"] = (
                [g for g, shown in zip(counts.groups, report.groups, strict=True) if shown.hidden],
                report.others,
            )
        for key, (members, shown) in (lines | sums).items():
            where = (population, "*" if key == TOTAL else dimension)  # totals are shared by breakdowns
            size = self.cell(
                ("n", *where, key),
                sum(g.respondents for g in members),
                shown.respondents if shown else None,
                report is not None,
            )
            for m in self.measures:
                y = sum(g.shown[m] for g in members)
                shown_y = self.cell(
                    ("y", *where, m, key), y, shown.figures[m].count if shown else None, report is not None
                )
                not_y = self.cell(
                    ("z", *where, m, key), sum(g.respondents for g in members) - y, published=False
                )
                self.equations.append(Equation(size, (shown_y, not_y)))
        for key, (members, _shown) in sums.items():
            where = (population, "*" if key == TOTAL else dimension)
            for kind, *measure in [("n",), *((k, m) for m in self.measures for k in ("y", "z"))]:
                parts = tuple((kind, population, dimension, *measure, g.key) for g in members)
                self.equations.append(Equation((kind, *where, *measure, key), parts))

    def nest(self, outer: str, inner: str, difference: str) -> None:
        """The reader knows outer = inner + difference, count by count (absent counts are 0)."""
        for key in [k for k in self.values if k[1] == outer and k[-1] != "others"]:  # others: sums
            parts = [(key[0], population, *key[2:]) for population in (inner, difference)]
            self.equations.append(
                Equation(key, tuple(p if p in self.values else self.cell(p, 0, 0) for p in parts))
            )

    def leaks(self) -> list[tuple[Key, int]]:
        """Hidden counts a reader can compute (a recovered 0 tells of nobody), and small counts
        that are never shown but can be computed (a difference)."""
        cells = {key: Cell(shown) for key, shown in self.visible.items()}
        table = SuppressedTable(T, cells, tuple(self.equations), frozenset(self.unpublished))
        found = dict(recoverable_cells(table))
        found |= {key: self.values[key] for key in pinned_cells(table, self.values)}
        return [(key, value) for key, value in found.items() if self.is_sensitive(key, value)]

    def is_sensitive(self, key: Key, value: int) -> bool:
        return 0 < value < T if key in self.unpublished else value != 0


def attack(reports: Mapping[str, tuple[Aggregate, Report]]) -> list[tuple[Key, int]]:
    joint = Joint(*(counts_ for counts_, _report in reports.values()))
    for population, (counts_, report) in reports.items():
        joint.add(population, counts_, report)
    return joint.leaks()


def assert_consistent(counts_: Aggregate, report: Report) -> None:
    """Shown counts are true, never small, with their rates; a hidden group shows nothing."""
    for group, shown in zip(counts_.groups, report.groups, strict=True):
        assert shown.respondents in (None, group.respondents)
        assert shown.respondents is None or shown.respondents >= T
        for m in MEASURES:
            figure = shown.figures[m]
            assert figure.count in (None, group.shown[m])
            assert figure.count is None or figure.count == 0 or figure.count >= T
            not_shown = group.respondents - group.shown[m]
            assert figure.count is None or not_shown == 0 or not_shown >= T  # "not shown" is implied
            assert (figure.rate is None) == (figure.count is None or shown.respondents is None)
            if figure.rate is not None:
                assert figure.rate == pytest.approx(group.shown[m] / group.respondents)
    for row in (report.others, report.total):
        if row is not None:
            counts_shown = [row.respondents, *(figure.count for figure in row.figures.values())]
            assert all(count is None or count == 0 or count >= T for count in counts_shown)


def test_a_small_group_is_hidden_in_every_indicator_with_a_second_group_beside_it() -> None:
    by_employer = counts(
        "employer",
        {
            "A": (40, {VIOLENCE: 10, FEES: 20}),
            "B": (3, {VIOLENCE: 1, FEES: 3}),
            "C": (30, {VIOLENCE: 6, FEES: 9}),
            "D": (25, {VIOLENCE: 7}),
        },
    )
    report = suppressed_report(by_employer, T)
    hidden = {group.key: group for group in report.groups if group.hidden}
    assert "B" in hidden and len(hidden) == 2  # the small one and its complement
    for group in hidden.values():
        assert all(figure.hidden and figure.rate is None for figure in group.figures.values())
    sizes = {group.key: group.respondents for group in by_employer.groups}
    assert report.others is not None and report.others.respondents == sum(sizes[key] for key in hidden)
    assert report.total.respondents == 98 and report.total.figures[VIOLENCE].count == 24
    assert_consistent(by_employer, report)
    assert attack({"chain": (by_employer, report)}) == []


def test_a_small_count_is_hidden_with_complements_in_its_row_and_column() -> None:
    by_employer = counts(
        "employer", {"A": (40, {DEBT: 2}), "B": (30, {DEBT: 9}), "C": (25, {DEBT: 8}), "D": (20, {DEBT: 12})}
    )
    report = suppressed_report(by_employer, T)
    figures = {group.key: group.figures[DEBT] for group in report.groups}
    assert figures["A"].hidden and sum(figure.hidden for figure in figures.values()) >= 2
    assert all(group.respondents is not None for group in report.groups)  # sizes stay shown
    assert report.total.figures[DEBT].count == 31 and report.total.figures[DEBT].rate == pytest.approx(
        31 / 115
    )
    assert str(figures["A"]) == "x" and figures["A"].rate is None
    assert attack({"chain": (by_employer, report)}) == []


def test_an_indicator_too_rare_to_show_is_withheld_while_the_others_are_shown() -> None:
    by_nationality = counts("nationality", {"vn": (40, {DEBT: 2, FEES: 12}), "np": (30, {DEBT: 1, FEES: 9})})
    report = suppressed_report(by_nationality, T)
    assert report.withheld == {DEBT}
    assert report.total.figures[DEBT].hidden and all(group.figures[DEBT].hidden for group in report.groups)
    assert [group.figures[FEES].count for group in report.groups] == [12, 9]
    assert attack({"all": (by_nationality, report)}) == []


def test_an_indicator_whose_table_would_hide_a_group_size_is_withheld_so_sizes_stay_one_cell() -> None:
    # Alone, this debt-bondage table is protected by hiding the sizes of C and A (everyone or
    # nobody in them answered alike, so no other cell of their rows can be hidden). Those sizes
    # are shown beside every other indicator: debt bondage is withheld instead.
    by_employer = counts(
        "employer",
        {
            "A": (10, {DEBT: 10, FEES: 5}),
            "B": (6, {DEBT: 5, FEES: 6}),
            "C": (8, {FEES: 8}),
            "D": (9, {FEES: 0}),
        },
    )
    report = suppressed_report(by_employer, T)
    assert report.withheld == {DEBT}
    assert [group.respondents for group in report.groups] == [10, 6, 8, 9]
    assert [group.figures[FEES].count for group in report.groups] == [5, 6, 8, 0]
    assert attack({"chain": (by_employer, report)}) == []


def test_a_population_below_the_threshold_shows_nothing_and_an_empty_one_shows_zeros() -> None:
    tiny = suppressed_report(counts(None, {"all": (4, {VIOLENCE: 1})}), T)
    assert tiny.total.respondents is None and all(figure.hidden for figure in tiny.total.figures.values())
    empty = suppressed_report(counts("employer", {}), T)
    assert empty.groups == () and empty.total.respondents == 0
    assert {figure.count for figure in empty.total.figures.values()} == {0}


@pytest.mark.parametrize("seed", range(6))
def test_random_breakdowns_leave_nothing_small_or_recoverable(seed: int) -> None:
    by_employer = random_counts(seed, groups=7, most=25)
    report = suppressed_report(by_employer, T)
    assert_consistent(by_employer, report)
    assert attack({"chain": (by_employer, report)}) == []


def test_a_brand_holder_with_more_suppliers_than_one_block_is_protected_across_blocks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache.clear()
    blocks: list[int] = []
    monkeypatch.setattr(
        aggregates_module,
        "suppress_table",
        lambda cells, threshold: blocks.append(len(cells)) or suppress_table(cells, threshold),  # type: ignore[func-returns-value]
    )
    by_employer = random_counts(11, groups=50, most=14, measures=(DEBT, RED_FLAG), small_groups=0.1)
    report = suppressed_report(by_employer, T)
    shown_rows = sum(not group.hidden for group in report.groups)
    assert len(blocks) > 2 and max(blocks) < 2 * shown_rows  # the engine saw the table in parts
    assert_consistent(by_employer, report)
    assert sum(group.figures[DEBT].hidden for group in report.groups) > 10
    assert attack({"chain": (by_employer, report)}) == []


def test_a_block_that_would_hide_one_of_its_totals_is_merged_with_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache.clear()
    refused: list[object] = []
    suppress = aggregates_module._Tables.suppress

    def watched(tables: Any, rows: list[str], threshold: int) -> Any:
        hidden = suppress(tables, rows, threshold)
        if hidden is None:
            refused.append(rows)
        return hidden

    monkeypatch.setattr(aggregates_module._Tables, "suppress", watched)
    by_employer = random_counts(7, groups=20, most=14, measures=(DEBT, FEES), small_groups=0.1)
    report = suppressed_report(by_employer, T)
    assert refused and not report.withheld
    assert_consistent(by_employer, report)
    assert attack({"chain": (by_employer, report)}) == []


def test_two_breakdowns_of_one_population_cannot_be_played_against_each_other() -> None:
    people = _people(seed=21, count=90)
    by_nationality = _breakdown("nationality", people, position=0)
    by_status = _breakdown("residence_status", people, position=1)
    reports = suppressed_related_reports({"nationality": by_nationality, "status": by_status}, T)
    assert any(group.hidden for group in reports["nationality"].groups)
    for name, breakdown in (("nationality", by_nationality), ("status", by_status)):
        assert_consistent(breakdown, reports[name])
    # One population: the totals are one set of cells, seen in both reports.
    assert reports["nationality"].total == reports["status"].total
    joint = Joint(by_nationality)
    joint.add("workers", by_nationality, reports["nationality"])
    joint.add("workers", by_status, reports["status"])
    assert joint.leaks() == []


def test_related_breakdowns_must_count_one_population() -> None:
    with pytest.raises(ValueError, match="one population"):
        suppressed_related_reports(
            {"a": counts(None, {"all": (10, {})}), "b": counts(None, {"all": (11, {})})}, T
        )


def test_naive_reports_of_a_chain_with_and_without_a_supplier_give_away_its_answers() -> None:
    chain, without_x = _chain_with_and_without_x(x_size=8, x_debt=2)
    separate = {
        "chain": (chain, suppressed_report(chain, T)),
        "without X": (without_x, suppressed_report(without_x, T)),
    }
    assert separate["chain"][1].total.figures[DEBT].count == 14
    assert separate["without X"][1].total.figures[DEBT].count == 12  # so 2 of X's 8 workers...
    joint = _nested_joint(chain, without_x, separate["chain"][1], separate["without X"][1])
    assert (("y", "X", "*", DEBT, TOTAL), 2) in joint.leaks()


def test_a_chain_with_and_without_a_supplier_hides_what_subtraction_would_show() -> None:
    chain, without_x = _chain_with_and_without_x(x_size=8, x_debt=2)
    with_report, without_report = suppressed_nested_reports(chain, without_x, T)
    assert with_report.total.figures[DEBT].hidden or without_report.total.figures[DEBT].hidden
    assert with_report.total.figures[FEES].count == 20  # X's workers: 0 or 8 of them, not small
    assert_consistent(chain, with_report)
    assert_consistent(without_x, without_report)
    assert _nested_joint(chain, without_x, with_report, without_report).leaks() == []


def test_a_chain_without_a_supplier_by_nationality_hides_what_the_suppliers_few_workers_answered() -> None:
    # Supplier X employs 6 Vietnamese (2 in debt bondage) and 5 Chinese workers (4 of them).
    chain = counts("nationality", {"vn": (30, {DEBT: 12}), "cn": (20, {DEBT: 10}), "np": (15, {DEBT: 5})})
    without_x = counts("nationality", {"vn": (24, {DEBT: 10}), "cn": (15, {DEBT: 6}), "np": (15, {DEBT: 5})})
    naive = _nested_joint(chain, without_x, suppressed_report(chain, T), suppressed_report(without_x, T))
    assert (("y", "X", "nationality", DEBT, "vn"), 2) in naive.leaks()
    with_report, without_report = suppressed_nested_reports(chain, without_x, T)
    assert any(g.figures[DEBT].hidden for report in (with_report, without_report) for g in report.groups)
    assert _nested_joint(chain, without_x, with_report, without_report).leaks() == []


def test_a_chain_and_the_chain_without_a_supplier_of_three_workers_are_never_shown_together() -> None:
    chain, without_x = _chain_with_and_without_x(x_size=3, x_debt=0)
    with pytest.raises(DifferencingRefused):
        suppressed_nested_reports(chain, without_x, T)


@pytest.mark.parametrize("seed", range(4))
def test_random_nested_breakdowns_expose_no_small_difference(seed: int) -> None:
    people = _people(seed=40 + seed, count=70)
    leaving = random.Random(seed).sample(range(len(people)), 9)
    outer = _breakdown("nationality", people, position=0)
    inner = _breakdown("nationality", [p for i, p in enumerate(people) if i not in leaving], position=0)
    with_report, without_report = suppressed_nested_reports(outer, inner, T)
    assert _nested_joint(outer, inner, with_report, without_report).leaks() == []


def test_the_engine_runs_once_per_set_of_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    by_employer = random_counts(5, groups=6, most=20)
    first = suppressed_report(by_employer, T)
    calls: list[object] = []
    monkeypatch.setattr(aggregates_module, "suppress_table", lambda *args: calls.append(args))
    monkeypatch.setattr(aggregates_module, "suppress_related", lambda *args: calls.append(args))
    assert suppressed_report(by_employer, T) == first
    assert calls == []


def test_it_refuses_a_threshold_below_three() -> None:
    with pytest.raises(ValueError, match="never below 3"):
        suppressed_report(counts(None, {"all": (10, {})}), 2)


# Fixtures for the related and nested cases ------------------------------------------------


def _people(seed: int, count: int) -> list[tuple[str, str, frozenset[str]]]:
    rng = random.Random(seed)
    nationalities = ["vn"] * 12 + ["cn"] * 6 + ["np"] * 4 + ["mm"] * 2 + ["kh"]
    statuses = ["titp"] * 10 + ["ssw1"] * 6 + ["student"] * 2 + ["designated"]
    rates = {VIOLENCE: 0.05, DEBT: 0.3, FEES: 0.5, RED_FLAG: 0.1}
    return [
        (
            rng.choice(nationalities),
            rng.choice(statuses),
            frozenset(m for m, p in rates.items() if rng.random() < p),
        )
        for _ in range(count)
    ]


def _breakdown(dimension: str, people: list[tuple[str, str, frozenset[str]]], position: int) -> Aggregate:
    groups: dict[str, tuple[int, dict[str, int]]] = {}
    for nationality, status, shows in people:
        key = (nationality, status)[position]
        size, shown = groups.get(key, (0, {}))
        groups[key] = (size + 1, {m: shown.get(m, 0) + (m in shows) for m in MEASURES})
    return counts(dimension, dict(sorted(groups.items())))


def _chain_with_and_without_x(x_size: int, x_debt: int) -> tuple[Aggregate, Aggregate]:
    """Everyone in a chain (dimension none), and the chain without supplier X's workers."""
    without_x = counts(None, {"all": (60, {DEBT: 12, FEES: 20})})
    chain = counts(None, {"all": (60 + x_size, {DEBT: 12 + x_debt, FEES: 20})})
    return chain, without_x


def _nested_joint(outer: Aggregate, inner: Aggregate, outer_report: Report, inner_report: Report) -> Joint:
    difference = counts(
        outer.dimension,
        {
            g.key: (
                g.respondents - _size(inner, g.key),
                {m: g.shown[m] - _shown(inner, g.key, m) for m in MEASURES},
            )
            for g in outer.groups
        },
    )
    joint = Joint(outer)
    joint.add("outer", outer, outer_report)
    joint.add("inner", inner, inner_report)
    joint.add("X", difference)
    joint.nest("outer", "inner", "X")
    return joint


def _size(counts_: Aggregate, key: str) -> int:
    return next((g.respondents for g in counts_.groups if g.key == key), 0)


def _shown(counts_: Aggregate, key: str, measure: str) -> int:
    return next((g.shown[measure] for g in counts_.groups if g.key == key), 0)
