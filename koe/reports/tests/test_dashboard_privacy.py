"""The dashboard's privacy: nothing below the threshold can be seen or worked out, whatever the
filters a reader combines (the whole chain, one company, several quarters); no company sees
another chain; the current quarter is never shown.

The attack: every cell a brand-holder reader can see for two quarters, the whole chain and each
company, as one system of equations over the true counts (each published figure is the sum of
the cases of some companies and values), given to ``koe.reports.recovery`` (the reader's own
attack) and ``koe.reports.pinning`` (the exact check).
"""

from collections import Counter
from typing import Any

import pytest
from django.core.cache import cache

from koe.cases.models import Case, CaseSeverity, Category
from koe.core.testing.personas import Personas, verified_client
from koe.organizations.models import Organization
from koe.organizations.tests.factories import make_org
from koe.reports.dashboard import DIMENSIONS, VALUES, dashboard_snapshots, offered_quarters
from koe.reports.dashboard_sections import Figures, sections
from koe.reports.dashboard_tables import OTHER_VALUES, OTHERS, suppress_population
from koe.reports.dashboard_testing import add_cases, add_random_cases, moment_in
from koe.reports.document import Period
from koe.reports.models import DashboardSnapshot
from koe.reports.pinning import pinned_cells
from koe.reports.suppression import TOTAL, Key, SuppressedTable, recoverable_cells
from koe.reports.tables import Cell, Equation

T = 5


class Joint:
    """Published figures as sums of unpublished atoms: (quarter, dimension, company, value)."""

    def __init__(self) -> None:
        self.values: dict[Key, int] = {}
        self.visible: dict[Key, int | None] = {}
        self.unpublished: set[Key] = set()
        self.equations: list[Equation] = []

    def figure(self, key: Key, shown: int | None, atoms: dict[Key, int]) -> None:
        for atom, value in atoms.items():
            if atom not in self.values:
                self.values[atom] = value
                self.unpublished.add(atom)
        self.values[key] = sum(atoms.values())
        assert shown in (None, self.values[key]), (key, shown, self.values[key])  # shown is true
        self.visible[key] = shown
        self.equations.append(Equation(key, tuple(atoms)))

    def add_quarter(
        self, quarter: str, truth: dict[str, Counter[tuple[str, str]]], data: dict[str, Any]
    ) -> None:
        cases = data["cases"]
        sizes = cases["sizes"]
        hidden = {row for row, size in sizes.items() if size is None}
        everyone = set(sizes)
        for name, counts in truth.items():
            published = cases["breakdowns"][name]
            columns = published["columns"]
            members = {
                column: set(published["merged"]) if column == OTHER_VALUES else {column} for column in columns
            }
            all_values = set().union(*members.values())

            def atoms(companies: set[str], values: set[str]) -> dict[Key, int]:
                return self.atoms(quarter, name, counts, companies, values)  # noqa: B023 - used at once

            for row, size in sizes.items():
                self.figure((quarter, "size", row), size, atoms({row}, all_values))
            if hidden:
                self.figure((quarter, "size", OTHERS), cases["others"], atoms(hidden, all_values))
            self.figure((quarter, "size", TOTAL), cases["total"], atoms(everyone, all_values))
            for index, column in enumerate(columns):
                total = published["totals"][index]
                self.figure((quarter, name, TOTAL, column), total, atoms(everyone, members[column]))
                for row, line in published["rows"].items():
                    self.figure((quarter, name, row, column), line[index], atoms({row}, members[column]))
                if published["others"]:
                    pooled = set(published["pooled"])
                    shown = published["others"][index]
                    self.figure((quarter, name, OTHERS, column), shown, atoms(pooled, members[column]))

    def atoms(
        self, quarter: str, name: str, counts: Counter[tuple[str, str]], companies: set[str], values: set[str]
    ) -> dict[Key, int]:
        """The true cells a figure adds up; values nobody has are left out (their totals show 0)."""
        present = self.nonzero(counts)
        return {
            (quarter, name, c, v): counts.get((c, v), 0) for c in companies for v in values if v in present
        }

    @staticmethod
    def nonzero(counts: Counter[tuple[str, str]]) -> set[str]:
        return {value for (_company, value), count in counts.items() if count}

    def leaks(self) -> list[tuple[Key, int]]:
        cells = {key: Cell(shown) for key, shown in self.visible.items()}
        table = SuppressedTable(T, cells, tuple(self.equations), frozenset(self.unpublished))
        found = dict(recoverable_cells(table))
        found |= {key: self.values[key] for key in pinned_cells(table, self.values)}
        return [
            (key, value)
            for key, value in found.items()
            if (0 < value < T if key in self.unpublished else value != 0)
        ]


def true_counts(organizations: list[Organization], period: Period) -> dict[str, Counter[tuple[str, str]]]:
    """The counts the slow way, case by case."""
    from koe.reports.dashboard import _bounds

    start, end = _bounds(period)
    found: dict[str, Counter[tuple[str, str]]] = {name: Counter() for name in DIMENSIONS}
    for case in Case.objects.filter(employer__in=organizations, created_at__gte=start, created_at__lt=end):
        company = str(case.employer_id)
        found["category"][(company, case.categories[0] if case.categories else Category.OTHER)] += 1
        found["severity"][(company, case.severity)] += 1
        found["status"][(company, case.status)] += 1
        found["language"][(company, case.language)] += 1
    return found


def all_counts(data: dict[str, Any]) -> list[int]:
    cases = data["cases"]
    found = [cases["total"], cases["others"], *cases["sizes"].values()]
    for published in cases["breakdowns"].values():
        found += published["totals"] + published["others"]
        found += [value for row in published["rows"].values() for value in row]
    return [value for value in found if value is not None]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_nothing_small_is_shown_or_recoverable_across_the_chain_one_company_and_two_quarters(
    personas: Personas,
) -> None:
    chain = [personas.org_a, personas.org_a1, personas.org_a2, *(make_org(f"Supplier {n}") for n in range(3))]
    for extra in chain[3:]:
        from koe.organizations.tests.factories import link

        link(personas.org_a1, extra, tier=2)
    earlier, latest = offered_quarters()[1], offered_quarters()[0]
    add_random_cases(chain, 60, moment_in(earlier), seed=1)
    add_random_cases(chain, 45, moment_in(latest), seed=2)
    add_cases(chain[5], 2, moment_in(latest), categories=[Category.HOUSING], severity=CaseSeverity.CRITICAL)
    snapshots = dashboard_snapshots(personas.org_a, [earlier, latest])
    joint = Joint()
    for snapshot, period in zip(snapshots, [earlier, latest], strict=True):
        assert all(count == 0 or count >= T for count in all_counts(snapshot.data))
        joint.add_quarter(snapshot.quarter, true_counts(chain, period), snapshot.data)
    assert joint.leaks() == []
    # A company's view (filter B) shows only cells of the chain's tables (filter A): no new figure.
    chain_figures = {
        value
        for section in sections(snapshots, [earlier, latest])
        for row in section.rows
        for value in row.values
    }
    for company in chain:
        figures = Figures(snapshots[-1], company.pk)
        for name in DIMENSIONS:
            _columns, values = figures.breakdown(name)
            published = snapshots[-1].data["cases"]["breakdowns"][name]
            assert values in [*published["rows"].values(), [None] * len(values), [0] * len(values)]
            assert (values == [None] * len(values)) == (str(company.pk) in published.get("pooled", []))
    assert chain_figures  # the chain's own sections are not empty


def test_a_small_supplier_is_counted_with_other_companies_and_never_on_its_own(personas: Personas) -> None:
    latest = offered_quarters()[0]
    add_cases(personas.org_a, 12, moment_in(latest))
    add_cases(personas.org_a1, 9, moment_in(latest), categories=[Category.HOUSING])
    add_cases(personas.org_a2, 2, moment_in(latest))
    data = dashboard_snapshots(personas.org_a, [latest])[0].data
    sizes = data["cases"]["sizes"]
    assert sizes[str(personas.org_a2.pk)] is None
    assert sum(size is None for size in sizes.values()) >= 2  # and a complement with it
    assert data["cases"]["others"] >= T and data["cases"]["total"] == 23
    html = (
        verified_client(personas.admin_a)
        .get(f"/en/company/insights/?company={personas.org_a2.pk}")
        .content.decode()
    )
    assert "Minato Farm" in html and ">2<" not in html


@pytest.mark.parametrize("seed", range(4))
def test_random_populations_leave_nothing_recoverable(seed: int) -> None:
    import random

    rng = random.Random(seed)
    companies = [str(n) for n in range(7)]
    truth: dict[str, Counter[tuple[str, str]]] = {name: Counter() for name in ("severity", "status")}
    for _ in range(70):
        company = rng.choice(companies[: 1 + rng.randint(0, 6)])  # uneven sizes
        truth["severity"][(company, rng.choice(["routine", "routine", "urgent", "critical"]))] += 1
        truth["status"][(company, rng.choice(["new", "in_progress", "resolved", "closed"]))] += 1
    sizes = Counter[str]()
    for (company, _value), count in truth["severity"].items():
        sizes[company] += count
    values = {"severity": VALUES["severity"], "status": VALUES["status"]}
    data = {"cases": suppress_population(sizes, truth, values, T)}
    assert all(count == 0 or count >= T for count in all_counts(data))
    joint = Joint()
    joint.add_quarter("q", truth, data)
    assert joint.leaks() == []


def test_rare_values_are_merged_so_no_column_total_is_small() -> None:
    cells = {("1", "routine"): 20, ("2", "routine"): 15, ("1", "urgent"): 3, ("2", "critical"): 2}
    data = suppress_population({"1": 23, "2": 17}, {"severity": cells}, {"severity": VALUES["severity"]}, T)
    published = data["breakdowns"]["severity"]
    assert published["merged"] == ["urgent", "critical"]
    assert published["columns"] == ["routine", OTHER_VALUES]
    assert all(total is None or total == 0 or total >= T for total in published["totals"])


def test_a_population_below_the_threshold_shows_nothing() -> None:
    data = suppress_population(
        {"1": 2, "2": 1},
        {"severity": {("1", "routine"): 2, ("2", "urgent"): 1}},
        {"severity": VALUES["severity"]},
        T,
    )
    assert data["total"] is None and data["breakdowns"] == {}


def test_a_supply_chain_company_sees_itself_only_even_with_suppliers_below(personas: Personas) -> None:
    latest = offered_quarters()[0]
    add_cases(personas.org_a1, 7, moment_in(latest))
    add_cases(personas.org_a2, 30, moment_in(latest))
    client = verified_client(personas.user_a1)
    response = client.get("/en/company/insights/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Minato Farm" not in html and "Sakura Foods" not in html
    snapshot = DashboardSnapshot.objects.get(
        organization=personas.org_a1, quarter__isnull=False, period_end=latest.end
    )
    assert snapshot.data["cases"]["total"] == 7 and [c[0] for c in snapshot.data["companies"]] == [
        personas.org_a1.pk
    ]
    for other in (personas.org_a, personas.org_a2, personas.org_b1):
        assert client.get(f"/en/company/insights/?company={other.pk}").status_code == 404


def test_brand_holders_of_two_chains_see_nothing_of_each_other(personas: Personas) -> None:
    latest = offered_quarters()[0]
    add_cases(personas.org_b1, 40, moment_in(latest))
    add_cases(personas.org_a1, 40, moment_in(latest))
    client_a = verified_client(personas.admin_a)
    html = client_a.get("/en/company/insights/").content.decode()
    assert "Hikari" not in html and "Sakura Packing" in html
    assert client_a.get(f"/en/company/insights/?company={personas.org_b1.pk}").status_code == 404
    assert (
        verified_client(personas.admin_b)
        .get(f"/en/company/insights/?company={personas.org_a1.pk}")
        .status_code
        == 404
    )
    assert (
        verified_client(personas.user_b1)
        .get(f"/en/company/insights/?company={personas.org_b.pk}")
        .status_code
        == 404
    )


def test_the_current_quarter_is_never_shown_nor_published(personas: Personas) -> None:
    from koe.reports.dashboard import dashboard_snapshot_publish, today
    from koe.reports.periods import quarter_of, quarter_slug

    current = quarter_of(today())
    add_cases(personas.org_a, 20, moment_in(current, day=0))
    client = verified_client(personas.admin_a)
    assert client.get(f"/en/company/insights/?quarter={quarter_slug(current)}").status_code == 404
    assert current not in offered_quarters()
    with pytest.raises(ValueError):
        dashboard_snapshot_publish(organization=personas.org_a, period=current)
    html = client.get("/en/company/insights/").content.decode()
    assert current.label not in html
    assert not DashboardSnapshot.objects.filter(quarter=quarter_slug(current)).exists()


def test_a_published_quarter_never_changes_when_later_cases_arrive(personas: Personas) -> None:
    latest = offered_quarters()[0]
    add_cases(personas.org_a, 10, moment_in(latest))
    first = dashboard_snapshots(personas.org_a, [latest])[0]
    add_cases(personas.org_a, 10, moment_in(latest, day=20))  # e.g. a late correction of dates
    again = dashboard_snapshots(personas.org_a, [latest])[0]
    assert again.pk == first.pk and again.data["cases"]["total"] == 10


def test_the_attack_finds_what_a_naive_table_would_let_a_reader_work_out() -> None:
    truth = {
        "severity": Counter(
            {("1", "routine"): 20, ("1", "urgent"): 3, ("2", "routine"): 15, ("2", "urgent"): 6}
        )
    }
    values = {"severity": ["routine", "urgent"]}
    data = {"cases": suppress_population({"1": 23, "2": 21}, truth, values, T)}
    assert "1" not in data["cases"]["breakdowns"]["severity"]["rows"]  # its 3 urgent cases
    joint = Joint()
    joint.add_quarter("q", truth, data)
    assert joint.leaks() == []
    # Had only company 1's small cell been left out, its row total gives it away.
    naive = Joint()
    naive.add_quarter("q", {"severity": Counter({("1", "routine"): 20, ("1", "urgent"): 3})}, data | {"cases": {
        "total": 23, "sizes": {"1": 23}, "others": None,
        "breakdowns": {"severity": {"columns": ["routine", "urgent"], "merged": [], "totals": [20, None],
                                    "rows": {"1": [20, None]}, "others": [], "withheld": False}}}})  # fmt: skip
    assert (("q", "severity", "1", "urgent"), 3) in naive.leaks()


@pytest.mark.parametrize("seed", range(4, 8))
def test_sparse_populations_of_many_companies_leave_nothing_recoverable(seed: int) -> None:
    import random

    rng = random.Random(seed)
    companies = [str(n) for n in range(12)]
    truth: dict[str, Counter[tuple[str, str]]] = {"status": Counter()}
    for _ in range(rng.randint(40, 90)):
        company = rng.choice(companies[: rng.randint(1, 12)])
        truth["status"][
            (company, rng.choice(["new", "in_progress", "resolved", "closed", "referred_adr"]))
        ] += 1
    sizes = Counter[str]()
    for (company, _value), count in truth["status"].items():
        sizes[company] += count
    data = {"cases": suppress_population(sizes, truth, {"status": VALUES["status"]}, T)}
    assert all(count == 0 or count >= T for count in all_counts(data))
    joint = Joint()
    joint.add_quarter("q", truth, data)
    assert joint.leaks() == []


def test_many_companies_with_one_case_each_hide_a_larger_one_with_them() -> None:
    sizes = {str(n): 1 for n in range(8)} | {"big": 6, "bigger": 30}
    truth = {"severity": Counter({(row, "routine"): size for row, size in sizes.items()})}
    data = {"cases": suppress_population(sizes, truth, {"severity": ["routine", "urgent"]}, T)}
    assert data["cases"]["sizes"]["big"] is None  # eight hidden 1s alone would each be known
    joint = Joint()
    joint.add_quarter("q", truth, data)
    assert joint.leaks() == []


@pytest.mark.parametrize("seed", range(6))
def test_the_quick_check_of_lone_equations_agrees_with_the_linear_programs(seed: int) -> None:
    """``pinning`` decides hidden cells tied by one equation directly (a dashboard of 500 small
    suppliers took minutes otherwise); the general check must find the same cells."""
    import random

    from koe.reports.pinning import _pinned_general

    rng = random.Random(seed)
    counts: dict[Key, int] = {(f"c{n}",): rng.choice([0, 1, 1, 2, 3, 6, 9]) for n in range(rng.randint(2, 9))}
    keys: list[Key] = list(counts)
    table = SuppressedTable(
        T,
        {key: Cell(None if rng.random() < 0.5 else value) for key, value in counts.items()}
        | {(TOTAL,): Cell(None if rng.random() < 0.2 else sum(counts.values()))},
        (Equation((TOTAL,), tuple(keys)),),
    )
    truth = counts | {(TOTAL,): sum(counts.values())}
    involved: set[Key] = set(truth)
    assert sorted(pinned_cells(table, truth)) == sorted(_pinned_general(table, truth, involved))
